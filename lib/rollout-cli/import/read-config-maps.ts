/**
 * Reads one ConfigMap from every cluster of a fleet, `concurrency` clusters at a time, through the
 * command's {@link ClusterApi} (kubectl, so each cluster is reached with its kubeconfig exactly as the
 * program's provider and the user's own kubectl reach it). A cluster without the ConfigMap is told
 * apart from one that could not be read: the first is created by the first `up`, the second stops
 * the adoption.
 */
import { ObservedConsumer, podConsumers } from "../../adoption/consumer-proposal";
import { foreignManagers } from "../../adoption/field-managers";
import { FleetObservation, ObservedConfigMap, UnreadableCluster } from "../../adoption/observed-config-map";
import { atMost } from "../run/at-most";
import { ClusterAccess } from "../cluster-api/cluster-access";
import { ClusterApi, ClusterApiError } from "../cluster-api/cluster-api";

/** What one cluster's read found. */
export type ClusterRead =
    | { readonly status: "found"; readonly configMap: ObservedConfigMap }
    | { readonly status: "missing" }
    | { readonly status: "unreadable"; readonly reason: string; readonly message: string };

/** The API path of a ConfigMap. */
export function configMapPath(namespace: string, name: string): string {
    return `/api/v1/namespaces/${encodeURIComponent(namespace)}/configmaps/${encodeURIComponent(name)}`;
}

/**
 * Reads the ConfigMap from one cluster and, when it is there and `consumers` is set, lists the pods of
 * its namespace to find the workloads that read it. Never throws: a failure is a result.
 */
export async function readConfigMap(api: ClusterApi, cluster: ClusterAccess, namespace: string, name: string, consumers = false): Promise<ClusterRead> {
    try {
        const body = (await api.getRaw(cluster, configMapPath(namespace, name))) as
            | { metadata?: { managedFields?: unknown; labels?: Record<string, string>; annotations?: Record<string, string> }; data?: Record<string, string>; binaryData?: Record<string, string>; immutable?: boolean }
            | undefined;
        const managers = foreignManagers(body?.metadata?.managedFields);
        let readers: { consumers: ObservedConsumer[] } | { podsUnlisted: string } | undefined;
        if (consumers) {
            try {
                readers = { consumers: podConsumers(await api.list(cluster, ["pods"], namespace), name) };
            } catch (err) {
                readers = { podsUnlisted: err instanceof ClusterApiError ? `${err.reason}: ${err.message}` : String((err as Error).message ?? err) };
            }
        }
        return {
            status: "found",
            configMap: {
                cluster: cluster.name,
                region: cluster.region,
                data: body?.data ?? {},
                binaryData: body?.binaryData ?? {},
                ...(body?.metadata?.labels && Object.keys(body.metadata.labels).length > 0 ? { labels: body.metadata.labels } : {}),
                ...(body?.metadata?.annotations && Object.keys(body.metadata.annotations).length > 0 ? { annotations: body.metadata.annotations } : {}),
                ...(body?.immutable ? { immutable: true } : {}),
                ...(managers.length > 0 ? { managers } : {}),
                ...readers,
            },
        };
    } catch (err) {
        if (err instanceof ClusterApiError) {
            if (err.reason === "not found") return { status: "missing" };
            return { status: "unreadable", reason: err.reason, message: err.message };
        }
        return { status: "unreadable", reason: "other", message: (err as Error).message ?? String(err) };
    }
}

/**
 * Reads the ConfigMap from every cluster, at most `concurrency` at a time; `progress` hears each
 * cluster as it is done. The result keeps the fleet's order, whatever order the reads finish in.
 */
export async function readFleetConfigMaps(
    api: ClusterApi,
    clusters: readonly ClusterAccess[],
    namespace: string,
    name: string,
    concurrency: number,
    progress: (cluster: ClusterAccess, read: ClusterRead) => void = () => undefined,
    consumers = false,
): Promise<FleetObservation> {
    const reads = new Map<string, ClusterRead>();
    await atMost(concurrency, clusters, async (cluster) => {
        const read = await readConfigMap(api, cluster, namespace, name, consumers);
        reads.set(cluster.name, read);
        progress(cluster, read);
    });
    const found: ObservedConfigMap[] = [];
    const missing: { cluster: string; region: string }[] = [];
    const unreadable: UnreadableCluster[] = [];
    for (const cluster of clusters) {
        const read = reads.get(cluster.name)!;
        if (read.status === "found") found.push(read.configMap);
        else if (read.status === "missing") missing.push({ cluster: cluster.name, region: cluster.region });
        else unreadable.push({ cluster: cluster.name, region: cluster.region, reason: read.reason, message: read.message });
    }
    return { namespace, name, found, missing, unreadable };
}
