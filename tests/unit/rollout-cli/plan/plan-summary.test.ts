import * as assert from "assert";
import { FleetDefinition } from "../../../../lib/fleet/fleet-definition";
import { parseWaveArguments, planRollout } from "../../../../lib/rollout-cli/plan/plan";
import { shardSummary, waveSize } from "../../../../lib/rollout-cli/plan/plan-summary";
import { planJson, renderPlan } from "../../../../lib/rollout-cli/plan/render-plan";

// 24 clusters in 4 shards (at most 7 each): 7, 6, 4 and 7 clusters in shards 1 to 4.
const clusters = Array.from({ length: 24 }, (_, i) => ({ name: `${["us", "eu", "ap"][i % 3]}-${String(i + 1).padStart(2, "0")}`, region: ["us", "eu", "ap"][i % 3] }));
const sharded: FleetDefinition = { clusters, stacks: { shards: 4 } };
const waves = (...args: string[]) => parseWaveArguments(args).waves;

describe("plan summary", () => {
    it("gives min, median and max clusters per shard, counting an empty shard as 0", () => {
        assert.deepStrictEqual(shardSummary([7, 5, 4, 8]), { count: 4, min: 4, median: 6, max: 8 });
        assert.deepStrictEqual(shardSummary([3, 9, 1]), { count: 3, min: 1, median: 3, max: 9 });
        assert.deepStrictEqual(shardSummary([2, 0, 5, 2]), { count: 4, min: 0, median: 2, max: 5 });
        assert.deepStrictEqual(shardSummary([6]), { count: 1, min: 6, median: 6, max: 6 });
        assert.deepStrictEqual(shardSummary([4, 5]), { count: 2, min: 4, median: 4.5, max: 5 });
    });

    it("records every shard's size in the plan, the empty ones too, even when the plan is restricted to one stack", () => {
        assert.deepStrictEqual(planRollout(sharded, undefined).shardSizes, [7, 6, 4, 7]);
        assert.deepStrictEqual(planRollout(sharded, undefined, ["shard-2-of-4"]).shardSizes, [7, 6, 4, 7]);
        // Three clusters in eight shards: one each in shards 2, 3 and 7, and five shards have no stack.
        const few = planRollout({ clusters: clusters.slice(0, 3), stacks: { shards: 8 } }, undefined);
        assert.deepStrictEqual(few.shardSizes, [0, 1, 1, 0, 0, 0, 1, 0]);
        assert.deepStrictEqual(few.stacks.map((s) => s.name), ["shard-2-of-8", "shard-3-of-8", "shard-7-of-8"]);
        assert.strictEqual(planRollout({ clusters }, undefined).shardSizes, undefined);
    });

    it("counts each wave's stacks and clusters", () => {
        const plan = planRollout(sharded, waves("canary=shard:1/4", "early=25%", "rest=*"));
        assert.deepStrictEqual(plan.waves.map(waveSize), [
            { stacks: 1, clusters: 7 },
            { stacks: 1, clusters: 6 },
            { stacks: 2, clusters: 11 },
        ]);
    });

    it("prints the shard sizes, then each wave with its stack and cluster counts", () => {
        const text = renderPlan(planRollout(sharded, waves("canary=shard:1/4", "early=25%", "rest=*")));
        assert.deepStrictEqual(text.split("\n").filter((l) => !l.startsWith("  ")), [
            "24 clusters in 4 shards; clusters per shard: min 4, median 6.5, max 7",
            'wave 1 "canary" (shard:1/4): 1 stack, 7 clusters',
            'wave 2 "early" (25%): 1 stack, 6 clusters',
            'wave 3 "rest" (*): 2 stacks, 11 clusters',
            "",
        ]);
        assert.match(text, /\n {2}stack shard-2-of-4 {2}shard:2\/4 {2}eu-02, ap-06, eu-08, eu-17, eu-20, ap-24\n/);
    });

    it("prints no shard line for a fleet split by region, and names at most ten clusters of a stack", () => {
        const many: FleetDefinition = { clusters: Array.from({ length: 25 }, (_, i) => ({ name: `c-${i + 1}`, region: "eu" })) };
        assert.strictEqual(renderPlan(planRollout(many, undefined)), 'wave 1 "all" (*): 1 stack, 25 clusters\n  stack eu  region:eu  c-1, c-2, c-3, c-4, c-5, c-6, c-7, c-8, c-9, c-10 and 15 more\n');
    });

    it("gives the same counts in JSON, with every cluster still listed", () => {
        const json = planJson(planRollout(sharded, waves("canary=shard:1/4", "early=25%", "rest=*"))) as any;
        assert.deepStrictEqual(json.shards, { count: 4, min: 4, median: 6.5, max: 7 });
        assert.deepStrictEqual(json.waves.map((w: any) => [w.name, w.selector, w.stacks.length, w.clusters]), [
            ["canary", "shard:1/4", 1, 7],
            ["early", "25%", 1, 6],
            ["rest", "*", 2, 11],
        ]);
        assert.strictEqual(json.waves[2].stacks[1].clusters.length, 7);
        assert.strictEqual(json.matrix.length, 4);
        assert.strictEqual((planJson(planRollout({ clusters }, undefined)) as any).shards, undefined);
    });
});
