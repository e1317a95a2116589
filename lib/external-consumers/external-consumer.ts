/**
 * Consumers a FleetConfigMap's program does not manage: workloads made by Helm, Argo CD or kubectl
 * that read the ConfigMap. They are named per fleet, region or cluster, like overrides, and each
 * cluster's list is the union of its three. Pure: the names, their checks and each cluster's list.
 */
import { z } from "zod";
import { DNS1123_LABEL, DNS1123_SUBDOMAIN } from "../limits";
import { fieldPath, Problem, quote } from "../problems";

/** The kinds of workload whose pod template can carry the hash annotation. */
export const EXTERNAL_KINDS = ["Deployment", "StatefulSet", "DaemonSet"] as const;

/**
 * A workload this program does not manage that reads the ConfigMap. The FleetConfigMap writes only
 * its pod template's hash annotation (server-side apply of that one field, as a Pulumi `…Patch`
 * resource), so it rolls when its cluster's effective config changes; its other fields and their
 * managers are left alone. Removing the name, or destroying the stack, removes the annotation and
 * never the workload.
 *
 * @example
 * ```ts
 * { kind: "Deployment", name: "legacy-web" }                       // in the ConfigMap's namespace
 * { kind: "StatefulSet", namespace: "data", name: "db", keys: ["DB_HOST"] }
 * ```
 */
export interface ExternalConsumer {
    /** `Deployment`, `StatefulSet` or `DaemonSet`. */
    readonly kind: (typeof EXTERNAL_KINDS)[number];
    /** The workload's name. */
    readonly name: string;
    /** The workload's namespace. @default the ConfigMap's namespace */
    readonly namespace?: string;
    /**
     * The keys it reads one by one (`configMapKeyRef`): it then rolls only when one of them changes,
     * and each must exist in the cluster's effective config. @default every key: it reads the whole map
     */
    readonly keys?: string[];
}

/**
 * Which external consumers each cluster has: those of the whole fleet, of its region and of its own,
 * together (a workload named twice is one consumer; the most specific entry's `keys` apply).
 *
 * @example
 * ```ts
 * externalConsumers: {
 *   fleet: [{ kind: "Deployment", name: "legacy-web" }],
 *   regions: { eu: [{ kind: "DaemonSet", name: "gdpr-agent" }] },
 *   clusters: { "us-east-1": [{ kind: "StatefulSet", name: "cache", keys: ["CACHE_SIZE"] }] },
 * }
 * ```
 */
export interface ExternalConsumers {
    /** In every cluster. @default none */
    readonly fleet?: ExternalConsumer[];
    /** Per region. @default none */
    readonly regions?: Record<string, ExternalConsumer[]>;
    /** Per cluster. @default none */
    readonly clusters?: Record<string, ExternalConsumer[]>;
}

/** One cluster's external consumer, resolved: namespace filled in, and the field that named it. */
export interface ResolvedConsumer {
    /** The kind. */
    readonly kind: (typeof EXTERNAL_KINDS)[number];
    /** The namespace. */
    readonly namespace: string;
    /** The name. */
    readonly name: string;
    /** The keys it reads, or absent for the whole map. */
    readonly keys?: readonly string[];
    /** Where it was named, e.g. `externalConsumers.regions.eu[0]`. */
    readonly field: string;
}

const consumer = z.strictObject({
    kind: z.enum(EXTERNAL_KINDS, `must be one of ${EXTERNAL_KINDS.map(quote).join(", ")}`),
    name: z.string("must be a string").max(253, "is at most 253 characters").regex(DNS1123_SUBDOMAIN, "must be a DNS-1123 subdomain, as a workload's name is"),
    namespace: z.string("must be a string").max(63, "is at most 63 characters").regex(DNS1123_LABEL, "must be a DNS-1123 label, as a namespace is").optional(),
    keys: z.array(z.string("must be a key name"), "must be a list of key names").optional(),
});
const list = z.array(consumer, "must be a list of workloads ({ kind, name, namespace?, keys? })");

/** The shape of `externalConsumers`, for the FleetConfigMap's argument schema. */
export const externalConsumersSchema = z.strictObject({
    fleet: list.optional(),
    regions: z.record(z.string(), list, "must be a map of regions to lists of workloads").optional(),
    clusters: z.record(z.string(), list, "must be a map of clusters to lists of workloads").optional(),
});

/** Names in `externalConsumers` that the fleet does not have (a typo is never silently ignored). */
export function externalConsumerProblems(consumers: ExternalConsumers | undefined, clusters: readonly { readonly name: string; readonly region: string }[]): Problem[] {
    const problems: Problem[] = [];
    const regions = [...new Set(clusters.map((c) => c.region))];
    const names = new Set(clusters.map((c) => c.name));
    for (const region of Object.keys(consumers?.regions ?? {})) {
        if (!regions.includes(region)) problems.push({ field: fieldPath(["externalConsumers", "regions", region]), message: `the fleet has no region ${quote(region)}; its regions are ${regions.map(quote).join(", ")}` });
    }
    for (const cluster of Object.keys(consumers?.clusters ?? {})) {
        if (!names.has(cluster)) problems.push({ field: fieldPath(["externalConsumers", "clusters", cluster]), message: `the fleet has no cluster ${quote(cluster)}` });
    }
    return problems;
}

/** One cluster's external consumers, fleet's first, then its region's, then its own; one entry per workload. */
export function consumersIn(cluster: { readonly name: string; readonly region: string }, consumers: ExternalConsumers | undefined, defaultNamespace: string): ResolvedConsumer[] {
    const byWorkload = new Map<string, ResolvedConsumer>();
    const add = (entries: readonly ExternalConsumer[] | undefined, path: PropertyKey[]) =>
        (entries ?? []).forEach((c, i) => {
            const namespace = c.namespace ?? defaultNamespace;
            const id = `${c.kind}/${namespace}/${c.name}`;
            // A later, more specific entry replaces an earlier one, but the workload keeps its place.
            byWorkload.set(id, { kind: c.kind, namespace, name: c.name, ...(c.keys ? { keys: c.keys } : {}), field: fieldPath([...path, i]) });
        });
    add(consumers?.fleet, ["externalConsumers", "fleet"]);
    add(consumers?.regions?.[cluster.region], ["externalConsumers", "regions", cluster.region]);
    add(consumers?.clusters?.[cluster.name], ["externalConsumers", "clusters", cluster.name]);
    return [...byWorkload.values()];
}
