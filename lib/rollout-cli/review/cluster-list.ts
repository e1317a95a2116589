/**
 * A group's clusters, written short: every region the group covers whole as `region eu (48 clusters)`,
 * then the other clusters by name, at most ten of them before "and N more". The counts always add up
 * to the group's size.
 */
import { MAX_LISTED } from "../../errors/bounded-list";
import { FleetShape } from "./fleet-shape";

/** The group's clusters as one line: whole regions first, then names, bounded. */
export function compactClusters(clusters: readonly string[], shape: Pick<FleetShape, "regions">, max = MAX_LISTED): string {
    const members = new Set(clusters);
    const parts: string[] = [];
    const covered = new Set<string>();
    for (const [region, all] of Object.entries(shape.regions)) {
        // A one-cluster region reads better by the cluster's name.
        if (all.length > 1 && all.every((c) => members.has(c))) {
            parts.push(`region ${region} (${all.length} clusters)`);
            all.forEach((c) => covered.add(c));
        }
    }
    const rest = clusters.filter((c) => !covered.has(c));
    parts.push(...rest.slice(0, max));
    const more = rest.length > max ? ` and ${rest.length - max} more` : "";
    return parts.join(", ") + more;
}

/**
 * A group's title: `changes (3 clusters): region eu (2 clusters), us-east-1`; the count is left out
 * when the list says it already (one cluster, or one whole region).
 */
export function groupHeading(status: string, clusters: readonly string[], shape: Pick<FleetShape, "regions">): string {
    const list = compactClusters(clusters, shape);
    const saysCount = clusters.length === 1 || /^region \S+ \(\d+ clusters\)$/.test(list);
    return `${status}${saysCount ? "" : ` (${clusters.length} clusters)`}: ${list}`;
}
