import { RolloutPlan } from "./plan";

// `plan`: the waves, their stacks and clusters, as text or as JSON for a CI matrix.

/** The plan as text: each wave, its stacks and their clusters. */
export function renderPlan(plan: RolloutPlan): string {
    const lines: string[] = [];
    plan.waves.forEach((wave, i) => {
        lines.push(`wave ${i + 1} "${wave.name}" (${wave.selector}): ${wave.stacks.length} stack${wave.stacks.length === 1 ? "" : "s"}`);
        for (const s of wave.stacks) lines.push(`  stack ${s.name}  ${s.selector}  ${s.clusters.map((c) => c.name).join(", ")}`);
    });
    return lines.join("\n") + "\n";
}

/**
 * The plan for machines. `matrix` has one entry per stack, in wave order, for a CI system to run the
 * shards as matrix jobs on several machines (`fleet-rollout up --stack <stack>`), one wave after another.
 */
export function planJson(plan: RolloutPlan): object {
    return {
        waves: plan.waves.map((w) => ({ name: w.name, selector: w.selector, stacks: w.stacks.map((s) => ({ name: s.name, selector: s.selector, clusters: s.clusters })) })),
        matrix: plan.waves.flatMap((w, i) => w.stacks.map((s) => ({ wave: w.name, waveIndex: i + 1, stack: s.name, selector: s.selector }))),
    };
}
