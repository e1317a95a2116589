/**
 * A synthetic preview of a large fleet, as the engine's steps would give it: `clusters` clusters in
 * three regions, shard stacks of 50, `configMaps` ConfigMaps each with one key changed everywhere,
 * optionally with a region and a cluster that get another value. Used by the unit tests and
 * by the review benchmark (bench/review.ts).
 */
import { ClusterChanges } from "../../../../lib/rollout-cli/review/changes";
import { FleetShape } from "../../../../lib/rollout-cli/review/fleet-shape";
import { PreviewResult, StackResult } from "../../../../lib/rollout-cli/run/run";

/** What the synthetic preview changes. */
export interface SyntheticOptions {
    /** Clusters in the fleet. */
    readonly clusters: number;
    /** ConfigMaps per cluster that change: `config-0`… each change their `LOG_LEVEL`. */
    readonly configMaps: number;
    /** A region whose clusters get another new value. */
    readonly regionOverride?: string;
    /** A cluster that gets a third new value. */
    readonly clusterOverride?: string;
}

const REGIONS = ["eu", "us", "ap"];

/** The fleet: cluster `c0001`… spread over eu, us and ap in turn, stacks `shard-1`… of 50 clusters. */
export function syntheticShape(clusters: number): FleetShape {
    const regions: Record<string, string[]> = {};
    for (let i = 0; i < clusters; i++) (regions[REGIONS[i % 3]] ??= []).push(name(i));
    return { regions, definition: "synthetic-definition", plan: "synthetic-plan", stacks: Array.from({ length: Math.ceil(clusters / 50) }, (_, i) => `shard-${i + 1}`) };
}

/** The preview: every cluster changes `LOG_LEVEL` of each of its `configMaps` ConfigMaps, and restarts `web`. */
export function syntheticPreview(options: SyntheticOptions): PreviewResult {
    const stacks: StackResult[] = [];
    for (let s = 0; s * 50 < options.clusters; s++) {
        const clusters: ClusterChanges[] = [];
        for (let i = s * 50; i < Math.min(options.clusters, (s + 1) * 50); i++) {
            const region = REGIONS[i % 3];
            const after = name(i) === options.clusterOverride ? "trace" : region === options.regionOverride ? "debug" : "warn";
            clusters.push({
                cluster: name(i),
                region,
                stack: `shard-${s + 1}`,
                configMaps: Array.from({ length: options.configMaps }, (_, k) => ({
                    name: `shop/config-${k}`,
                    op: "update",
                    keys: ["LOG_LEVEL"],
                    values: [{ key: "LOG_LEVEL", before: "info", after }],
                })),
                restarts: [{ name: "deployment/web", op: "update", fields: Array.from({ length: options.configMaps }, (_, k) => `spec.template.metadata.annotations["checksum.fleet-configmap.dev/config-${k}"]`) }],
                other: [],
            });
        }
        stacks.push({ stack: `shard-${s + 1}`, status: "changed", clusters, outside: [], failedClusters: [] });
    }
    return { status: "succeeded", stacks };
}

function name(i: number): string {
    return `c${String(i + 1).padStart(4, "0")}`;
}
