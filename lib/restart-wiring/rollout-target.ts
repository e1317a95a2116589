/**
 * What the rollout transform and the registration gate know of a fleet: its providers and, for each
 * FleetConfigMap, what a workload that reads it needs. A file of its own, because the transform and the
 * refusal it asks (workload-refusal.ts) both read these types, and the refusal must not import the
 * transform.
 */
import * as pulumi from "@pulumi/pulumi";
import { FleetVerdict } from "../config/fleet-content";
import { MissingKey, WorkloadIdentity } from "../config/key-checks";
import { KeyRead } from "./workload-references";

/** What the rollout transform needs to know about one FleetConfigMap. */
export interface RolloutTarget {
    /** The ConfigMap's namespace. */
    readonly namespace: string;
    /** The ConfigMap's name (with the immutable strategy, the base of each content-named ConfigMap). */
    readonly name: string;
    /** True with the split strategy: the ConfigMaps written are the parts `<name>-1` to `<name>-64`, not `name`. */
    readonly split?: boolean;
    /** The pod-template annotation key that carries its hash. */
    readonly annotationKey: string;
    /** The fleet-wide check of its values; it never rejects, and settles before any hash is handed out. */
    verdict(): Promise<FleetVerdict>;
    /** The content hash (of `keys` only, when given) of its ConfigMap in a cluster; resolves after that ConfigMap is written. */
    hash(cluster: string, keys?: readonly string[]): pulumi.Output<string>;
    /** Its ConfigMap resources in a cluster (with the split strategy, every part), which an annotated workload must wait for. */
    configMaps(cluster: string): readonly pulumi.Resource[];
    /** The keys among `reads` that are required but missing from a cluster's effective config. */
    missingKeys(cluster: string, reads: readonly KeyRead[]): MissingKey[];
    /** With the immutable strategy: the content-named ConfigMap's name in a cluster, which consumers are pointed at. */
    currentName?(cluster: string): pulumi.Output<string>;
    /**
     * With the split strategy: why a workload in a cluster may not read the ConfigMap as it does (by
     * `envFrom` or `configMapKeyRef`, where only a volume can join the parts), or undefined when it may.
     */
    consumerRefusal?(cluster: string, workloadProps: unknown, workload: WorkloadIdentity): string | undefined;
    /** With the split strategy: the workload's properties with each volume of the ConfigMap made a projected volume over the cluster's parts. */
    rewriteConsumer?<T>(cluster: string, workloadProps: T): T;
}

/** Where the transform looks things up: the fleet's providers and its FleetConfigMaps. */
export interface RolloutSources {
    /** Every cluster's provider, by cluster name. */
    readonly providers: Readonly<Record<string, pulumi.ProviderResource>>;
    /** The FleetConfigMap called `name` in `namespace`, if the fleet has one. */
    target(namespace: string, name: string): RolloutTarget | undefined;
}
