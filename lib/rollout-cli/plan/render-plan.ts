import { boundedList } from "../../errors/bounded-list";
import { formatDuration } from "../../fleet/durations";
import { RolloutPlan } from "./plan";
import { shardSummary, waveSize } from "./plan-summary";

// `plan`: the waves, their stacks and clusters, as text or as JSON for a CI matrix.

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;

/**
 * The plan as text: the shard sizes when the fleet is split into shards, then the `moves` lines (the
 * clusters whose resources move between stacks' states first, state-moves/move-text.ts), then each wave with its
 * stack and cluster counts, its stacks and their clusters (at most ten named per stack; `--json` has
 * them all).
 */
export function renderPlan(plan: RolloutPlan, moves: readonly string[] = []): string {
    const lines: string[] = [];
    if (plan.shardSizes) {
        const { count, min, median, max } = shardSummary(plan.shardSizes);
        const total = plan.shardSizes.reduce((a, b) => a + b, 0);
        lines.push(`${plural(total, "cluster")} in ${plural(count, "shard")}; clusters per shard: min ${min}, median ${median}, max ${max}`);
    }
    lines.push(...moves);
    plan.waves.forEach((wave, i) => {
        const size = waveSize(wave);
        const checks = [
            wave.soakMs !== undefined ? `soak ${formatDuration(wave.soakMs)}` : undefined,
            wave.gate ? `gate ${wave.gate.command}` : undefined,
            wave.timeoutMs !== undefined ? `timeout ${formatDuration(wave.timeoutMs)}` : undefined,
        ].filter((c) => c !== undefined);
        lines.push(`wave ${i + 1} "${wave.name}" (${wave.selector}): ${plural(size.stacks, "stack")}, ${plural(size.clusters, "cluster")}${checks.length ? `; ${checks.join(", ")}` : ""}`);
        for (const s of wave.stacks) lines.push(`  stack ${s.name}  ${s.selector}  ${boundedList(s.clusters.map((c) => c.name))}`);
    });
    return lines.join("\n") + "\n";
}

/**
 * The plan for machines. Each wave has its `clusters` count besides its stacks; `shards` summarises the
 * shard sizes when the fleet is split into shards. `matrix` has one entry per stack, in wave order, for
 * a CI system to run the shards as matrix jobs on several machines (`fleet-rollout up --stack <stack>`),
 * one wave after another.
 */
export function planJson(plan: RolloutPlan): object {
    return {
        waves: plan.waves.map((w) => ({
            name: w.name,
            selector: w.selector,
            clusters: waveSize(w).clusters,
            ...(w.soakMs !== undefined ? { soak: formatDuration(w.soakMs) } : {}),
            ...(w.gate ? { gate: w.gate.command } : {}),
            ...(w.timeoutMs !== undefined ? { timeout: formatDuration(w.timeoutMs) } : {}),
            stacks: w.stacks.map((s) => ({ name: s.name, selector: s.selector, clusters: s.clusters })),
        })),
        ...(plan.shardSizes ? { shards: shardSummary(plan.shardSizes) } : {}),
        matrix: plan.waves.flatMap((w, i) => w.stacks.map((s) => ({ wave: w.name, waveIndex: i + 1, stack: s.name, selector: s.selector }))),
    };
}
