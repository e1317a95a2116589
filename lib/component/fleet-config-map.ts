/**
 * The multi-language face of the package: one component whose arguments and outputs are all plain data,
 * so that Pulumi's analyzer can infer its schema from these types, and the compiled component package
 * (`dist/component`, started by `plugin.ts` beside this file) can serve it to a YAML, Python, Go or C#
 * program with that schema, committed as `schema.json`.
 *
 * It wraps the library and does not fork it: inside, it declares a {@link Fleet} and a library
 * FleetConfigMap as its children, with the same validation, the same refusals and the same ConfigMaps.
 * What a TypeScript program gets from methods (`podAnnotations(cluster)`, `nameIn(cluster)`) it gets here
 * as outputs, one entry per cluster, because a program in another language reaches a component only
 * through its outputs. The rollout transform does not cross languages (a caller's workloads are on the
 * caller's own providers): a caller wires the hash by merging {@link FleetConfigMap.podAnnotations}
 * into each workload's pod template.
 *
 * The schema analyzer reads this file (the unit tests run it and compare with `schema.json`): every
 * argument type is an exported interface of plain fields, the strategy is an `as const` object, and the
 * class has no member but its outputs.
 */
import * as pulumi from "@pulumi/pulumi";
import { Fleet } from "../fleet/fleet";
import { FleetConfigMap as LibraryFleetConfigMap } from "../config/fleet-config-map";
import { FleetSelection, parseSelector } from "../fleet/fleet-selection";
import { argumentsError, Problem } from "../errors/problems";

/** One cluster of the fleet. */
export interface Cluster {
    /** The cluster's name, unique in the fleet: overrides, outputs and messages use it. Known at preview. */
    name: string;
    /** The cluster's region: `overrides.regions` patches every cluster of a region. Known at preview. */
    region: string;
    /** The kubeconfig that reaches the cluster, as YAML or JSON text. It may be a secret. */
    kubeconfig: pulumi.Input<string>;
    /**
     * The kubeconfig context to use.
     * @default the kubeconfig's current context
     */
    context?: string;
}

/** Changes one layer makes to the ConfigMap below it: `remove` first, then the new entries. */
export interface ConfigPatch {
    /** Entries to set in `data`, replacing any inherited value of the same key. */
    data?: { [key: string]: pulumi.Input<string> };
    /** Base64-encoded entries to set in `binaryData`, replacing any inherited value of the same key. */
    binaryData?: { [key: string]: pulumi.Input<string> };
    /** Keys to delete from both `data` and `binaryData`. */
    remove?: string[];
}

/** Per-region and per-cluster patches: base `data` < `regions[region]` < `clusters[name]`. */
export interface Overrides {
    /** Patches by region, applied to every cluster of that region. */
    regions?: { [region: string]: ConfigPatch };
    /** Patches by cluster name, applied last. */
    clusters?: { [cluster: string]: ConfigPatch };
}

/** The metadata every cluster's copy of the ConfigMap gets. */
export interface Metadata {
    /**
     * The ConfigMap's name in every cluster: a DNS-1123 subdomain.
     * @default the component's resource name
     */
    name?: string;
    /**
     * The namespace in every cluster: a DNS-1123 label. It must already exist.
     * @default "default"
     */
    namespace?: string;
    /** Labels. They are not part of the content hash: changing them restarts nothing. */
    labels?: { [key: string]: string };
    /** Annotations. They are not part of the content hash: changing them restarts nothing. */
    annotations?: { [key: string]: string };
}

/** How each cluster's ConfigMap changes when its content does. */
export const Strategy = {
    /** One ConfigMap per cluster, updated in place (same name, same UID). */
    InPlace: "in-place",
    /** A content-named, immutable ConfigMap per content; the old one is deleted after consumers rolled. */
    Immutable: "immutable",
    /** A config over 1 MiB spread over several in-place ConfigMaps, mounted together as one projected volume. */
    Split: "split",
} as const;

/** How each cluster's ConfigMap changes when its content does: `in-place`, `immutable` or `split`. */
export type Strategy = (typeof Strategy)[keyof typeof Strategy];

/** The kinds of workload whose pod template an external consumer's hash annotation goes on. */
export const ConsumerKind = {
    /** An `apps/v1` Deployment. */
    Deployment: "Deployment",
    /** An `apps/v1` StatefulSet. */
    StatefulSet: "StatefulSet",
    /** An `apps/v1` DaemonSet. */
    DaemonSet: "DaemonSet",
} as const;

/** The kind of an external consumer: `Deployment`, `StatefulSet` or `DaemonSet`. */
export type ConsumerKind = (typeof ConsumerKind)[keyof typeof ConsumerKind];

