import * as assert from "assert";
import { formatProblem } from "../../../../lib/errors/problems";
import { PlannedStack, planStacks } from "../../../../lib/rollout-cli/plan/plan";
import { heldClusters } from "../../../../lib/rollout-cli/state-moves/held-clusters";
import { movesByStacks, movesForStacks, planStateMoves } from "../../../../lib/rollout-cli/state-moves/move-plan";
import { moveLines, movesJson } from "../../../../lib/rollout-cli/state-moves/move-text";
import { stackState, urnName } from "./state-fixtures";

const FLEET = [
    { name: "us-east-1", region: "us" },
    { name: "us-west-2", region: "us" },
    { name: "eu-west-1", region: "eu" },
    { name: "eu-central-1", region: "eu" },
    { name: "ap-south-1", region: "ap" },
    { name: "ap-northeast-1", region: "ap" },
];

/** The clusters each stack's state holds after an `up` of `stacks`. */
function deployed(stacks: readonly PlannedStack[]) {
    return stacks.flatMap((s) => heldClusters(s.name, stackState(s.name, s.clusters.map((c) => c.name))));
}

describe("state moves", () => {
    it("moves every cluster whose planned stack is not the one holding it, from 2 shards to 3, and nothing else", () => {
        const two = planStacks({ clusters: FLEET, stacks: { shards: 2 } });
        const three = planStacks({ clusters: FLEET, stacks: { shards: 3 } });
        const { plan, problems } = planStateMoves(three, deployed(two));
        assert.deepStrictEqual(problems, []);
        const before = new Map(two.flatMap((s) => s.clusters.map((c) => [c.name, s.name])));
        const after = new Map(three.flatMap((s) => s.clusters.map((c) => [c.name, s.name])));
        // Every stack name changes with the count, so every cluster moves, each from its old shard to its new one.
        assert.deepStrictEqual(
            plan.moves.map((m) => [m.cluster, m.from, m.to]).sort(),
            FLEET.map((c) => [c.name, before.get(c.name), after.get(c.name)]).sort(),
        );
        for (const m of plan.moves) assert.deepStrictEqual(m.resources.map(urnName), [`ns-${m.cluster}`, `app-config-${m.cluster}`, `web-${m.cluster}`, `app-${m.cluster}`, `api-${m.cluster}`]);
        assert.deepStrictEqual(plan.emptied, ["shard-1-of-2", "shard-2-of-2"]);
    });

    it("moves only the clusters that change stack when the layout changes from regions to clusters", () => {
        const regions = planStacks({ clusters: FLEET, stacks: { by: "region" } });
        const held = deployed(regions);
        // The us stack is planned again with one of its clusters; the other leaves for a stack of its own.
        const plan = planStateMoves([{ name: "us", selector: "cluster:us-east-1", clusters: [FLEET[0]] }, { name: "us-west-2", selector: "cluster:us-west-2", clusters: [FLEET[1]] }], held).plan;
        assert.deepStrictEqual(plan.moves.map((m) => [m.cluster, m.from, m.to]), [["us-west-2", "us", "us-west-2"]]);
        assert.deepStrictEqual(plan.emptied, []);
    });

    it("moves nothing when every cluster is where the plan puts it, and nothing for a cluster no state holds", () => {
        const stacks = planStacks({ clusters: FLEET, stacks: { shards: 3 } });
        const { plan } = planStateMoves(planStacks({ clusters: [...FLEET, { name: "new-1", region: "eu" }], stacks: { shards: 3 } }), deployed(stacks));
        const news = plan.moves.filter((m) => m.cluster === "new-1");
        assert.deepStrictEqual(news, []);
        assert.deepStrictEqual(planStateMoves(stacks, deployed(stacks)).plan, { moves: [], leftovers: [], emptied: [] });
    });

    it("refuses a cluster held by two stacks' states, naming the stacks and the cluster, and moves nothing", () => {
        const held = [...heldClusters("shard-1-of-2", stackState("shard-1-of-2", ["us-east-1", "eu-west-1"])), ...heldClusters("shard-2-of-2", stackState("shard-2-of-2", ["us-east-1"]))];
        const { plan, problems } = planStateMoves([{ name: "shard-1-of-3", selector: "shard:1/3", clusters: [FLEET[0], FLEET[2]] }], held);
        assert.deepStrictEqual(plan.moves, []);
        assert.deepStrictEqual(problems.map(formatProblem), [
            '`stack shard-1-of-2` (cluster "us-east-1"): is held by the states of stacks "shard-1-of-2", "shard-2-of-2"; a cluster is one stack\'s, so it cannot be moved to "shard-1-of-3" safely. Remove it from the state of the stack that should not manage it (`pulumi state delete --stack STACK URN`) and run again',
        ]);
    });

    it("resumes a move that stopped after moving the resources: the provider left behind is removed, nothing is moved again", () => {
        const held = [...heldClusters("a", stackState("a", ["us-east-1"], { providerOnly: ["us-east-1"] })), ...heldClusters("b", stackState("b", ["us-east-1"]))];
        const { plan, problems } = planStateMoves([{ name: "b", selector: "cluster:us-east-1", clusters: [FLEET[0]] }], held);
        assert.deepStrictEqual(problems, []);
        assert.deepStrictEqual(plan.moves, []);
        assert.deepStrictEqual(plan.leftovers.map((l) => [l.stack, l.cluster, l.providers.map(urnName)]), [["a", "us-east-1", ["e2e-us-east-1"]]]);
    });

    it("groups the moves by the two stacks they go between, one engine operation per pair", () => {
        const two = planStacks({ clusters: FLEET, stacks: { shards: 2 } });
        const three = planStacks({ clusters: FLEET, stacks: { shards: 3 } });
        const groups = movesByStacks(planStateMoves(three, deployed(two)).plan.moves);
        assert.strictEqual(groups.flatMap((g) => g.moves).length, 6);
        assert.strictEqual(new Set(groups.map((g) => `${g.from}>${g.to}`)).size, groups.length);
        for (const g of groups) assert.ok(g.moves.every((m) => m.from === g.from && m.to === g.to));
    });

    it("keeps only the moves into the stacks of a plan restricted with --stack, and only the stacks they empty", () => {
        const two = planStacks({ clusters: FLEET, stacks: { shards: 2 } });
        const three = planStacks({ clusters: FLEET, stacks: { shards: 3 } });
        const { plan } = planStateMoves(three, deployed(two));
        const into = movesForStacks(plan, new Set(["shard-3-of-3"]));
        assert.deepStrictEqual(into.problems, []);
        assert.ok(into.plan.moves.length > 0 && into.plan.moves.every((m) => m.to === "shard-3-of-3"));
        // Each old shard also gives clusters to the two stacks not selected, so neither is emptied by these moves.
        assert.deepStrictEqual(into.plan.emptied, []);
        assert.deepStrictEqual(movesForStacks(plan, new Set(three.map((s) => s.name))).plan, plan);
    });

    it("refuses a plan restricted with --stack to a stack a cluster moves out of, naming the cluster and both stacks", () => {
        const regions = planStacks({ clusters: FLEET, stacks: { by: "region" } });
        const held = deployed(regions);
        // us keeps us-east-1; us-west-2 leaves it for a stack of its own, which --stack us does not select.
        const stacks = [{ name: "us", selector: "cluster:us-east-1", clusters: [FLEET[0]] }, { name: "us-west-2", selector: "cluster:us-west-2", clusters: [FLEET[1]] }];
        const { plan } = planStateMoves(stacks, held);
        const only = movesForStacks(plan, new Set(["us"]));
        assert.deepStrictEqual(only.plan.moves, []);
        assert.deepStrictEqual(only.problems.map(formatProblem), [
            '`stack us` (cluster "us-west-2"): moves to stack "us-west-2", which --stack does not select, so "us" must not run before the move is made (it would delete the cluster\'s resources): run `fleet-rollout move` (without --stack) first, then run again',
        ]);
        // Selecting both ends makes the move; selecting only its destination makes it too (the source does not run).
        assert.deepStrictEqual(movesForStacks(plan, new Set(["us", "us-west-2"])), { plan, problems: [] });
        assert.deepStrictEqual(movesForStacks(plan, new Set(["us-west-2"])).plan.moves.map((m) => m.cluster), ["us-west-2"]);
    });

    it("prints at most ten moves, then how many more, and gives them all in JSON", () => {
        const many = Array.from({ length: 30 }, (_, i) => ({ name: `c-${String(i + 1).padStart(2, "0")}`, region: "eu" }));
        const held = heldClusters("eu", stackState("eu", many.map((c) => c.name)));
        const { plan } = planStateMoves(planStacks({ clusters: many, stacks: { shards: 2 } }), held);
        const lines = moveLines(plan);
        assert.strictEqual(lines[0], "30 clusters change stack: their resources move between the stacks' states before anything runs, so nothing is deleted or created");
        assert.strictEqual(lines.filter((l) => / → /.test(l)).length, 10);
        assert.ok(lines.includes("  and 20 more (--json lists them all)"));
        assert.strictEqual(lines[lines.length - 1], 'stacks holding no cluster after the moves, which this plan no longer runs: "eu"');
        assert.strictEqual((movesJson(plan) as { moves: unknown[] }).moves.length, 30);
        assert.deepStrictEqual(moveLines({ moves: [], leftovers: [], emptied: [] }), []);
    });
});

describe("state moves of a renamed cluster", () => {
    it("finds a cluster held under a former name and moves it to the stack its new name puts it in", () => {
        const held = heldClusters("ap-south-1", stackState("ap-south-1", ["ap-south-1"]));
        const renamed = { name: "ap-south-1b", region: "ap" };
        const { plan, problems } = planStateMoves([{ name: "ap-south-1b", selector: "cluster:ap-south-1b", clusters: [renamed] }], held, new Map([["ap-south-1b", ["ap-south-1"]]]));
        assert.deepStrictEqual(problems, []);
        assert.deepStrictEqual(plan.moves.map((m) => [m.cluster, m.from, m.to, m.resources.length]), [["ap-south-1b", "ap-south-1", "ap-south-1b", 5]]);
    });

    it("moves nothing for a renamed cluster whose stack stays the same", () => {
        const held = heldClusters("ap", stackState("ap", ["ap-south-1"]));
        const { plan } = planStateMoves([{ name: "ap", selector: "region:ap", clusters: [{ name: "ap-south-1b", region: "ap" }] }], held, new Map([["ap-south-1b", ["ap-south-1"]]]));
        assert.deepStrictEqual(plan.moves, []);
    });
});
