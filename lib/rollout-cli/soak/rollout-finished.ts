/**
 * Whether a workload's rollout has finished, judged as `kubectl rollout status` judges it
 * (k8s.io/kubectl/pkg/polymorphichelpers/rollout_status.go): one pure function per kind, each
 * reading only the object's `metadata.generation`, `spec` and `status`, in kubectl's order, so the
 * first unmet rule is the reason given. The reasons are kubectl's words, lower case, without its
 * "Waiting for … rollout to finish:" prefix, since the soak's messages already say whose rollout.
 */
import { KubeObject } from "../cluster-api/cluster-api";

/** A rollout's state: finished, or not and why. */
export type RolloutStatus = { readonly finished: true } | { readonly finished: false; readonly reason: string };

/** The fields of an object's metadata every kind's judgement reads. */
interface Generation {
    /** Bumped by the API server on every change of the spec. Go reads a missing one as 0, and so do these functions. */
    readonly generation?: number;
}

/** The fields of an apps/v1 Deployment that {@link deploymentRolloutStatus} reads. */
export interface DeploymentRolloutFields {
    /** Its metadata. */
    readonly metadata: Generation;
    /** Its spec. */
    readonly spec?: {
        /** Replicas wanted. @default 1, as the API server defaults it */
        readonly replicas?: number;
    };
    /** Its status, as the deployment controller reports it; a missing count is 0. */
    readonly status?: {
        readonly observedGeneration?: number;
        /** Pods (not terminating) that its selector matches, old and new. */
        readonly replicas?: number;
        /** Of those, the ones that run its current pod template. */
        readonly updatedReplicas?: number;
        /** Pods ready for at least `minReadySeconds`. */
        readonly availableReplicas?: number;
        readonly conditions?: readonly { readonly type?: string; readonly reason?: string; readonly message?: string }[];
    };
}

/** The update strategy of a StatefulSet or DaemonSet: `RollingUpdate` (the API server's default) or `OnDelete`. */
interface UpdateStrategy {
    readonly type?: string;
    /** A StatefulSet's: pods with an ordinal below `partition` keep the old template. The API server sets it (0) for `RollingUpdate`. */
    readonly rollingUpdate?: { readonly partition?: number };
}

/** The fields of an apps/v1 StatefulSet that {@link statefulSetRolloutStatus} reads. */
export interface StatefulSetRolloutFields {
    /** Its metadata. */
    readonly metadata: Generation;
    /** Its spec. */
    readonly spec?: {
        /** Replicas wanted. @default 1, as the API server defaults it */
        readonly replicas?: number;
        /** How a new pod template replaces the pods. @default RollingUpdate, as the API server defaults it */
        readonly updateStrategy?: UpdateStrategy;
    };
    /** Its status, as the statefulset controller reports it; a missing count is 0. */
    readonly status?: {
        readonly observedGeneration?: number;
        readonly readyReplicas?: number;
        /** Pods that run the template of `updateRevision`. */
        readonly updatedReplicas?: number;
        /** The revision (a ControllerRevision's name) of the pods that were current before the update. */
        readonly currentRevision?: string;
        /** The revision of its current pod template. */
        readonly updateRevision?: string;
    };
}

/** The fields of an apps/v1 DaemonSet that {@link daemonSetRolloutStatus} reads. */
export interface DaemonSetRolloutFields {
    /** Its metadata. */
    readonly metadata: Generation;
    /** Its spec. */
    readonly spec?: {
        /** How a new pod template replaces the pods. @default RollingUpdate, as the API server defaults it */
        readonly updateStrategy?: UpdateStrategy;
    };
    /** Its status, as the daemonset controller reports it; a missing count is 0. */
    readonly status?: {
        readonly observedGeneration?: number;
        /** Nodes that should run its pod (its node selector, affinity and the nodes' taints decide). */
        readonly desiredNumberScheduled?: number;
        /** Nodes that run (or have been given, still pending) a pod of its current template. */
        readonly updatedNumberScheduled?: number;
        /** Nodes whose pod has been ready for at least `minReadySeconds`. */
        readonly numberAvailable?: number;
    };
}

const FINISHED: RolloutStatus = { finished: true };
const unfinished = (reason: string): RolloutStatus => ({ finished: false, reason });
const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/**
 * Until its controller has observed the current spec, its status describes an older one: nothing
 * else in it can be trusted, so kubectl waits for this before any other rule. An object the
 * controller never reported on (no `observedGeneration`) waits too: the API server starts
 * `generation` at 1.
 */
function specNotObserved(metadata: Generation, observedGeneration: number | undefined): RolloutStatus | undefined {
    const generation = metadata.generation ?? 0;
    const observed = observedGeneration ?? 0;
    return observed === 0 || generation > observed ? unfinished(`waiting for its spec update to be observed (generation ${generation}, observed ${observed})`) : undefined;
}

/**
 * A Deployment's rollout, as kubectl's `DeploymentStatusViewer` judges it, first unmet rule first:
 * its controller observed its current generation; its `Progressing` condition is not
 * `ProgressDeadlineExceeded` (the controller gave up: `progress deadline exceeded`, the one state
 * kubectl reports as an error rather than a wait); every wanted replica runs the current template;
 * no old replica is left (`N old replicas pending termination`: a new pod that cannot be scheduled
 * leaves an old one serving, with the updated count already met); every updated replica is available.
 */
