/**
 * What `import` found in each cluster of a fleet: the ConfigMap as it is, that it does not exist, or
 * that the cluster could not be read. Shared by the derivation, the report and the command, so that
 * none of them imports another for its types.
 */
import type { ObservedConsumer } from "./consumer-proposal";

/** One cluster's copy of the ConfigMap, as read. */
export interface ObservedConfigMap {
    /** The cluster's name in the fleet. */
    readonly cluster: string;
    /** Its region. */
    readonly region: string;
    /** The ConfigMap's `data`, byte for byte. */
    readonly data: Readonly<Record<string, string>>;
    /** The ConfigMap's `binaryData`, base64 as the API gives it. */
    readonly binaryData: Readonly<Record<string, string>>;
    /** Its `metadata.labels`. @default none */
    readonly labels?: Readonly<Record<string, string>>;
    /** Its `metadata.annotations`. @default none */
    readonly annotations?: Readonly<Record<string, string>>;
    /** Whether the ConfigMap is `immutable: true`. @default false */
    readonly immutable?: boolean;
    /**
     * The field managers other than Pulumi's that own some of its keys (from `metadata.managedFields`):
     * `kubectl-create`, `kubectl-client-side-apply`, `helm`, ... @default none
     */
    readonly managers?: readonly FieldManager[];
    /**
     * The workloads whose pods read the ConfigMap in this cluster, when its pods were listed (see
     * consumer-proposal.ts). @default absent: not looked for, or none
     */
    readonly consumers?: readonly ObservedConsumer[];
    /** Why its pods could not be listed, so no consumer is proposed there. @default absent */
    readonly podsUnlisted?: string;
}

/** A field manager that owns keys of a ConfigMap, as server-side apply records it. */
export interface FieldManager {
    /** The manager's name, e.g. `kubectl-create`, `helm`. */
    readonly manager: string;
    /** `Update` or `Apply`. */
    readonly operation: string;
    /** The keys it owns, as fields: `data.LOG_LEVEL`, `binaryData["logo.png"]`. Sorted. */
    readonly fields: readonly string[];
}

/** A cluster whose ConfigMap could not be read, and why, in the client's words. */
export interface UnreadableCluster {
    /** The cluster's name. */
    readonly cluster: string;
    /** Its region. */
    readonly region: string;
    /** Why it could not be read: unreachable, unauthorized, forbidden, ... */
    readonly reason: string;
    /** The client's message. */
    readonly message: string;
}

/** What reading one ConfigMap from every cluster of a fleet found. */
export interface FleetObservation {
    /** The ConfigMap's namespace. */
    readonly namespace: string;
    /** The ConfigMap's name. */
    readonly name: string;
    /** The clusters that have it, in fleet order. */
    readonly found: readonly ObservedConfigMap[];
    /** The clusters that do not have it (`{ cluster, region }`), in fleet order. */
    readonly missing: readonly { readonly cluster: string; readonly region: string }[];
    /** The clusters that could not be read, in fleet order. */
    readonly unreadable: readonly UnreadableCluster[];
}
