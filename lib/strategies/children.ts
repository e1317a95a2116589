/**
 * What every strategy's ConfigMaps share: where they go (parent, provider, dependencies), their
 * metadata, and the ownership annotation. Each strategy's own file decides how many ConfigMaps a
 * cluster gets, what they are named and what each holds.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { SplitLayout } from "./split-consumers";

/** What a strategy needs to write a FleetConfigMap's ConfigMaps. */
export interface ConfigMapChildren {
    /** The component, parent of every ConfigMap. */
    readonly parent: pulumi.Resource;
    /** The component's resource name; children are named `<resourceName>-<cluster>` (and a suffix for parts). */
    readonly resourceName: string;
    /** `metadata.name`: the ConfigMap's name, or the base of its content-named or part names. */
    readonly configMapName: string;
    /** The namespace. */
    readonly namespace: string;
    /** The user's labels. */
    readonly labels?: Record<string, pulumi.Input<string>>;
    /** The user's annotations; {@link OWNERSHIP_ANNOTATIONS} are added. */
    readonly annotations?: Record<string, pulumi.Input<string>>;
    /** The provider of a cluster. */
    provider(cluster: string): pulumi.ProviderResource;
    /** The names a cluster had before, oldest first: its children are aliased to their names under them. */
    formerNames(cluster: string): readonly string[];
    /** What the component waits for; children do not inherit `dependsOn`, so each ConfigMap gets it. */
    readonly dependsOn?: pulumi.ResourceOptions["dependsOn"];
    /**
     * The ID to import a cluster's ConfigMap by, when it exists already and is taken over (FleetConfigMap
     * `adopt`, see adoption/adopt-existing.ts); undefined to create it. @default none is imported
     */
    readonly importId?: (cluster: string) => string | undefined;
}

/** The ConfigMaps a strategy wrote for one cluster. */
export interface ClusterConfigMaps {
    /** Every ConfigMap of the cluster; the first is the one `FleetConfigMap.configMaps` gives. */
    readonly all: readonly k8s.core.v1.ConfigMap[];
    /** Its name, where the cluster has one ConfigMap (in-place, immutable). */
    readonly name?: pulumi.Input<string>;
    /** With the split strategy: which part holds each key. */
    readonly layout?: SplitLayout;
}

/**
 * The component owns its ConfigMaps outright: with server-side apply, a key edited out of band (say by
 * `kubectl edit`) belongs to another field manager, and without forcing, `pulumi up --refresh` would
 * stop at the conflict instead of repairing the drift.
 */
export const OWNERSHIP_ANNOTATIONS = { "pulumi.com/patchForce": "true" };

/** The metadata of one of the component's ConfigMaps, called `name`. */
export function childMetadata(children: ConfigMapChildren, name: pulumi.Input<string>): k8s.types.input.meta.v1.ObjectMeta {
    return {
        name,
        namespace: children.namespace,
        labels: children.labels,
        annotations: { ...children.annotations, ...OWNERSHIP_ANNOTATIONS },
    };
}

/** `f` applied to a plain value, or mapped over an Output. */
export function mapInput<T, U>(input: pulumi.Input<T>, f: (value: T) => U): pulumi.Input<U> {
    return pulumi.Output.isInstance(input) ? (input as pulumi.Output<T>).apply((v) => f(v as T)) : f(input as T);
}

// An empty map is sent as absent, so an empty `binaryData` never shows up as a diff.
export function nonEmpty(record: Readonly<Record<string, string>>): Record<string, string> | undefined {
    return Object.keys(record).length > 0 ? { ...record } : undefined;
}
