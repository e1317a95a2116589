/**
 * A stand-in for the clusters' API servers, for unit tests of preflight and soak: each cluster's
 * answers are set by the test, and every request is recorded.
 */
import { ClusterAccess } from "../../../lib/rollout-cli/cluster-api/cluster-access";
import { AccessAnswer, AccessQuestion, ClusterApi, ClusterApiError, KubeObject } from "../../../lib/rollout-cli/cluster-api/cluster-api";

/** One cluster's API server: raw paths, objects, and which access questions it allows. */
export interface FakeCluster {
    /** The body of each raw path; an error to throw it; absent paths answer "not found". */
    raw?: Record<string, unknown>;
    /** Objects listed, by resource as `list` names it (`deployments.apps`, `pods`); each returns its objects, filtered by namespace. */
    objects?: () => KubeObject[];
    /** Which questions are allowed. @default all */
    allowed?: (q: AccessQuestion) => boolean;
    /** Every request fails with this. */
    down?: ClusterApiError;
}

export function access(name: string, stack = name, region = "r"): ClusterAccess {
    return { name, region, stack, kubeconfig: `/kube/${name}.yaml` };
}

export class FakeClusterApi implements ClusterApi {
    readonly requests: string[] = [];

    constructor(readonly clusters: Record<string, FakeCluster>) {}

    async getRaw(cluster: ClusterAccess, path: string): Promise<unknown> {
        const c = this.cluster(cluster, `GET ${path}`);
        const body = c.raw?.[path];
        if (body instanceof Error) throw body;
        if (body === undefined) throw new ClusterApiError("not found", `Error from server (NotFound): the server could not find the requested resource (${path})`);
        return body;
    }

    async list(cluster: ClusterAccess, resources: readonly string[], namespace?: string): Promise<KubeObject[]> {
        const c = this.cluster(cluster, `list ${resources.join(",")} ${namespace ?? "-A"}`);
        const kinds = new Set(resources.map((r) => ({ "deployments.apps": "Deployment", "statefulsets.apps": "StatefulSet", "daemonsets.apps": "DaemonSet", pods: "Pod" })[r]));
        return (c.objects?.() ?? []).filter((o) => kinds.has(o.kind) && (namespace === undefined || (o.metadata.namespace ?? "default") === namespace));
    }

    async mayI(cluster: ClusterAccess, questions: readonly AccessQuestion[]): Promise<AccessAnswer[]> {
        const c = this.cluster(cluster, `mayI ${questions.length}`);
        return questions.map((q) => ({ allowed: (c.allowed ?? (() => true))(q) }));
    }

    private cluster(cluster: ClusterAccess, request: string): FakeCluster {
        this.requests.push(`${cluster.name}: ${request}`);
        const c = this.clusters[cluster.name];
        if (!c) throw new Error(`no fake cluster ${cluster.name}`);
        if (c.down) throw c.down;
        return c;
    }
}

/**
 * A wired Deployment (its pod template carries a hash annotation) with `ready` of `replicas` ready
 * and available, every replica updated: finished when all are ready, as kubectl judges it.
 */
export function deployment(namespace: string, name: string, ready: number, replicas = 2, wired = true): KubeObject {
    return {
        kind: "Deployment",
        metadata: { name, namespace, generation: 1 } as KubeObject["metadata"],
        spec: {
            replicas,
            selector: { matchLabels: { app: name } },
            template: { metadata: { annotations: wired ? { "checksum.fleet-configmap.dev/app-config": "abc" } : {} } },
        },
        status: { observedGeneration: 1, replicas, updatedReplicas: replicas, readyReplicas: ready, availableReplicas: ready },
    };
}

/** A pod of the workload `app` with `restarts` restarts. */
export function pod(namespace: string, name: string, app: string, restarts = 0): KubeObject {
    return { kind: "Pod", metadata: { name, namespace, labels: { app } }, status: { containerStatuses: [{ restartCount: restarts }] } };
}
