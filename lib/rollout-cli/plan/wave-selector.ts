import { ALL, FleetSelection, parseSelector, SelectableCluster, selectClusters, selectionProblems } from "../../fleet/fleet-selection";
import { Problem } from "../../errors/problems";
import { assignShards } from "../../fleet/shard-assignment";

// A wave's selector: a stack's own selector (`region:eu`, `cluster:a,b`), or forms that only make
// sense for a rollout over many stacks: several shards at once, and a share of the fleet's stacks.

/**
 * A wave's selector, parsed. At most one field is set; none means `*`, every stack no earlier wave
 * took. The text the user wrote stays the wave's `selector` in the plan; this is only how it is read.
 */
export interface WaveSelection {
    /** Clusters by region or by name, as a stack's own selector picks them: `region:eu`, `cluster:a,b`. */
    readonly clusters?: FleetSelection;
    /** One or several shards of `shards: N` stacks: `shard:2/20`, `shard:2,3,7/20`, `shard:1,4-6/20`. */
    readonly shards?: ShardList;
    /**
     * A share of the plan's stacks, in percent (1 to 100): `25%`. The wave takes `ceil(percent × all
     * stacks of the plan / 100)` stacks, at least one, but no more than are left, from the stacks that
     * no selector wave names and no earlier `%` or `*` wave took, in plan order (see {@link shareSize}).
     */
    readonly percent?: number;
}

/** Shards `ranges` of `count`, as in `shard:1,4-6/20`. */
export interface ShardList {
    /** The indexes and ranges as written, in order: `1,4-6` is `[{ from: 1, to: 1 }, { from: 4, to: 6 }]`. */
    readonly ranges: readonly ShardRange[];
    /** How many shards the fleet is split into: the `N` of `/N`. */
    readonly count: number;
}

/** Shards `from` to `to`, both included, 1-based; one shard when they are equal. */
export interface ShardRange {
    /** The first shard. */
    readonly from: number;
    /** The last shard; `from` for a single shard. */
    readonly to: number;
}

/** How the selectors a wave can use are written, for messages. */
export const WAVE_SELECTORS = "selectors are `region:NAME[,NAME…]`, `cluster:NAME[,NAME…]`, `shard:I[,J-K…]/N`, `P%` or `*`";

/**
 * Parses a wave's selector: every form of {@link parseSelector}, plus shard lists and ranges
 * (`shard:2,3,7/20`, `shard:2-5/20`, `shard:1,4-6/20`) and shares (`25%`). Checks the syntax only;
 * {@link waveSelectionProblems} checks the values against the fleet.
 */
export function parseWaveSelector(text: string, field: string): { selection?: WaveSelection; problem?: Problem } {
    const trimmed = text.trim();
    if (trimmed === ALL) return { selection: {} };
    if (trimmed.endsWith("%")) {
        const percent = /^(\d+)\s*%$/.exec(trimmed);
        if (!percent) return { problem: { field, message: `${JSON.stringify(text)}: a share of the stacks is a whole percentage, e.g. \`25%\`` } };
        return { selection: { percent: Number(percent[1]) } };
    }
    const shard = /^shards?:(.*)$/.exec(trimmed);
    if (shard) {
        const shards = parseShardList(shard[1]);
        if (!shards) {
            return { problem: { field, message: `${JSON.stringify(text)}: shards are written \`shard:I/N\`, a list \`shard:2,3,7/20\` or ranges \`shard:1,4-6/20\` (1-based)` } };
        }
        return { selection: { shards } };
    }
    if (!/^(region|cluster)s?:/.test(trimmed)) return { problem: { field, message: `${JSON.stringify(text)} is not a selector; ${WAVE_SELECTORS}` } };
    const { selection, problem } = parseSelector(text, field);
    return problem ? { problem } : { selection: { clusters: selection } };
}

function parseShardList(text: string): ShardList | undefined {
    const match = /^(.+)\/\s*(\d+)$/.exec(text.trim());
    if (!match) return undefined;
    const ranges: ShardRange[] = [];
    for (const item of match[1].split(",")) {
        const range = /^(\d+)(?:\s*-\s*(\d+))?$/.exec(item.trim());
        if (!range) return undefined;
        ranges.push({ from: Number(range[1]), to: Number(range[2] ?? range[1]) });
    }
    return { ranges, count: Number(match[2]) };
}

