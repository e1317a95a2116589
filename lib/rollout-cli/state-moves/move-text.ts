/**
 * The moves as `plan`, `preview` and `up` print them: bounded in text ("and N more"), whole in JSON.
 */
import { boundedQuotedList, MAX_LISTED } from "../../errors/bounded-list";
import { StateMovePlan } from "./move-plan";

const plural = (n: number, what: string) => `${n} ${what}${n === 1 ? "" : "s"}`;

/**
 * The moves as text, one line per cluster (at most ten, then how many more), then the providers left
 * behind and the stacks emptied; no lines when nothing moves. `done` says whether they were made
 * (`up`) or are to be made (`plan`, `preview`).
 */
export function moveLines(plan: StateMovePlan, done = false): string[] {
    const lines: string[] = [];
    if (plan.moves.length > 0) {
        const verb = done ? "moved" : "move";
        lines.push(
            `${plural(plan.moves.length, "cluster")} ${done ? "changed" : "change"} stack: their resources ${verb} between the stacks' states ${done ? "before anything ran" : "before anything runs"}, so nothing is deleted or created`,
        );
        for (const m of plan.moves.slice(0, MAX_LISTED)) lines.push(`  ${m.cluster}: ${m.from} → ${m.to} (${plural(m.resources.length, "resource")})`);
        if (plan.moves.length > MAX_LISTED) lines.push(`  and ${plan.moves.length - MAX_LISTED} more (--json lists them all)`);
    }
    if (plan.leftovers.length > 0) {
        const stacks = [...new Set(plan.leftovers.map((l) => l.stack))];
        lines.push(`providers an earlier move left behind: ${plural(plan.leftovers.length, "cluster")} in ${boundedQuotedList(stacks)}; ${done ? "removed" : "removed first"}`);
    }
    if (plan.emptied.length > 0) {
        lines.push(`stacks holding no cluster after the moves, which this plan no longer runs: ${boundedQuotedList(plan.emptied)}`);
    }
    return lines;
}

/** The moves for `--json`: every cluster, every resource URN. */
export function movesJson(plan: StateMovePlan): object {
    return {
        moves: plan.moves.map((m) => ({ cluster: m.cluster, from: m.from, to: m.to, resources: m.resources, providers: m.providers })),
        leftoverProviders: plan.leftovers.map((l) => ({ stack: l.stack, cluster: l.cluster, providers: l.providers })),
        emptiedStacks: plan.emptied,
    };
}
