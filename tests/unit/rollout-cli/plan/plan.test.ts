import * as assert from "assert";
import { problems, shape, waves } from "./plan-helpers";
import { FleetDefinition } from "../../../../lib/fleet/fleet-definition";
import { selectClusters } from "../../../../lib/fleet/fleet-selection";
import { formatProblem } from "../../../../lib/errors/problems";
import { parseWaveArguments, planRollout, planStacks } from "../../../../lib/rollout-cli/plan/plan";

// Six clusters in three regions, as the end-to-end fleet.
const clusters = [
    { name: "us-east-1", region: "us" },
    { name: "eu-west-1", region: "eu" },
    { name: "eu-central-1", region: "eu" },
    { name: "us-west-2", region: "us" },
    { name: "ap-south-1", region: "ap" },
    { name: "ap-northeast-1", region: "ap" },
];
const byCluster: FleetDefinition = { clusters, stacks: { by: "cluster" } };
const byRegion: FleetDefinition = { clusters };


describe("rollout plan", () => {
    it("splits the fleet into one stack per region by default, per cluster, or into stable shards", () => {
        assert.deepStrictEqual(planStacks(byRegion).map((s) => `${s.name}=${s.selector}:${s.clusters.map((c) => c.name)}`), [
            "us=region:us:us-east-1,us-west-2",
            "eu=region:eu:eu-west-1,eu-central-1",
            "ap=region:ap:ap-south-1,ap-northeast-1",
        ]);
        assert.deepStrictEqual(planStacks(byCluster).map((s) => s.selector), clusters.map((c) => `cluster:${c.name}`));
        const shards = planStacks({ clusters, stacks: { shards: 2 } });
        assert.deepStrictEqual(shards.map((s) => s.name), ["shard-1-of-2", "shard-2-of-2"]);
        assert.deepStrictEqual(shards.flatMap((s) => s.clusters.map((c) => c.name)).sort(), clusters.map((c) => c.name).sort());
    });

    it("gives each shard stack exactly the clusters the Fleet's own selection of that shard picks", () => {
        const many = Array.from({ length: 200 }, (_, i) => ({ name: `c-${i + 1}`, region: "r" }));
        const stacks = planStacks({ clusters: many, stacks: { shards: 20 } });
        assert.strictEqual(stacks.length, 20);
        for (const [i, stack] of stacks.entries()) {
            assert.deepStrictEqual(stack.clusters, selectClusters(many, { shard: { index: i + 1, count: 20 } }), stack.name);
        }
    });

    it("orders waves as given: a canary cluster, then a region, then the rest", () => {
        const plan = planRollout(byCluster, waves("canary=cluster:us-east-1", "eu=region:eu", "rest=*"));
        assert.deepStrictEqual(shape(plan), ["canary: us-east-1", "eu: eu-west-1 eu-central-1", "rest: us-west-2 ap-south-1 ap-northeast-1"]);
    });

    it("puts every stack in one wave when no waves are given", () => {
        assert.deepStrictEqual(shape(planRollout(byRegion, undefined)), ["all: us eu ap"]);
    });

    it("takes waves from the definition file", () => {
        const plan = planRollout({ ...byRegion, waves: [{ name: "first", select: "region:ap" }, { name: "then", select: "*" }] }, undefined);
        assert.deepStrictEqual(shape(plan), ["first: ap", "then: us eu"]);
    });

    it("restricts the plan to named stacks, for a CI matrix job", () => {
        const plan = planRollout(byCluster, waves("canary=cluster:us-east-1", "rest=*"), ["eu-west-1"]);
        assert.deepStrictEqual(shape(plan), ["rest: eu-west-1"]);
        assert.deepStrictEqual(problems(() => planRollout(byCluster, undefined, ["eu-wst-1"])), [
            '`--stack eu-wst-1`: the plan has no stack "eu-wst-1"; its stacks are "us-east-1", "eu-west-1", "eu-central-1", "us-west-2", "ap-south-1", "ap-northeast-1"',
        ]);
    });

    it("names an unknown region or cluster in a wave", () => {
        assert.deepStrictEqual(problems(() => planRollout(byCluster, waves("canary=cluster:us-eats-1", "eu=region:europe", "rest=*"))), [
            '`--wave canary`: cluster:us-eats-1: the fleet has no cluster "us-eats-1"; its clusters are "us-east-1", "eu-west-1", "eu-central-1", "us-west-2", "ap-south-1", "ap-northeast-1"',
            '`--wave eu`: region:europe: the fleet has no region "europe"; its regions are "us", "eu", "ap"',
        ]);
    });

    it("refuses a cluster in two waves", () => {
        assert.deepStrictEqual(problems(() => planRollout(byCluster, waves("canary=cluster:eu-west-1", "eu=region:eu", "rest=*"))), [
            '`--wave eu` (cluster "eu-west-1"): is already in wave "canary" (cluster:eu-west-1); a cluster rolls out in one wave',
        ]);
    });

    it("refuses a wave naming no stack", () => {
        assert.deepStrictEqual(problems(() => planRollout(byCluster, waves("all=*", "late=*"))), ["`--wave late`: names no stack: every cluster is already in an earlier wave"]);
        assert.deepStrictEqual(problems(() => planRollout(byRegion, waves("a=region:us", "b=region:eu", "c=region:ap", "d=*"))), [
            "`--wave d`: names no stack: every cluster is already in an earlier wave",
        ]);
    });

    it("refuses a wave that would roll part of a stack", () => {
        assert.deepStrictEqual(problems(() => planRollout(byRegion, waves("canary=cluster:us-east-1", "rest=*"))), [
            '`stack us`: is split across waves (us-east-1 in wave "canary"; us-west-2 in wave "rest"); a stack rolls out as a whole, so select whole stacks (its selector is region:us) or split the fleet into smaller stacks (`stacks: { by: cluster }`)',
        ]);
    });

    it("refuses clusters left out of every wave, a repeated wave name, and a malformed --wave", () => {
        assert.deepStrictEqual(problems(() => planRollout(byRegion, waves("eu=region:eu", "eu=region:us"))), [
            '`--wave eu`: repeats the wave name "eu" of --wave eu; wave names are unique',
            '`waves`: clusters "ap-south-1", "ap-northeast-1" are in no wave; end with a wave of the rest, e.g. `--wave rest=\'*\'`',
        ]);
        assert.deepStrictEqual(parseWaveArguments(["canary"]).problems.map(formatProblem), [
            "`--wave canary`: is not NAME=SELECTOR, e.g. `--wave canary=cluster:us-east-1` or `--wave rest='*'`",
        ]);
        assert.deepStrictEqual(problems(() => planRollout(byRegion, waves("a=zone:x", "rest=*"))), [
            '`--wave a`: "zone:x" is not a selector; selectors are `region:NAME[,NAME…]`, `cluster:NAME[,NAME…]`, `shard:I[,J-K…]/N`, `P%` or `*`',
        ]);
    });
});

