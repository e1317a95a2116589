import * as assert from "assert";
import { FleetDefinition } from "../../../lib/fleet-definition";
import { selectClusters } from "../../../lib/fleet-selection";
import { formatProblem } from "../../../lib/problems";
import { parseWaveArguments, planRollout, planStacks, PlanError, RolloutPlan } from "../../../lib/rollout-cli/plan";

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

function waves(...args: string[]) {
    const parsed = parseWaveArguments(args);
    assert.deepStrictEqual(parsed.problems, []);
    return parsed.waves;
}

const shape = (plan: RolloutPlan) => plan.waves.map((w) => `${w.name}: ${w.stacks.map((s) => s.name).join(" ")}`);

function problems(f: () => unknown): string[] {
    try {
        f();
    } catch (err) {
        if (err instanceof PlanError) return err.problems.map(formatProblem);
        throw err;
    }
    throw new Error("expected a PlanError");
}

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
            '`--wave a`: "zone:x" is not a selector; selectors are `region:NAME[,NAME…]`, `cluster:NAME[,NAME…]`, `shard:I/N` or `*`',
        ]);
    });
});
