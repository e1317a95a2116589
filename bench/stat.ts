/** A median with its range, as every benchmark figure is reported. */
export interface Stat {
    /** The median of the runs. */
    median: number;
    /** The lowest run. */
    min: number;
    /** The highest run. */
    max: number;
}

/** The median, min and max of `xs`. */
export function stat(xs: number[]): Stat {
    const sorted = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(sorted.length / 2);
    return { median: sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2, min: sorted[0], max: sorted[sorted.length - 1] };
}