/**
 * A workload the program does not manage (made by Helm, Argo CD or kubectl) that reads the ConfigMap:
 * only its pod template's hash annotation is written, so it rolls when its cluster's config changes.
 */
export interface ExternalConsumer {
    /** `Deployment`, `StatefulSet` or `DaemonSet`. */
    kind: ConsumerKind;
    /** The workload's name. */
    name: string;
    /**
     * The workload's namespace.
     * @default the ConfigMap's namespace
     */
    namespace?: string;
    /**
     * The keys it reads one by one (`configMapKeyRef`): it then rolls only when one of them changes.
     * @default every key
     */
    keys?: string[];
}

/** External consumers by fleet, region and cluster; each cluster's are the union of the three. */
export interface ExternalConsumers {
    /** Consumers in every cluster. */
    fleet?: ExternalConsumer[];
    /** Consumers in every cluster of a region, by region. */
    regions?: { [region: string]: ExternalConsumer[] };
    /** Consumers in one cluster, by cluster name. */
    clusters?: { [cluster: string]: ExternalConsumer[] };
}

/** The arguments of the multi-language {@link FleetConfigMap}. */
export interface FleetConfigMapArgs {
    /** Every cluster of the fleet, each with its name, region and kubeconfig. */
    clusters: Cluster[];
    /**
     * The clusters this stack manages, as a selector: `region:eu`, `cluster:a,b`, `shard:2/4`, or `*`.
     * Overrides may still name the clusters of other shards.
     * @default "*", every cluster
     */
    select?: string;
    /** Name, namespace, labels and annotations. */
    metadata?: Metadata;
    /** The base `data`, before overrides: non-sensitive strings; a secret is refused. */
    data?: { [key: string]: pulumi.Input<string> };
    /** The base `binaryData`, base64-encoded. A key may be in `data` or `binaryData`, not both. */
    binaryData?: { [key: string]: pulumi.Input<string> };
    /** Per-region and per-cluster patches, applied in that order on top of `data` and `binaryData`. */
    overrides?: Overrides;
    /**
     * How each cluster's ConfigMap changes when its content does.
     * @default "in-place"
     */
    strategy?: Strategy;
    /**
     * Named sets of keys, for workloads that read only some keys (`configMapKeyRef`, or a volume's
     * `items`): `keySetPodAnnotations[set][cluster]` then carries a hash of just those keys, so a change to
     * another key does not restart them. Each key must exist in every cluster's effective config.
     */
    keySets?: { [set: string]: string[] };
    /**
     * Workloads the program does not manage that read the ConfigMap (only with the in-place strategy):
     * the component writes only their pod template's hash annotation, and `destroy` removes that
     * annotation, never the workload. A name that matches nothing in a cluster fails the preview.
     */
    externalConsumers?: ExternalConsumers;
    /**
     * The clusters whose ConfigMap exists already, taken over with Pulumi's import instead of created
     * (`fleet-rollout import` writes this list; only with the in-place strategy).
     */
    adopt?: string[];
    /**
     * The field managers whose keys the first `up` may take from the adopted ConfigMaps (`fleet-rollout
     * import --take-ownership` writes those it found); any other that owns keys stops the preview.
     */
    takeOwnershipFrom?: string[];
}

/**
 * One ConfigMap declared once and written to every cluster of a fleet, with overrides per region and
 * per cluster, for programs in any Pulumi language. Merge `podAnnotations[cluster]` into the pod template
 * of each workload that reads it, so that `pulumi up` rolls exactly the workloads whose cluster's
 * effective config changed.
 */
export class FleetConfigMap extends pulumi.ComponentResource {
    /** The ConfigMap's name in every cluster (with the immutable strategy, the base of each content-named one). */
    public readonly configMapName: pulumi.Output<string>;
    /** The ConfigMap's namespace in every cluster. */
    public readonly namespace: pulumi.Output<string>;
    /** The pod-template annotation key that carries the content hash, e.g. `checksum.fleet-configmap.dev/app-config`. */
    public readonly annotationKey: pulumi.Output<string>;
    /** The SHA-256 of each cluster's effective `data` and `binaryData`, by cluster name. */
    public readonly hashes: pulumi.Output<{ [cluster: string]: string }>;
    /**
     * The name to give a workload's `configMapRef` or `configMap` volume in each cluster: `metadata.name`,
     * or with the immutable strategy the cluster's content-named ConfigMap. Empty with the split strategy,
     * whose config is several ConfigMaps: see `parts`.
     */
    public readonly names: pulumi.Output<{ [cluster: string]: string }>;
    /** Every ConfigMap of each cluster, by cluster name: one, or with the split strategy its parts in order. */
    public readonly parts: pulumi.Output<{ [cluster: string]: string[] }>;
    /** For each cluster, the annotations to merge into the pod template of a workload that reads the whole ConfigMap. */
    public readonly podAnnotations: pulumi.Output<{ [cluster: string]: { [key: string]: string } }>;
    /** For each key set of `keySets`, then each cluster, the annotations of a workload that reads only those keys. */
    public readonly keySetPodAnnotations: pulumi.Output<{ [set: string]: { [cluster: string]: { [key: string]: string } } }>;
    /**
     * For each cluster, which layer set each key and which removed it: the library's provenance, plain
     * JSON without values, so never a secret.
     */
    public readonly provenance: pulumi.Output<{ [cluster: string]: any }>;

