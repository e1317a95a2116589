/**
 * Which workloads read the ConfigMap, told from the pods that reference it, and the
 * `externalConsumers` that name them with as few entries as the fleet allows: a workload every
 * cluster runs is named once for the fleet, one every cluster of a region runs once for that region,
 * and the rest per cluster. A pod's workload is found through its controller: a ReplicaSet's
 * Deployment (the ReplicaSet's name less the pod-template hash), or its StatefulSet or DaemonSet.
 * Bare pods and Jobs have no pod template to annotate and are left out.
 */
import { ExternalConsumer, ExternalConsumers } from "../external-consumers/external-consumer";
import { configMapReads } from "../workload-references";

/** A workload seen reading the ConfigMap in one cluster. */
export interface ObservedConsumer {
    /** `Deployment`, `StatefulSet` or `DaemonSet`. */
    readonly kind: ExternalConsumer["kind"];
    /** Its name, in the ConfigMap's namespace. */
    readonly name: string;
    /** The keys it reads one by one, sorted, when it reads no whole map; absent when it reads every key. */
    readonly keys?: readonly string[];
}

/** A pod as far as this reads it. */
interface PodLike {
    readonly metadata: { readonly name: string; readonly labels?: Readonly<Record<string, string>>; readonly ownerReferences?: readonly { kind?: string; name?: string; controller?: boolean }[] };
    readonly spec?: unknown;
}

/** The workloads whose pods read `configMap`, one entry each (keys joined over their pods), sorted. */
export function podConsumers(pods: readonly unknown[], configMap: string): ObservedConsumer[] {
    const found = new Map<string, { kind: ExternalConsumer["kind"]; name: string; whole: boolean; keys: Set<string> }>();
    for (const raw of pods) {
        const pod = raw as PodLike;
        const read = configMapReads({ spec: { template: { spec: pod.spec } } }).get(configMap);
        if (!read) continue;
        const owner = (pod.metadata.ownerReferences ?? []).find((o) => o.controller) ?? pod.metadata.ownerReferences?.[0];
        const workload = workloadOf(owner, pod.metadata.labels?.["pod-template-hash"]);
        if (!workload) continue;
        const id = `${workload.kind}/${workload.name}`;
        let entry = found.get(id);
        if (entry === undefined) found.set(id, (entry = { ...workload, whole: false, keys: new Set() }));
        entry.whole ||= read.whole;
        for (const k of read.keys) entry.keys.add(k.key);
    }
    return [...found.values()]
        .sort((a, b) => (`${a.kind}/${a.name}` < `${b.kind}/${b.name}` ? -1 : 1))
        .map((e) => ({ kind: e.kind, name: e.name, ...(e.whole ? {} : { keys: [...e.keys].sort() }) }));
}

function workloadOf(owner: { kind?: string; name?: string } | undefined, podTemplateHash: string | undefined): { kind: ExternalConsumer["kind"]; name: string } | undefined {
    if (!owner?.name) return undefined;
    if (owner.kind === "StatefulSet" || owner.kind === "DaemonSet") return { kind: owner.kind, name: owner.name };
    if (owner.kind === "ReplicaSet" && podTemplateHash && owner.name.endsWith(`-${podTemplateHash}`)) {
        return { kind: "Deployment", name: owner.name.slice(0, -(podTemplateHash.length + 1)) };
    }
    return undefined;
}

/**
 * The `externalConsumers` that name every observed consumer: for the fleet where every cluster has it
 * (with the same keys), for a region where each of its clusters does, else for its cluster. Only the
 * clusters observed count; undefined when there is no consumer.
 */
export function proposeConsumers(observed: readonly { readonly cluster: string; readonly region: string; readonly consumers?: readonly ObservedConsumer[] }[]): ExternalConsumers | undefined {
    const id = (c: ObservedConsumer) => JSON.stringify([c.kind, c.name, c.keys ?? null]);
    const where = new Map<string, { consumer: ObservedConsumer; clusters: Set<string> }>();
    for (const o of observed) {
        for (const c of o.consumers ?? []) {
            let entry = where.get(id(c));
            if (entry === undefined) where.set(id(c), (entry = { consumer: c, clusters: new Set() }));
            entry.clusters.add(o.cluster);
        }
    }
    if (where.size === 0) return undefined;
    const regions = new Map<string, string[]>();
    for (const o of observed) regions.set(o.region, [...(regions.get(o.region) ?? []), o.cluster]);
    const fleet: ExternalConsumer[] = [];
    const byRegion: Record<string, ExternalConsumer[]> = {};
    const byCluster: Record<string, ExternalConsumer[]> = {};
    const entry = (c: ObservedConsumer): ExternalConsumer => ({ kind: c.kind, name: c.name, ...(c.keys ? { keys: [...c.keys] } : {}) });
    for (const { consumer, clusters } of [...where.values()].sort((a, b) => (id(a.consumer) < id(b.consumer) ? -1 : 1))) {
        if (clusters.size === observed.length) {
            fleet.push(entry(consumer));
            continue;
        }
        const covered = new Set<string>();
        for (const [region, members] of [...regions].sort(([a], [b]) => (a < b ? -1 : 1))) {
            if (members.every((m) => clusters.has(m))) {
                (byRegion[region] ??= []).push(entry(consumer));
                members.forEach((m) => covered.add(m));
            }
        }
        for (const o of observed) if (clusters.has(o.cluster) && !covered.has(o.cluster)) (byCluster[o.cluster] ??= []).push(entry(consumer));
    }
    return {
        ...(fleet.length > 0 && { fleet }),
        ...(Object.keys(byRegion).length > 0 && { regions: byRegion }),
        ...(Object.keys(byCluster).length > 0 && { clusters: Object.fromEntries(Object.entries(byCluster).sort(([a], [b]) => (a < b ? -1 : 1))) }),
    };
}