export function deploymentRolloutStatus(deployment: DeploymentRolloutFields): RolloutStatus {
    const status = deployment.status ?? {};
    const notObserved = specNotObserved(deployment.metadata, status.observedGeneration);
    if (notObserved) return notObserved;
    const progressing = (status.conditions ?? []).find((c) => c.type === "Progressing");
    if (progressing?.reason === "ProgressDeadlineExceeded") return unfinished(`progress deadline exceeded${progressing.message ? `: ${progressing.message}` : ""}`);
    const wanted = deployment.spec?.replicas ?? 1;
    const updated = status.updatedReplicas ?? 0;
    if (updated < wanted) return unfinished(`${updated} out of ${wanted} new replicas have been updated`);
    const old = (status.replicas ?? 0) - updated;
    if (old > 0) return unfinished(`${plural(old, "old replica")} pending termination`);
    const available = status.availableReplicas ?? 0;
    if (available < updated) return unfinished(`${available} of ${updated} updated replicas are available`);
    return FINISHED;
}

/**
 * A StatefulSet's rollout, as kubectl's `StatefulSetStatusViewer` judges it, first unmet rule first:
 * its controller observed its current generation; every wanted replica is ready; then, under
 * `RollingUpdate` with its `partition` (always there as the API server returns it), the pods at or
 * above the partition run the current template (`replicas - partition` updated); without one, the
 * update revision became the current one.
 *
 * `OnDelete`: kubectl refuses to judge ("rollout status is only available for RollingUpdate
 * strategy type"), because under it the controller never replaces a pod on a template change; a pod
 * gets the new template only when someone deletes it. Old pods are then the intended state, not an
 * unfinished rollout, so the soak judges what the controller still owns: that it observed the
 * current generation and that every wanted replica is ready (it recreates a deleted pod).
 */
export function statefulSetRolloutStatus(statefulSet: StatefulSetRolloutFields): RolloutStatus {
    const status = statefulSet.status ?? {};
    const notObserved = specNotObserved(statefulSet.metadata, status.observedGeneration);
    if (notObserved) return notObserved;
    const wanted = statefulSet.spec?.replicas ?? 1;
    const ready = status.readyReplicas ?? 0;
    if (ready < wanted) return unfinished(`waiting for ${plural(wanted - ready, "pod")} to be ready`);
    const strategy = statefulSet.spec?.updateStrategy;
    if (strategy?.type === "OnDelete") return FINISHED;
    const updated = status.updatedReplicas ?? 0;
    if (strategy?.rollingUpdate) {
        const partition = strategy.rollingUpdate.partition ?? 0;
        const toUpdate = wanted - partition;
        if (updated < toUpdate) return unfinished(`${updated} out of ${toUpdate} new pods have been updated${partition > 0 ? ` (partition ${partition})` : ""}`);
        return FINISHED;
    }
    if (status.updateRevision !== status.currentRevision) return unfinished(`rolling update to revision ${status.updateRevision} not complete: ${plural(updated, "pod")} at that revision`);
    return FINISHED;
}

/**
 * A DaemonSet's rollout, as kubectl's `DaemonSetStatusViewer` judges it, first unmet rule first: its
 * controller observed its current generation; every node that should run its pod has been given one
 * of the current template; every such node's pod is available.
 *
 * `OnDelete`: as for a StatefulSet ({@link statefulSetRolloutStatus}), kubectl refuses to judge and
 * old pods are intended, so the soak judges the generation and that every node's pod is available.
 */
export function daemonSetRolloutStatus(daemonSet: DaemonSetRolloutFields): RolloutStatus {
    const status = daemonSet.status ?? {};
    const notObserved = specNotObserved(daemonSet.metadata, status.observedGeneration);
    if (notObserved) return notObserved;
    const desired = status.desiredNumberScheduled ?? 0;
    const updated = status.updatedNumberScheduled ?? 0;
    if (daemonSet.spec?.updateStrategy?.type !== "OnDelete" && updated < desired) return unfinished(`${updated} out of ${desired} new pods have been updated`);
    const available = status.numberAvailable ?? 0;
    // kubectl's words say "updated pods", but it compares every available pod; under OnDelete, old ones count too.
    if (available < desired) return unfinished(`${available} of ${desired} ${daemonSet.spec?.updateStrategy?.type === "OnDelete" ? "" : "updated "}pods are available`);
    return FINISHED;
}

/** The rollout of a Deployment, StatefulSet or DaemonSet ({@link deploymentRolloutStatus} and its siblings); any other kind has none, and is finished. */
export function rolloutStatus(workload: KubeObject): RolloutStatus {
    switch (workload.kind) {
        case "Deployment":
            return deploymentRolloutStatus(workload as DeploymentRolloutFields);
        case "StatefulSet":
            return statefulSetRolloutStatus(workload as StatefulSetRolloutFields);
        case "DaemonSet":
            return daemonSetRolloutStatus(workload as DaemonSetRolloutFields);
        default:
            return FINISHED;
    }
}
