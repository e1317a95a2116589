/**
 * `preview --json`: one versioned document with the fleet it is of, the summary, the groups and every
 * cluster's changes with whole values. It is also what a CI job of one shard stack uploads, and what
 * `fleet-rollout report` joins (report.ts), so it carries all a review is rendered from.
 */
import { changed, ResourceChange } from "./changes";
import { PreviewResult, StackStatus } from "../run/run";
import { ClusterEntry, ChangeReview, GroupBody, reviewChanges } from "./change-review";
import { FleetShape } from "./fleet-shape";

/** The version of the document; a reader refuses any other. */
export const PREVIEW_SCHEMA = "fleet-rollout/preview@1";

/** A stack of a preview document. */
export interface DocumentStack {
    /** The stack. */
    readonly name: string;
    /** How its preview ended. */
    readonly status: StackStatus;
    /** Its clusters, in plan order (their changes are in {@link PreviewDocument.clusters}). */
    readonly clusters: readonly string[];
    /** The clusters whose resources failed. */
    readonly failedClusters: readonly string[];
    /** Its steps on no fleet provider. */
    readonly outside: readonly ResourceChange[];
    /** The engine's error, when it failed. */
    readonly error?: string;
}

/** `preview --json`. */
export interface PreviewDocument {
    /** Always {@link PREVIEW_SCHEMA}. */
    readonly schema: typeof PREVIEW_SCHEMA;
    /** Always `preview`. */
    readonly command: "preview";
    /** `succeeded` when every stack previewed; `failed` if any did not; `interrupted` on Ctrl-C. */
    readonly status: PreviewResult["status"];
    /** The fleet and plan the preview is of, with their digests. */
    readonly fleet: FleetShape;
    /** The counts the summary line gives. */
    readonly summary: {
        /** Clusters previewed or meant to be. */
        readonly clusters: number;
        /** Clusters with changes. */
        readonly changed: number;
        /** Clusters without. */
        readonly unchanged: number;
        /** Groups of clusters with identical changes. */
        readonly groups: number;
        /** Steps on clusters. */
        readonly stepsOnClusters: number;
        /** Steps on no fleet provider. */
        readonly stepsOutside: number;
    };
    /** The groups, in the order the text prints them, each with every one of its clusters. */
    readonly groups: readonly (GroupBody & { readonly clusters: readonly string[] })[];
    /** Every cluster with its status and changes, whole values included. */
    readonly clusters: readonly (ClusterEntry & { readonly changed: boolean })[];
    /** Every stack of the preview. */
    readonly stacks: readonly DocumentStack[];
}

/** The document of a preview. */
export function previewDocument(result: PreviewResult, shape: FleetShape, review: ChangeReview = reviewChanges(result.stacks, "preview")): PreviewDocument {
    return {
        schema: PREVIEW_SCHEMA,
        command: "preview",
        status: result.status,
        fleet: shape,
        summary: {
            clusters: review.clusters.length,
            changed: review.clusters.filter((c) => c.status === "changes").length,
            unchanged: review.clusters.filter((c) => c.status === "unchanged").length,
            groups: review.groups.filter((g) => g.body.status === "changes").length,
            stepsOnClusters: review.steps.clusters,
            stepsOutside: review.steps.outside,
        },
        groups: review.groups.map((g) => ({ ...g.body, clusters: g.clusters })),
        clusters: review.clusters.map((c) => ({ ...c, changed: changed(c) })),
        stacks: result.stacks.map((s) => ({
            name: s.stack,
            status: s.status,
            clusters: s.clusters.map((c) => c.cluster),
            failedClusters: s.failedClusters,
            outside: s.outside,
            ...(s.error ? { error: s.error } : {}),
        })),
    };
}
