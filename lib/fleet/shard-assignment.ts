import { createHash } from "crypto";

/**
 * Which shard each cluster of a fleet belongs to, when the fleet is split into `count` shard stacks.
 *
 * Bounded-load rendezvous hashing, stateless: every cluster ranks the shards by a hash of
 * `(shard, cluster name)` (its first choice is the shard plain rendezvous hashing gives it), and the
 * clusters, taken in the order of a hash of their names, each take their best-ranked shard that still
 * has room. A shard holds at most {@link shardCapacity} clusters, 1.1 times the mean rounded up, so no
 * shard is much larger than the rest; and while there are at least as many clusters as shards, a shard
 * that no cluster took is given the cluster that ranks it highest of those in shards of two or more,
 * so no shard is empty.
 *
 * The assignment depends only on the set of cluster names and `count`: the program (each stack's Fleet
 * selects its shard) and the rollout command compute it from the same fleet and agree, and nothing has
 * to be remembered between runs. Adding or removing a cluster moves a few others (a cluster that a
 * full shard turned away may now fit in it, or the reverse): at 1,000 clusters in 20 shards, 0.39 per
 * cluster added on average as the fleet grows to 1,100 (at most 5), and 0.26 per cluster removed (at
 * most 2); more at the sizes where the cap grows by one (`npm run bench -- --only shard-balance`).
 * `fleet-rollout` moves a cluster that changes shard between its stacks' states before anything runs,
 * so such a move deletes nothing.
 */
export function assignShards(names: readonly string[], count: number): ReadonlyMap<string, number> {
    const unique = [...new Set(names)];
    // The program asks once per selection of the same fleet (the Fleet, its validation, the definition):
    // the last answer is kept, as computing it costs 30 ms at 1,000 clusters in 20 shards.
    const key = `${count}\0${unique.join("\0")}`;
    if (last?.key === key) return last.assigned;
    const capacity = shardCapacity(unique.length, count);
    const sizes = new Array<number>(count + 1).fill(0);
    const assigned = new Map<string, number>();
    const ordered = unique.map((name) => ({ name, order: orderKey(name) })).sort((a, b) => (a.order < b.order ? -1 : a.order > b.order ? 1 : a.name < b.name ? -1 : 1));
    for (const { name } of ordered) {
        const ranking = shardRanking(name, count);
        const shard = ranking.find((s) => sizes[s] < capacity) ?? ranking[0];
        sizes[shard]++;
        assigned.set(name, shard);
    }
    if (assigned.size >= count) fillEmptyShards(assigned, sizes, count);
    last = { key, assigned };
    return assigned;
}

let last: { key: string; assigned: ReadonlyMap<string, number> } | undefined;

/**
 * The shard (1-based, of `count`) of one cluster of a fleet whose clusters are `fleet` (its own name
 * among them): the one {@link assignShards} gives it, which a Fleet's `select: { shard }` and
 * `fleet-rollout`'s `stacks: { shards }` put it in.
 *
 * What changed when shards became even: a cluster's shard depends on the other clusters of the
 * fleet, so the fleet is a third argument. The old call, without it, still compiles and returns what
 * it always did (the overload below), which is not always the cluster's shard any more.
 */
export function shardOf(cluster: string, count: number, fleet: readonly string[]): number;
/**
 * The shard a cluster would be in alone: its first choice by plain rendezvous hashing, the number
 * earlier versions returned for the same arguments (they took no fleet).
 *
 * @deprecated Since shards are even, a cluster whose first choice is full goes to its next one, so
 * this is not always the shard it is in: pass the fleet's cluster names as the third argument.
 */
export function shardOf(cluster: string, count: number): number;
export function shardOf(cluster: string, count: number, fleet?: readonly string[]): number {
    // Alone, a cluster always has room in its first choice; asking assignShards would also drop the
    // fleet's assignment it keeps for the program's next question.
    if (!fleet) return shardRanking(cluster, count)[0];
    return assignShards(fleet, count).get(cluster) ?? shardRanking(cluster, count)[0];
}

/**
 * The most clusters one shard takes: 1.1 times the mean, rounded up (55 for 1,000 clusters in 20
 * shards), computed in whole numbers so that 1.1 × 50 is 55 and not 55.00000000000001 rounded up to 56.
 */
export function shardCapacity(clusters: number, count: number): number {
    return Math.max(1, Math.ceil((11 * clusters) / (10 * count)));
}

/** The shards from 1 to `count`, best first, for one cluster: rendezvous hashing's order. */
export function shardRanking(name: string, count: number): number[] {
    const scores = Array.from({ length: count }, (_, i) => ({ shard: i + 1, score: rendezvousScore(i + 1, name) }));
    return scores.sort((a, b) => b.score - a.score || a.shard - b.shard).map((s) => s.shard);
}

/** The hash of `(shard, cluster)` rendezvous hashing ranks by; the same as stable shards always used. */
function rendezvousScore(shard: number, name: string): number {
    return createHash("sha256").update(`${shard}\0${name}`).digest().readUInt32BE(0);
}

/**
 * The order clusters take their shards in: a hash of the name, so that a new cluster lands at a random
 * place in the order (and displaces on average as few later clusters as anywhere), not at the end or
 * the start as an alphabetical or fleet order would make it for names with a common prefix.
 */
function orderKey(name: string): string {
    return createHash("sha256").update(`order\0${name}`).digest("hex");
}

/**
 * Gives each empty shard, lowest first, the cluster that ranks it highest among the clusters of shards
 * holding two or more. It happens only when the shards are few clusters each, where a shard of no
 * cluster would be a stack of nothing.
 */
function fillEmptyShards(assigned: Map<string, number>, sizes: number[], count: number): void {
    for (let shard = 1; shard <= count; shard++) {
        if (sizes[shard] > 0) continue;
        let best: { name: string; score: number } | undefined;
        for (const [name, from] of assigned) {
            if (sizes[from] < 2) continue;
            const score = rendezvousScore(shard, name);
            if (!best || score > best.score || (score === best.score && name < best.name)) best = { name, score };
        }
        if (!best) continue;
        sizes[assigned.get(best.name)!]--;
        sizes[shard]++;
        assigned.set(best.name, shard);
    }
}
