/**
 * One review of what a preview or an up does across the fleet: each cluster's changes and status, the
 * clusters grouped by identical changes, the steps outside the fleet, the stacks' errors and a count of
 * every step. Pure; text, markdown and JSON are rendered from it.
 */
import { changed, ClusterChanges, ResourceChange } from "./changes";
import { StackResult } from "../run/run";
import { Group, groupBy } from "./groups";

/** What happened to one cluster. */
export type ClusterStatus = "changes" | "unchanged" | "failed" | "preview failed" | "cancelled" | "not started" | "not changed (its stack failed)";

/** One cluster's entry of a review. */
export interface ClusterEntry extends ClusterChanges {
    /** What happened to it. */
    readonly status: ClusterStatus;
}

/** What every cluster of a group has: its status and its changes. */
export interface GroupBody {
    /** The clusters' status. */
    readonly status: ClusterStatus;
    /** ConfigMaps written, with the keys' values. */
    readonly configMaps: ClusterChanges["configMaps"];
    /** Workloads whose pods restart. */
    readonly restarts: ClusterChanges["restarts"];
    /** Every other change on the clusters' providers. */
    readonly other: ClusterChanges["other"];
}

/** A step on no fleet provider, with the stack that makes it. */
export interface OutsideChange extends ResourceChange {
    /** The stack. */
    readonly stack: string;
}

/** A review of one preview, or of one wave of an up. */
export interface ChangeReview {
    /** Every cluster, in plan order. */
    readonly clusters: readonly ClusterEntry[];
    /** The clusters grouped by identical status and changes: failures first, then changes, then the rest; larger groups first. */
    readonly groups: readonly Group<GroupBody>[];
    /** Every step on no fleet provider. */
    readonly outside: readonly OutsideChange[];
    /** Each failed or cancelled stack's error. */
    readonly errors: readonly { readonly stack: string; readonly error: string }[];
    /** How many steps change something: on the clusters, and outside the fleet. Every step is counted. */
    readonly steps: { readonly clusters: number; readonly outside: number };
}

/** Reviews the stacks of a preview (`op: "preview"`) or of one wave of an up (`op: "up"`). */
export function reviewChanges(stacks: readonly StackResult[], op: "preview" | "up"): ChangeReview {
    const clusters: ClusterEntry[] = [];
    const errors: { stack: string; error: string }[] = [];
    for (const s of stacks) {
        if (s.error) errors.push({ stack: s.stack, error: s.error });
        for (const c of s.clusters) clusters.push({ ...c, status: statusOf(s, c, op) });
    }
    const outside = stacks.flatMap((s) => s.outside.map((o) => ({ ...o, stack: s.stack })));
    const groups = groupBy(
        clusters,
        (c) => c.cluster,
        (c): GroupBody => ({ status: c.status, configMaps: c.configMaps, restarts: c.restarts, other: c.other }),
        (body) => rank(body.status),
    );
    const steps = clusters.reduce((n, c) => n + c.configMaps.length + c.restarts.length + c.other.length, 0);
    return { clusters, groups, outside, errors, steps: { clusters: steps, outside: outside.length } };
}

function statusOf(stack: StackResult, c: ClusterChanges, op: "preview" | "up"): ClusterStatus {
    if (stack.status === "cancelled" || stack.status === "not started") return stack.status;
    if (stack.status === "failed") {
        if (op === "preview") return "preview failed";
        return stack.failedClusters.includes(c.cluster) ? "failed" : changed(c) ? "changes" : "not changed (its stack failed)";
    }
    return changed(c) ? "changes" : "unchanged";
}

/** Failures lead, since they stop a rollout; unchanged clusters come last. */
function rank(status: ClusterStatus): number {
    return status === "changes" ? 1 : status === "unchanged" || status === "not changed (its stack failed)" ? 2 : 0;
}