    /**
     * @param name The component's name: the ConfigMap's name unless `metadata.name` says otherwise.
     * @param args The clusters, the data and the overrides.
     * @param opts Options for the component.
     */
    constructor(name: string, args: FleetConfigMapArgs, opts?: pulumi.ComponentResourceOptions) {
        // Checked before super(), as the library does: a refused component leaves no trace in the state.
        const { select, problems } = facadeArgs(args);
        if (problems.length > 0) throw argumentsError(undefined, `FleetConfigMap "${name}"`, problems);
        super("fleet-configmap:index:FleetConfigMap", name, {}, opts);

        const fleet = new Fleet(name, { clusters: args.clusters, select }, { parent: this });
        const config = new LibraryFleetConfigMap(
            name,
            {
                fleet,
                metadata: args.metadata,
                data: args.data,
                binaryData: args.binaryData,
                overrides: args.overrides,
                strategy: args.strategy,
                externalConsumers: args.externalConsumers,
                adopt: args.adopt,
                takeOwnershipFrom: args.takeOwnershipFrom,
            },
            { parent: this },
        );
        const clusters = fleet.clusterNames;
        const perCluster = <T>(f: (cluster: string) => pulumi.Input<T>) => pulumi.output(Object.fromEntries(clusters.map((c) => [c, f(c)]))) as pulumi.Output<{ [cluster: string]: T }>;
        const keySets = Object.entries(args.keySets ?? {});

        this.configMapName = pulumi.output(config.configMapName);
        this.namespace = pulumi.output(config.namespace);
        this.annotationKey = pulumi.output(config.annotationKey);
        this.hashes = config.hashes;
        this.names = config.strategy === "split" ? pulumi.output<{ [cluster: string]: string }>({}) : perCluster((c) => config.nameIn(c));
        this.parts = perCluster((c) => pulumi.all(config.parts[c].map((cm) => cm.metadata.name)));
        this.podAnnotations = perCluster((c) => config.podAnnotations(c));
        this.keySetPodAnnotations = pulumi.output(
            Object.fromEntries(keySets.map(([set, keys]) => [set, perCluster((c) => config.podAnnotations(c, { keys }))])),
        ) as pulumi.Output<{ [set: string]: { [cluster: string]: { [key: string]: string } } }>;
        this.provenance = config.provenance;
        this.registerOutputs({
            configMapName: this.configMapName,
            namespace: this.namespace,
            annotationKey: this.annotationKey,
            hashes: this.hashes,
            names: this.names,
            parts: this.parts,
            podAnnotations: this.podAnnotations,
            keySetPodAnnotations: this.keySetPodAnnotations,
            provenance: this.provenance,
        });
    }
}

/**
 * What only the facade checks: the selector text, and the names that must be plain strings. A caller in
 * another language can pass any value where this file's types say string, and an input that depends on
 * another resource arrives as an Output; everything else is the library's to check.
 */
export function facadeArgs(args: FleetConfigMapArgs): { select?: FleetSelection; problems: Problem[] } {
    const problems: Problem[] = [];
    if (!Array.isArray(args?.clusters)) {
        problems.push({ field: "clusters", message: "is required: a list of clusters, each with name, region and kubeconfig" });
        return { problems };
    }
    args.clusters.forEach((c, i) => {
        for (const field of ["name", "region"] as const) {
            if (typeof c?.[field] !== "string") {
                problems.push({ field: `clusters[${i}].${field}`, message: `must be a string known at preview (not the output of another resource); got ${kindOf(c?.[field])}` });
            }
        }
    });
    let select: FleetSelection | undefined;
    if (args.select !== undefined) {
        const parsed = parseSelector(String(args.select), "select");
        if (parsed.problem) problems.push(parsed.problem);
        select = parsed.selection;
    }
    return { select, problems };
}

/** A value's kind as messages show it, never the value itself (it may be a secret). */
function kindOf(value: unknown): string {
    if (pulumi.Output.isInstance(value)) return "an Output";
    if (value === undefined) return "nothing";
    return Array.isArray(value) ? "a list" : typeof value === "object" && value !== null ? "an object" : `a ${typeof value}`;
}
