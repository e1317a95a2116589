/**
 * Clusters whose changes are identical form one group, printed once: at a thousand clusters, the same
 * change in 990 of them is one group, not 990 rows. "Identical" is decided on the whole body (the same
 * resources, operations, key diffs with their values, and restarts), never on names alone.
 */
import canonicalize from "canonicalize";

/** Clusters that share one body. */
export interface Group<B> {
    /** What every cluster of the group has. */
    readonly body: B;
    /** The clusters, in the order they were given. */
    readonly clusters: readonly string[];
}

/**
 * Groups items by their body, compared as canonical JSON. Groups come in the order `rank` gives (lower
 * first), then largest first, then in order of first appearance; so the order is stable.
 */
export function groupBy<T, B>(items: readonly T[], clusterOf: (item: T) => string, bodyOf: (item: T) => B, rank: (body: B) => number = () => 0): Group<B>[] {
    const groups = new Map<string, { body: B; clusters: string[]; first: number }>();
    items.forEach((item, i) => {
        const body = bodyOf(item);
        const key = canonicalize(body) ?? "";
        const group = groups.get(key);
        if (group) group.clusters.push(clusterOf(item));
        else groups.set(key, { body, clusters: [clusterOf(item)], first: i });
    });
    return [...groups.values()]
        .sort((a, b) => rank(a.body) - rank(b.body) || b.clusters.length - a.clusters.length || a.first - b.first)
        .map(({ body, clusters }) => ({ body, clusters }));
}