describe("rollout plan refusals over a large fleet", () => {
    // The reported case: 1,000 clusters in 4 regions, split into 20 shards; `region:eu` splits every shard.
    const large: FleetDefinition = {
        clusters: Array.from({ length: 1000 }, (_, i) => ({ name: `cluster-${String(i + 1).padStart(4, "0")}`, region: ["us", "eu", "ap", "sa"][i % 4] })),
        stacks: { shards: 20 },
    };
    // As `fleet-rollout` prints a refusal: one line per problem.
    const refusal = (f: () => unknown) => problems(f).map((p) => `  - ${p}`).join("\n");

    it("keeps a wave that splits every one of 20 shard stacks to a short refusal that counts the split stacks", () => {
        const text = refusal(() => planRollout(large, waves("eu=region:eu", "rest=*")));
        assert.ok(text.length < 4000, `the refusal is ${text.length} characters:\n${text}`);
        const lines = text.split("\n");
        assert.strictEqual(lines.length, 6, text);
        for (const line of lines.slice(0, 5)) {
            assert.match(line, /^ {2}- `stack shard-\d+-of-20`: is split across waves \((cluster-\d{4}, ){9}cluster-\d{4} and \d+ more in wave "rest"; (cluster-\d{4}, )*cluster-\d{4}( and \d+ more)? in wave "eu"\)/);
        }
        assert.match(lines[5], /^ {2}- `waves`: 15 more stacks are split across waves \(20 in all\): "shard-6-of-20", .*"shard-15-of-20" and 5 more; a stack rolls out as a whole, so select whole stacks$/);
    });

    it("names at most ten clusters in two waves, ten in no wave, and ten stacks of the plan", () => {
        const twice = problems(() => planRollout({ ...large, stacks: { by: "cluster" } }, waves("a=region:eu", "b=region:eu", "rest=*")));
        assert.deepStrictEqual(twice, [
            '`--wave b`: clusters "cluster-0002", "cluster-0006", "cluster-0010", "cluster-0014", "cluster-0018", "cluster-0022", "cluster-0026", "cluster-0030", "cluster-0034", "cluster-0038" and 240 more are already in wave "a" (region:eu); a cluster rolls out in one wave',
        ]);
        const unwaved = problems(() => planRollout({ ...large, stacks: { by: "cluster" } }, waves("eu=region:eu")));
        assert.deepStrictEqual(unwaved.length, 1);
        assert.match(unwaved[0], /^`waves`: clusters "cluster-0001", "cluster-0003", "cluster-0004", ("cluster-\d{4}", ){6}"cluster-\d{4}" and 740 more are in no wave; /);
        assert.deepStrictEqual(problems(() => planRollout(large, undefined, ["shard-21-of-20"])), [
            '`--stack shard-21-of-20`: the plan has no stack "shard-21-of-20"; its stacks are "shard-1-of-20", "shard-2-of-20", "shard-3-of-20", "shard-4-of-20", "shard-5-of-20", "shard-6-of-20", "shard-7-of-20", "shard-8-of-20", "shard-9-of-20", "shard-10-of-20" and 10 more',
        ]);
    });

    it("names at most ten of the fleet's clusters and regions after an unknown one", () => {
        const regions: FleetDefinition = { clusters: large.clusters.map((c, i) => ({ ...c, region: `r-${i % 30}` })) };
        assert.deepStrictEqual(problems(() => planRollout(regions, waves("a=region:europe", "b=cluster:nope", "rest=*"))), [
            '`--wave a`: region:europe: the fleet has no region "europe"; its regions are "r-0", "r-1", "r-2", "r-3", "r-4", "r-5", "r-6", "r-7", "r-8", "r-9" and 20 more',
            '`--wave b`: cluster:nope: the fleet has no cluster "nope"; its clusters are "cluster-0001", "cluster-0002", "cluster-0003", "cluster-0004", "cluster-0005", "cluster-0006", "cluster-0007", "cluster-0008", "cluster-0009", "cluster-0010" and 990 more',
        ]);
    });
});
