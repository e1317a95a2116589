import { PlannedWave } from "./plan";

// The numbers `plan` prints above the lists: how big each wave is, and how even the shards are.

/** How big a wave is. */
export interface WaveSize {
    /** How many stacks the wave runs. */
    readonly stacks: number;
    /** How many clusters those stacks manage. */
    readonly clusters: number;
}

/** How many stacks and clusters a wave runs. */
export function waveSize(wave: PlannedWave): WaveSize {
    return { stacks: wave.stacks.length, clusters: wave.stacks.reduce((n, s) => n + s.clusters.length, 0) };
}

/**
 * The clusters per shard of a fleet split into `shards: N` stacks. No shard holds more than 1.1 times
 * the mean, rounded up (see shard-assignment.ts), but a shard can hold fewer; min and max show how far
 * apart the smallest and the largest shard stack are, which is what a rollout's slowest wave depends on.
 */
export interface ShardSummary {
    /** How many shards the fleet is split into (the `N`), empty shards included. */
    readonly count: number;
    /** The fewest clusters of any shard; 0 when a shard is empty. */
    readonly min: number;
    /** The median clusters per shard: the middle size, or the mean of the two middle sizes for an even count. */
    readonly median: number;
    /** The most clusters of any shard. */
    readonly max: number;
}

/** The {@link ShardSummary} of the shard sizes, one per shard. There is at least one. */
export function shardSummary(sizes: readonly number[]): ShardSummary {
    const sorted = [...sizes].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    const median = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    return { count: sorted.length, min: sorted[0], median, max: sorted[sorted.length - 1] };
}
