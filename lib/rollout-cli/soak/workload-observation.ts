import { HASH_ANNOTATION_PREFIX } from "../../annotations";
import { KubeObject } from "../cluster-api/cluster-api";
import { rolloutStatus } from "./rollout-finished";

/** The workload kinds a FleetConfigMap's hash annotation rolls, as `kubectl get` names them. */
export const WIRED_WORKLOAD_RESOURCES = ["deployments.apps", "statefulsets.apps", "daemonsets.apps"] as const;

/** One wired workload at one look: how many of its replicas were ready, each of its pods' restarts, and whether its rollout had finished. */
export interface WorkloadState {
    /** `deployment shop/web`: the kind in lower case, the namespace and the name, as messages show it. */
    readonly id: string;
    /** Its namespace. */
    readonly namespace: string;
    /** Ready replicas (`status.readyReplicas`; a DaemonSet's `status.numberReady`). */
    readonly ready: number;
    /** Each of its pods (by name) with its containers' restarts added up. */
    readonly pods: Readonly<Record<string, number>>;
    /**
     * Why its rollout had not finished, as `kubectl rollout status` judges it ({@link rolloutStatus}).
     * @default absent: finished
     */
    readonly unfinished?: string;
}

/**
 * The wired workloads among `objects` (workloads and pods of one cluster, as listed), with their
 * pods: a Deployment, StatefulSet or DaemonSet is wired when its pod template carries a
 * `checksum.fleet-configmap.dev/…` annotation, which is what makes it restart when a FleetConfigMap
 * it reads changes. Its pods are those of its namespace that its selector matches. Sorted by id.
 */
export function wiredWorkloads(objects: readonly KubeObject[]): WorkloadState[] {
    const pods = objects.filter((o) => o.kind === "Pod");
    return objects
        .filter((o) => (o.kind === "Deployment" || o.kind === "StatefulSet" || o.kind === "DaemonSet") && isWired(o))
        .map((o) => {
            const spec = (o.spec ?? {}) as { selector?: LabelSelector };
            const status = (o.status ?? {}) as { readyReplicas?: number; numberReady?: number };
            const namespace = o.metadata.namespace ?? "default";
            const own = pods.filter((p) => (p.metadata.namespace ?? "default") === namespace && matches(spec.selector, p.metadata.labels ?? {}));
            const rollout = rolloutStatus(o);
            return {
                id: `${o.kind!.toLowerCase()} ${namespace}/${o.metadata.name}`,
                namespace,
                ready: (o.kind === "DaemonSet" ? status.numberReady : status.readyReplicas) ?? 0,
                pods: Object.fromEntries(own.map((p) => [p.metadata.name, restartsOf(p)])),
                ...(rollout.finished ? {} : { unfinished: rollout.reason }),
            };
        })
        .sort((a, b) => a.id.localeCompare(b.id));
}

function isWired(workload: KubeObject): boolean {
    const annotations = (workload.spec as { template?: { metadata?: { annotations?: Record<string, string> } } } | undefined)?.template?.metadata?.annotations ?? {};
    return Object.keys(annotations).some((k) => k.startsWith(`${HASH_ANNOTATION_PREFIX}/`));
}

function restartsOf(pod: KubeObject): number {
    const status = (pod.status ?? {}) as { containerStatuses?: { restartCount?: number }[]; initContainerStatuses?: { restartCount?: number }[] };
    return [...(status.containerStatuses ?? []), ...(status.initContainerStatuses ?? [])].reduce((n, c) => n + (c.restartCount ?? 0), 0);
}

/** A Kubernetes label selector. */
interface LabelSelector {
    readonly matchLabels?: Readonly<Record<string, string>>;
    readonly matchExpressions?: readonly { key: string; operator: string; values?: readonly string[] }[];
}

/** Whether `labels` satisfy `selector`, as the API server decides it; no selector selects nothing. */
export function matches(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
    if (!selector) return false;
    const byLabel = Object.entries(selector.matchLabels ?? {}).every(([k, v]) => labels[k] === v);
    const byExpression = (selector.matchExpressions ?? []).every(({ key, operator, values = [] }) => {
        switch (operator) {
            case "In":
                return key in labels && values.includes(labels[key]);
            case "NotIn":
                return !(key in labels) || !values.includes(labels[key]);
            case "Exists":
                return key in labels;
            case "DoesNotExist":
                return !(key in labels);
            default:
                return false;
        }
    });
    return byLabel && byExpression;
}
