/**
 * Which clusters' resources move between stacks' states before a rollout runs, so that a cluster the
 * plan puts in another stack than the one whose state holds it is neither deleted by the one nor
 * created by the other. Pure: it compares the plan with what the states hold (held-clusters.ts).
 */
import { boundedQuotedList } from "../../errors/bounded-list";
import { Problem } from "../../errors/problems";
import { PlannedStack } from "../plan/plan";
import { HeldCluster } from "./held-clusters";

/** One cluster's resources, moved from one stack's state to another's. */
export interface ClusterMove {
    /** The cluster. */
    readonly cluster: string;
    /** The stack whose state holds it now. */
    readonly from: string;
    /** The stack the plan puts it in. */
    readonly to: string;
    /** The URNs (in `from`) of the resources moved; their children go with them. */
    readonly resources: readonly string[];
    /** The URNs (in `from`) of its providers: the move copies them, and they are then removed from `from`. */
    readonly providers: readonly string[];
}

/** Providers a move left behind with no resource (it stopped before removing them): removed first. */
export interface LeftProviders {
    /** The stack whose state has them. */
    readonly stack: string;
    /** Their cluster, which another stack manages. */
    readonly cluster: string;
    /** The stack the plan puts the cluster in. */
    readonly to: string;
    /** Their URNs. */
    readonly providers: readonly string[];
}

/** Everything done to the stacks' states before anything runs. */
export interface StateMovePlan {
    /** Each cluster that changes stack, in the order of the stacks it leaves, then enters, then its name. */
    readonly moves: readonly ClusterMove[];
    /** Providers a move left behind, to remove (finishing that move). */
    readonly leftovers: readonly LeftProviders[];
    /**
     * Stacks outside the plan that hold clusters now and none after the moves: nothing runs them any
     * more, and nothing in them is deleted.
     */
    readonly emptied: readonly string[];
}

/** Whether the plan changes any stack's state. */
export function hasStateChanges(plan: StateMovePlan): boolean {
    return plan.moves.length + plan.leftovers.length > 0;
}

/**
 * What to move so that every cluster of the plan is held by its planned stack's state, from the
 * clusters every stack's state holds (every stack of the project, those outside the plan included:
 * a fleet re-sharded from 2 to 3 shards leaves `shard-1-of-2` for `shard-1-of-3`).
 *
 * A cluster whose resources are in two stacks' states cannot be moved safely, whichever stacks they
 * are: it is a problem naming the cluster and the stacks, and nothing is moved. A cluster no state
 * holds is new; a cluster the fleet no longer has is left to its stack, as before.
 *
 * @param formerNames A renamed cluster's former names, by its name now: a state that holds it under
 * one of them (its provider keeps the first as its identifier) holds it.
 */
export function planStateMoves(
    stacks: readonly PlannedStack[],
    held: readonly HeldCluster[],
    formerNames: ReadonlyMap<string, readonly string[]> = new Map(),
): { plan: StateMovePlan; problems: Problem[] } {
    const plannedIn = new Map<string, string>();
    for (const stack of stacks) for (const c of stack.clusters) plannedIn.set(c.name, stack.name);
    const nameNow = new Map<string, string>();
    for (const [name, olds] of formerNames) for (const old of olds) if (!plannedIn.has(old)) nameNow.set(old, name);
    const holders = new Map<string, HeldCluster[]>();
    for (const h of held) {
        const cluster = nameNow.get(h.cluster) ?? h.cluster;
        holders.set(cluster, [...(holders.get(cluster) ?? []), { ...h, cluster }]);
    }

    const moves: ClusterMove[] = [];
    const leftovers: LeftProviders[] = [];
    const problems: Problem[] = [];
    for (const [cluster, to] of plannedIn) {
        const all = holders.get(cluster) ?? [];
        const holding = all.filter((h) => h.resources.length > 0);
        if (holding.length > 1) {
            const names = holding.map((h) => h.stack).sort();
            problems.push({
                field: `stack ${names.includes(to) ? to : names[0]}`,
                cluster,
                message: `is held by the states of stacks ${boundedQuotedList(names)}; a cluster is one stack's, so it cannot be moved to "${to}" safely. Remove it from the state of the stack that should not manage it (\`pulumi state delete --stack STACK URN\`) and run again`,
            });
            continue;
        }
        for (const h of all) if (h.resources.length === 0 && h.stack !== to) leftovers.push({ stack: h.stack, cluster, to, providers: h.providers });
        const [from] = holding;
        if (from && from.stack !== to) moves.push({ cluster, from: from.stack, to, resources: from.resources, providers: from.providers });
    }
    if (problems.length > 0) return { plan: { moves: [], leftovers: [], emptied: [] }, problems };

    const planned = new Set(stacks.map((s) => s.name));
    const moving = new Set(moves.map((m) => `${m.from}\0${m.cluster}`));
    const heldBy = new Map<string, HeldCluster[]>();
    for (const h of held) if (h.resources.length > 0) heldBy.set(h.stack, [...(heldBy.get(h.stack) ?? []), h]);
    const emptied = [...heldBy]
        .filter(([stack, clusters]) => !planned.has(stack) && clusters.every((h) => moving.has(`${stack}\0${h.cluster}`)))
        .map(([stack]) => stack)
        .sort();
    moves.sort((a, b) => compare(a.from, b.from) || compare(a.to, b.to) || compare(a.cluster, b.cluster));
    leftovers.sort((a, b) => compare(a.stack, b.stack) || compare(a.cluster, b.cluster));
    return { plan: { moves, leftovers, emptied }, problems };
}

/** The moves grouped by the two stacks they go between, in plan order: one engine operation each. */
export function movesByStacks(moves: readonly ClusterMove[]): { from: string; to: string; moves: ClusterMove[] }[] {
    const groups = new Map<string, { from: string; to: string; moves: ClusterMove[] }>();
    for (const m of moves) {
        const key = `${m.from}\0${m.to}`;
        if (!groups.has(key)) groups.set(key, { from: m.from, to: m.to, moves: [] });
        groups.get(key)!.moves.push(m);
    }
    return [...groups.values()];
}

/**
 * The moves of a plan restricted to some stacks (`--stack`): those into them, and the leftovers of
 * their clusters. A move out of a selected stack into one the selection leaves out is a problem (for
 * each such cluster, naming it and both stacks): the selected stack would run with a program that no
 * longer has the cluster while its state still holds it, and delete it. It is not made here either,
 * as CI runs one job per stack, in parallel: `fleet-rollout move` (every stack) makes it first.
 * `emptied` keeps only the stacks every move out of which is kept.
 */
export function movesForStacks(plan: StateMovePlan, stacks: ReadonlySet<string>): { plan: StateMovePlan; problems: Problem[] } {
    const problems: Problem[] = plan.moves
        .filter((m) => stacks.has(m.from) && !stacks.has(m.to))
        .map((m) => ({
            field: `stack ${m.from}`,
            cluster: m.cluster,
            message: `moves to stack "${m.to}", which --stack does not select, so "${m.from}" must not run before the move is made (it would delete the cluster's resources): run \`fleet-rollout move\` (without --stack) first, then run again`,
        }));
    if (problems.length > 0) return { plan: { moves: [], leftovers: [], emptied: [] }, problems };
    const moves = plan.moves.filter((m) => stacks.has(m.to));
    const leftovers = plan.leftovers.filter((l) => stacks.has(l.to));
    const emptied = plan.emptied.filter((stack) => plan.moves.every((m) => m.from !== stack || stacks.has(m.to)));
    return { plan: { moves, leftovers, emptied }, problems };
}

function compare(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}