/** What a wave selector is checked against: the fleet's clusters, and its shard count when the fleet is split into `shards: N` stacks. */
export interface WaveContext {
    /** Every cluster of the fleet, in fleet order. */
    readonly clusters: readonly SelectableCluster[];
    /** The `N` of the definition's `stacks: { shards: N }`. @default absent: the fleet is split by region or by cluster */
    readonly shards?: number;
}

/**
 * Everything wrong with a wave's selection against the fleet: an unknown region or cluster, a shard
 * outside 1 to N, a range written backwards, a shard named twice, a shard count other than the
 * fleet's, a share outside 1% to 100%. Each problem is on `field` and quotes the selector `text`.
 */
export function waveSelectionProblems(selection: WaveSelection, context: WaveContext, field: string, text: string): Problem[] {
    const on = (message: string): Problem => ({ field, message: `${text}: ${message}` });
    if (selection.clusters) return selectionProblems(selection.clusters, context.clusters, field).map((p) => on(p.message));
    if (selection.percent !== undefined) {
        const { percent } = selection;
        return percent >= 1 && percent <= 100 ? [] : [on(`is ${percent}%; a share of the stacks is from 1% to 100%`)];
    }
    if (!selection.shards) return [];
    const { ranges, count } = selection.shards;
    if (!(count >= 1)) return [on(`counts ${count} shards; the limit is 1 or more`)];
    const problems: Problem[] = [];
    // A wave over shards of another count than the fleet's picks clusters across the fleet's stacks,
    // so every stack it touches would be split; say what the count must be instead.
    if (context.shards !== undefined && count !== context.shards) {
        problems.push(on(`counts ${count} shards, but the fleet is split into ${context.shards} (\`stacks: { shards: ${context.shards} }\`); write shards of ${context.shards}, e.g. \`shard:1/${context.shards}\``));
    }
    const seen = new Set<number>();
    const repeated = new Set<number>();
    for (const { from, to } of ranges) {
        if (from > to) {
            problems.push(on(`the range ${from}-${to} runs backwards; write it from low to high, ${to}-${from}`));
            continue;
        }
        const outside = [from, to].filter((i) => i < 1 || i > count);
        if (outside.length > 0) {
            problems.push(on(`shard ${outside[0]} is out of range; shards are numbered from 1 to ${count}`));
            continue;
        }
        for (let i = from; i <= to; i++) (seen.has(i) ? repeated : seen).add(i);
    }
    if (repeated.size > 0) problems.push(on(`names shard${repeated.size === 1 ? "" : "s"} ${[...repeated].sort((a, b) => a - b).join(", ")} more than once; name each shard once`));
    return problems;
}

/** Whether a wave selection is `*`: every cluster no other wave took. */
export function isRest(selection: WaveSelection): boolean {
    return !selection.clusters && !selection.shards && selection.percent === undefined;
}

/** The shard indexes of a list, ascending: `1,4-6` is `[1, 4, 5, 6]`. The list must be valid. */
export function shardIndexes(shards: ShardList): number[] {
    const indexes = new Set<number>();
    for (const { from, to } of shards.ranges) for (let i = from; i <= to; i++) indexes.add(i);
    return [...indexes].sort((a, b) => a - b);
}

/**
 * The clusters a selector wave names, in fleet order: by region or name, or the clusters of its
 * shards. `undefined` for `*` and `%` waves, which take whole stacks instead. The selection must be valid.
 */
export function waveClusters<C extends SelectableCluster>(clusters: readonly C[], selection: WaveSelection): C[] | undefined {
    if (selection.clusters) return selectClusters(clusters, selection.clusters);
    if (!selection.shards) return undefined;
    const wanted = new Set(shardIndexes(selection.shards));
    const shards = assignShards(clusters.map((c) => c.name), selection.shards.count);
    return clusters.filter((c) => wanted.has(shards.get(c.name)!));
}

/**
 * How many stacks a `percent` wave takes from a plan of `total` stacks: `percent` of all of them,
 * rounded up, so that a small share of a small fleet is still at least one stack (25% of 20 is 5; 10%
 * of 4 is 1). The caller caps it by the stacks still left. Counted in whole numbers, so 7% of 100 is
 * exactly 7, never 8 by a floating-point error.
 */
export function shareSize(percent: number, total: number): number {
    return Math.floor((percent * total + 99) / 100);
}
