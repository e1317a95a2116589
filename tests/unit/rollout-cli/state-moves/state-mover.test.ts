import * as assert from "assert";
import { planStacks } from "../../../../lib/rollout-cli/plan/plan";
import { heldClusters } from "../../../../lib/rollout-cli/state-moves/held-clusters";
import { planStateMoves } from "../../../../lib/rollout-cli/state-moves/move-plan";
import { applyStateMoves, StateOperations } from "../../../../lib/rollout-cli/state-moves/state-mover";
import { stackState, urnName } from "./state-fixtures";

const FLEET = ["a", "b", "c", "d", "e", "f"].map((name) => ({ name, region: "r" }));

/** Records every operation; fails the `failAt`-th one. */
function recorder(failAt?: number): StateOperations & { log: string[] } {
    const log: string[] = [];
    const step = (line: string) => {
        log.push(line);
        if (log.length === failAt) throw new Error("the backend refused");
    };
    return {
        log,
        move: async (from, to, urns) => step(`move ${from} → ${to}: ${urns.map(urnName).join(" ")}`),
        remove: async (stack, urns) => step(`remove ${stack}: ${urns.map(urnName).join(" ")}`),
    };
}

function reshardPlan() {
    const two = planStacks({ clusters: FLEET, stacks: { shards: 2 } });
    const held = two.flatMap((s) => heldClusters(s.name, stackState(s.name, s.clusters.map((c) => c.name))));
    return planStateMoves(planStacks({ clusters: FLEET, stacks: { shards: 3 } }), held).plan;
}

describe("state mover", () => {
    it("moves each pair of stacks' clusters in one operation, then removes their providers from the stack they left", async () => {
        const plan = reshardPlan();
        const ops = recorder();
        const result = await applyStateMoves(plan, ops);
        assert.strictEqual(result.error, undefined);
        assert.strictEqual(result.moved.length, 6);
        for (let i = 0; i < ops.log.length; i += 2) {
            assert.match(ops.log[i], /^move shard-\d-of-2 → shard-\d-of-3: /);
            const from = /^move (\S+)/.exec(ops.log[i])![1];
            assert.match(ops.log[i + 1], new RegExp(`^remove ${from}: (e2e-[a-f] ?)+$`));
        }
        assert.ok(ops.log.every((l) => !/^move .*e2e-/.test(l)), "providers are never passed to a move: the engine copies them");
    });

    it("stops at the first failed operation, naming the stacks and the clusters, and says that running again finishes", async () => {
        const plan = reshardPlan();
        const ops = recorder(3);
        const result = await applyStateMoves(plan, ops);
        assert.strictEqual(ops.log.length, 3);
        assert.match(result.error!, /^moving clusters .+ from stack shard-\d-of-2 to stack shard-\d-of-3 failed: the backend refused\. Nothing has run; run the same command again to finish the moves/);
        assert.strictEqual(result.moved.length, plan.moves.filter((m) => m.from === plan.moves[0].from && m.to === plan.moves[0].to).length);
    });

    it("removes the providers an earlier move left behind before moving anything", async () => {
        const held = [...heldClusters("x", stackState("x", ["a"], { providerOnly: ["a"] })), ...heldClusters("y", stackState("y", ["a"]))];
        const { plan } = planStateMoves([{ name: "y", selector: "cluster:a", clusters: [FLEET[0]] }], held);
        const ops = recorder();
        await applyStateMoves(plan, ops);
        assert.deepStrictEqual(ops.log, ["remove x: e2e-a"]);
    });
});
