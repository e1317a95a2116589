import * as assert from "assert";
import { problems, shape, waves } from "./plan-helpers";
import { FleetDefinition } from "../../../../lib/fleet/fleet-definition";
import { selectClusters } from "../../../../lib/fleet/fleet-selection";
import { planRollout, planStacks } from "../../../../lib/rollout-cli/plan/plan";
import { parseWaveSelector, shardIndexes, shareSize } from "../../../../lib/rollout-cli/plan/wave-selector";

// 200 clusters in 20 shards: every shard has clusters, so every shard is a stack.
const clusters = Array.from({ length: 200 }, (_, i) => ({ name: `c-${String(i + 1).padStart(3, "0")}`, region: ["us", "eu", "ap", "sa"][i % 4] }));
const sharded: FleetDefinition = { clusters, stacks: { shards: 20 } };
const shard = (...indexes: number[]) => indexes.map((i) => `shard-${i}-of-20`).join(" ");
const range = (from: number, to: number) => shard(...Array.from({ length: to - from + 1 }, (_, i) => from + i));


describe("wave selectors over several shards", () => {
    it("has a stack for every one of the 20 shards of the test fleet, as the tests below assume", () => {
        assert.deepStrictEqual(planStacks(sharded).map((s) => s.name), range(1, 20).split(" "));
    });

    it("takes a list of shards, a range, and a mix of both, each shard's stack whole", () => {
        assert.deepStrictEqual(shape(planRollout(sharded, waves("early=shard:2,3,7/20", "rest=*"))), [`early: ${shard(2, 3, 7)}`, `rest: ${shard(1, 4, 5, 6, ...[8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20])}`]);
        assert.deepStrictEqual(shape(planRollout(sharded, waves("early=shard:2-5/20", "rest=*")))[0], `early: ${range(2, 5)}`);
        assert.deepStrictEqual(shape(planRollout(sharded, waves("canary=shard:1/20", "early=shard:2,4-6/20", "rest=*"))).slice(0, 2), ["canary: shard-1-of-20", `early: ${shard(2, 4, 5, 6)}`]);
        assert.deepStrictEqual(shape(planRollout(sharded, waves("early=shard:1,4-6/20", "rest=*")))[0], `early: ${shard(1, 4, 5, 6)}`);
        assert.deepStrictEqual(shardIndexes(parseWaveSelector("shard:7, 1-3 ,5/20", "x").selection!.shards!), [1, 2, 3, 5, 7]);
    });

    it("keeps the selector text the user wrote as the wave's selector", () => {
        const plan = planRollout(sharded, waves("early=shard:1,4-6/20", "half=50%", "rest=*"));
        assert.deepStrictEqual(plan.waves.map((w) => w.selector), ["shard:1,4-6/20", "50%", "*"]);
    });

    it("keeps a single shard, a region and a cluster list working as before", () => {
        assert.deepStrictEqual(shape(planRollout(sharded, waves("canary=shard:2/20", "rest=*")))[0], "canary: shard-2-of-20");
        const byCluster: FleetDefinition = { clusters: clusters.slice(0, 6), stacks: { by: "cluster" } };
        assert.deepStrictEqual(shape(planRollout(byCluster, waves("a=cluster:c-002,c-001", "b=region:ap", "rest=*"))), ["a: c-001 c-002", "b: c-003", "rest: c-004 c-005 c-006"]);
    });

    it("selects the clusters of the listed shards when the fleet is split by cluster, not into shards", () => {
        const byCluster: FleetDefinition = { clusters: clusters.slice(0, 30), stacks: { by: "cluster" } };
        const first = planRollout(byCluster, waves("first=shard:1-2/3", "rest=*")).waves[0];
        const expected = [1, 2].flatMap((index) => selectClusters(byCluster.clusters, { shard: { index, count: 3 } }).map((c) => c.name));
        assert.deepStrictEqual(first.stacks.map((s) => s.name), byCluster.clusters.map((c) => c.name).filter((c) => expected.includes(c)));
    });

    it("refuses shards out of range, ranges written backwards, repeated shards and a shard count of 0, naming the wave, the value and the limit", () => {
        assert.deepStrictEqual(problems(() => planRollout(sharded, waves("early=shard:2,21/20", "rest=*"))), ["`--wave early`: shard:2,21/20: shard 21 is out of range; shards are numbered from 1 to 20"]);
        assert.deepStrictEqual(problems(() => planRollout(sharded, waves("early=shard:0-3/20", "rest=*"))), ["`--wave early`: shard:0-3/20: shard 0 is out of range; shards are numbered from 1 to 20"]);
        assert.deepStrictEqual(problems(() => planRollout(sharded, waves("early=shard:5-2/20", "rest=*"))), ["`--wave early`: shard:5-2/20: the range 5-2 runs backwards; write it from low to high, 2-5"]);
        assert.deepStrictEqual(problems(() => planRollout(sharded, waves("early=shard:1-4,3,9,9/20", "rest=*"))), ["`--wave early`: shard:1-4,3,9,9/20: names shards 3, 9 more than once; name each shard once"]);
        assert.deepStrictEqual(problems(() => planRollout({ clusters }, waves("early=shard:1/0", "rest=*"))), ["`--wave early`: shard:1/0: counts 0 shards; the limit is 1 or more"]);
    });

    it("refuses shards of another count than the fleet's `stacks: { shards: N }`, saying what N is", () => {
        const expected = "counts 16 shards, but the fleet is split into 20 (`stacks: { shards: 20 }`); write shards of 20, e.g. `shard:1/20`";
        assert.deepStrictEqual(problems(() => planRollout(sharded, waves("early=shard:2,3/16", "rest=*"))), [`\`--wave early\`: shard:2,3/16: ${expected}`]);
        assert.deepStrictEqual(problems(() => planRollout(sharded, waves("canary=shard:2/16", "rest=*"))), [`\`--wave canary\`: shard:2/16: ${expected}`]);
    });

    it("names a definition file's wave by its index and name", () => {
        const definition: FleetDefinition = { ...sharded, waves: [{ name: "canary", select: "shard:1/20" }, { name: "early", select: "shard:2-25/20" }, { name: "rest", select: "*" }] };
        assert.deepStrictEqual(problems(() => planRollout(definition, undefined)), ["`waves[1] (early)`: shard:2-25/20: shard 25 is out of range; shards are numbered from 1 to 20"]);
    });

    it("refuses a shard list or a share that is not written as one", () => {
        for (const text of ["shard:2-/20", "shard:a/20", "shard:2,,3/20", "shard:2,3", "shard:"]) {
            assert.deepStrictEqual(problems(() => planRollout(sharded, waves(`early=${text}`, "rest=*"))), [
                `\`--wave early\`: ${JSON.stringify(text)}: shards are written \`shard:I/N\`, a list \`shard:2,3,7/20\` or ranges \`shard:1,4-6/20\` (1-based)`,
            ]);
        }
        for (const text of ["12.5%", "%", "-5%"]) {
            assert.deepStrictEqual(problems(() => planRollout(sharded, waves(`early=${text}`, "rest=*"))), [`\`--wave early\`: ${JSON.stringify(text)}: a share of the stacks is a whole percentage, e.g. \`25%\``]);
        }
    });

    it("refuses a share below 1% or above 100%", () => {
        assert.deepStrictEqual(problems(() => planRollout(sharded, waves("early=0%", "rest=*"))), ["`--wave early`: 0%: is 0%; a share of the stacks is from 1% to 100%"]);
        assert.deepStrictEqual(problems(() => planRollout(sharded, waves("early=101%", "rest=*"))), ["`--wave early`: 101%: is 101%; a share of the stacks is from 1% to 100%"]);
    });
});

