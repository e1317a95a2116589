/**
 * The minimal layering of one key: given the value every cluster holds (or that it lacks the key),
 * the base value, the region values and the cluster exceptions that reproduce every cluster with the
 * fewest override entries the base < region < cluster model allows.
 *
 * Why this is minimal. Fix the base value `b` (any value, or absent). Regions are then independent
 * of each other, and so is every cluster given its region's effective value: a cluster whose
 * effective value differs from what it holds needs exactly one entry, one that agrees needs none. A
 * region with `n` clusters, whose most common value `w` is held by `m` of them and the base by `f`,
 * costs either `n - f` (no region entry: every cluster not holding `b` is an exception) or
 * `1 + n - m` (a region entry of `w`, then the clusters not holding `w`); setting any other value
 * costs more. So the least total for `b` is the sum over regions of `min(n - f, 1 + n - m)`, and the
 * answer is the least of these over every `b` some cluster holds, plus absent: a value no cluster
 * holds has `f = 0` everywhere, which absent matches (and absent, when no cluster lacks the key,
 * is matched by any held value, so it need not be tried then). The cost of a candidate changes only
 * in the regions that hold it, so the whole choice is linear in the number of (region, value) pairs.
 */

/**
 * One value a cluster holds for a key: the map it is in and the string, or `null` for a cluster
 * that lacks the key. Encoded as one string (`d` or `b`, then the value) so values compare and hash
 * as plain strings; see {@link encodeValue}.
 */
export type HeldValue = string | null;

/** A cluster's value of one key, as {@link chooseLayering} reads it. */
export interface ClusterHolding {
    /** The cluster's name. */
    readonly cluster: string;
    /** Its region. */
    readonly region: string;
    /** What it holds. */
    readonly value: HeldValue;
}

/** Where one key's value comes from in every cluster, with as few override entries as possible. */
export interface KeyLayering {
    /** The base value, or `null` when the base lacks the key. */
    readonly base: HeldValue;
    /** The region entries: a value to set, or `null` to remove the key. Regions without an entry are absent. */
    readonly regions: ReadonlyMap<string, HeldValue>;
    /** The cluster entries (the exceptions): a value to set, or `null` to remove the key. */
    readonly clusters: ReadonlyMap<string, HeldValue>;
    /** How many override entries, region and cluster, this takes: the least possible. */
    readonly entries: number;
}

/** A `data` or `binaryData` value as one comparable string. */
export function encodeValue(kind: "data" | "binaryData", value: string): string {
    return (kind === "data" ? "d" : "b") + value;
}

/** The map and string of an encoded value. */
export function decodeValue(value: string): { readonly kind: "data" | "binaryData"; readonly value: string } {
    return { kind: value[0] === "d" ? "data" : "binaryData", value: value.slice(1) };
}

/** Per region, how often each value is held, and its most common value. */
interface RegionTally {
    readonly size: number;
    readonly counts: Map<HeldValue, number>;
    /** The most common value, ties broken by {@link preferred}. */
    readonly top: HeldValue;
    /** How many clusters hold it. */
    readonly topCount: number;
}

/**
 * The minimal layering of one key over the clusters that hold it (or lack it). Deterministic: among
 * layerings with equally few entries, the base is the value most clusters hold, a value before
 * absent, then the smaller value; a region gets an entry when that costs no more than listing its
 * clusters one by one (so a region that agrees on a value carries it, even a one-cluster region).
 */
export function chooseLayering(holdings: readonly ClusterHolding[]): KeyLayering {
    const byRegion = new Map<string, ClusterHolding[]>();
    const fleetCounts = new Map<HeldValue, number>();
    for (const h of holdings) {
        let list = byRegion.get(h.region);
        if (list === undefined) byRegion.set(h.region, (list = []));
        list.push(h);
        fleetCounts.set(h.value, (fleetCounts.get(h.value) ?? 0) + 1);
    }
    const tallies = new Map<string, RegionTally>();
    // What each region costs with a base no cluster of it holds; a candidate base changes only the regions holding it.
    let baseline = 0;
    const regionsHolding = new Map<HeldValue, string[]>();
    for (const [region, list] of byRegion) {
        const counts = new Map<HeldValue, number>();
        for (const h of list) counts.set(h.value, (counts.get(h.value) ?? 0) + 1);
        let top: HeldValue = null;
        let topCount = -1;
        for (const [value, count] of counts) {
            if (count > topCount || (count === topCount && preferred(value, top) < 0)) [top, topCount] = [value, count];
            let holding = regionsHolding.get(value);
            if (holding === undefined) regionsHolding.set(value, (holding = []));
            holding.push(region);
        }
        const tally = { size: list.length, counts, top, topCount };
        tallies.set(region, tally);
        baseline += regionCost(tally, 0);
    }

    let base: HeldValue = null;
    let best = Infinity;
    for (const [candidate, regions] of regionsHolding) {
        let total = baseline;
        for (const region of regions) {
            const tally = tallies.get(region)!;
            total += regionCost(tally, tally.counts.get(candidate)!) - regionCost(tally, 0);
        }
        if (total < best || (total === best && betterBase(candidate, base, fleetCounts) < 0)) [base, best] = [candidate, total];
    }

    const regions = new Map<string, HeldValue>();
    const clusters = new Map<string, HeldValue>();
    for (const [region, list] of byRegion) {
        const tally = tallies.get(region)!;
        const f = tally.counts.get(base) ?? 0;
        const withEntry = tally.top !== base && 1 + tally.size - tally.topCount <= tally.size - f;
        if (withEntry) regions.set(region, tally.top);
        const effective = withEntry ? tally.top : base;
        for (const h of list) if (h.value !== effective) clusters.set(h.cluster, h.value);
    }
    return { base, regions, clusters, entries: regions.size + clusters.size };
}

/** A region's least cost when `f` of its clusters hold the base: exceptions only, or a region entry and then exceptions. */
function regionCost(tally: RegionTally, f: number): number {
    return Math.min(tally.size - f, 1 + tally.size - tally.topCount);
}

/** Orders base candidates of equal cost: more clusters holding it first, then {@link preferred}. */
function betterBase(a: HeldValue, b: HeldValue, fleetCounts: ReadonlyMap<HeldValue, number>): number {
    const byCount = (fleetCounts.get(b) ?? 0) - (fleetCounts.get(a) ?? 0);
    return byCount !== 0 ? byCount : preferred(a, b);
}

/** A value before absent, then the smaller string: a stable order for ties. */
function preferred(a: HeldValue, b: HeldValue): number {
    if (a === b) return 0;
    if (a === null) return 1;
    if (b === null) return -1;
    return a < b ? -1 : 1;
}