describe("wave shares (`P%`)", () => {
    it("takes 25% of all 20 stacks, 5, in shard order after the canary, and `*` takes the other 14", () => {
        assert.deepStrictEqual(shape(planRollout(sharded, waves("canary=shard:1/20", "early=25%", "rest=*"))), ["canary: shard-1-of-20", `early: ${range(2, 6)}`, `rest: ${range(7, 20)}`]);
    });

    it("counts each share of all the plan's stacks, not of those left, so 25% twice is 10 stacks", () => {
        assert.deepStrictEqual(shape(planRollout(sharded, waves("a=25%", "b=25%", "rest=*"))), [`a: ${range(1, 5)}`, `b: ${range(6, 10)}`, `rest: ${range(11, 20)}`]);
    });

    it("rounds up, so a small share of a small fleet is still one stack", () => {
        assert.strictEqual(shareSize(25, 20), 5);
        assert.strictEqual(shareSize(1, 20), 1);
        assert.strictEqual(shareSize(30, 4), 2);
        assert.strictEqual(shareSize(7, 100), 7);
        assert.strictEqual(shareSize(100, 3), 3);
        const byRegion: FleetDefinition = { clusters: clusters.slice(0, 12) };
        assert.deepStrictEqual(shape(planRollout(byRegion, waves("first=10%", "rest=*"))), ["first: us", "rest: eu ap sa"]);
        assert.deepStrictEqual(shape(planRollout(byRegion, waves("first=26%", "rest=*"))), ["first: us eu", "rest: ap sa"]);
    });

    it("skips the stacks a selector wave names, even a later one", () => {
        assert.deepStrictEqual(shape(planRollout(sharded, waves("a=10%", "b=shard:2/20", "rest=*"))), [`a: ${shard(1, 3)}`, "b: shard-2-of-20", `rest: ${range(4, 20)}`]);
    });

    it("takes no more than is left", () => {
        assert.deepStrictEqual(shape(planRollout(sharded, waves("a=shard:1-18/20", "b=25%"))), [`a: ${range(1, 18)}`, `b: ${shard(19, 20)}`]);
        assert.deepStrictEqual(shape(planRollout(sharded, waves("all=100%"))), [`all: ${range(1, 20)}`]);
    });

    it("refuses a share that gets no stack, as a wave naming no stack", () => {
        assert.deepStrictEqual(problems(() => planRollout(sharded, waves("a=shard:1-20/20", "b=25%"))), ["`--wave b`: names no stack: every stack is already in an earlier wave"]);
        assert.deepStrictEqual(problems(() => planRollout(sharded, waves("a=*", "b=25%"))), ["`--wave b`: names no stack: every stack is already in an earlier wave"]);
    });

    it("leaves a stack that a selector wave took in part to `*`, which reports the split", () => {
        const byRegion: FleetDefinition = { clusters: clusters.slice(0, 8) };
        assert.deepStrictEqual(shape(planRollout(byRegion, waves("canary=region:us", "a=25%", "rest=*"))), ["canary: us", "a: eu", "rest: ap sa"]);
        const split = problems(() => planRollout(byRegion, waves("canary=cluster:c-001", "a=75%", "rest=*")));
        assert.deepStrictEqual(split, [
            '`stack us`: is split across waves (c-001 in wave "canary"; c-005 in wave "rest"); a stack rolls out as a whole, so select whole stacks (its selector is region:us) or split the fleet into smaller stacks (`stacks: { by: cluster }`)',
        ]);
    });

    it("takes the same stacks when the plan is restricted to one stack, as in a CI matrix job", () => {
        const all = planRollout(sharded, waves("canary=shard:1/20", "early=25%", "rest=*"));
        for (const stack of all.stacks) {
            const one = planRollout(sharded, waves("canary=shard:1/20", "early=25%", "rest=*"), [stack.name]);
            const wave = all.waves.find((w) => w.stacks.includes(stack))!;
            assert.deepStrictEqual(shape(one), [`${wave.name}: ${stack.name}`]);
        }
    });
});
