import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { hashAnnotationKey } from "./annotations";
import { ClusterPlan, overlapProblems, plainEntries, planClusters, resolveContent } from "./effective-config";
import { Fleet } from "./fleet";
import { ConfigMapContent, contentHash } from "./hash";
import { ConfigOverrides } from "./overrides";
import { argumentsError, Problem } from "./problems";
import { configMapArgsProblems, contentProblems } from "./validation";

/** The metadata every cluster's copy of the ConfigMap gets. */
export interface FleetConfigMapMetadata {
    /**
     * The ConfigMap's name, the same in every cluster: a DNS-1123 subdomain.
     * @default the FleetConfigMap's resource name
     */
    readonly name?: string;
    /**
     * The namespace, the same in every cluster: a DNS-1123 label. It must already exist.
     * @default "default"
     */
    readonly namespace?: string;
    /** Labels. They are not part of the content hash: changing them restarts nothing. */
    readonly labels?: Record<string, pulumi.Input<string>>;
    /**
     * Annotations. They are not part of the content hash: changing them restarts nothing. The component
     * adds `pulumi.com/patchForce: "true"`, so that `pulumi up` takes back keys edited out of band.
     */
    readonly annotations?: Record<string, pulumi.Input<string>>;
}

/** The arguments of a {@link FleetConfigMap}. */
export interface FleetConfigMapArgs {
    /** The fleet whose every cluster gets a copy. */
    readonly fleet: Fleet;
    /** Name, namespace, labels and annotations. */
    readonly metadata?: FleetConfigMapMetadata;
    /**
     * The base `data`, before overrides. Values are non-sensitive strings; a Pulumi secret is refused.
     * Keys match `[-._a-zA-Z0-9]+`.
     */
    readonly data?: Record<string, pulumi.Input<string>>;
    /** The base `binaryData`, base64-encoded. A key may be in `data` or `binaryData`, not both. */
    readonly binaryData?: Record<string, pulumi.Input<string>>;
    /**
     * Per-region and per-cluster patches, applied in that order on top of `data` and `binaryData`.
     *
     * @example
     * ```ts
     * {
     *   regions:  { eu: { data: { API_URL: "https://api.eu.example.com" } } },
     *   clusters: { "ap-south-1": { data: { LOG_LEVEL: "debug" }, remove: ["FEATURE_X"] } },
     * }
     * ```
     */
    readonly overrides?: ConfigOverrides;
}

/**
 * One ConfigMap declared once and written to every cluster of a {@link Fleet}, with overrides per
 * region and per cluster. Each cluster's copy is a child named `<name>-<cluster>`, on that cluster's
 * provider, updated in place when its data changes. {@link FleetConfigMap.podAnnotations} (or the
 * fleet's `rolloutTransform`) puts each cluster's content hash on the pod templates that read it, so
 * a `pulumi up` rolls exactly the workloads whose cluster's effective config changed.
 */
export class FleetConfigMap extends pulumi.ComponentResource {
    /** The Pulumi type token of this component. */
    public static readonly type = "fleet:index:FleetConfigMap";

    /** The ConfigMap's name in every cluster. */
    public readonly configMapName: string;
    /** The ConfigMap's namespace in every cluster. */
    public readonly namespace: string;
    /** The pod-template annotation key that carries this ConfigMap's hash, e.g. `checksum.fleet-configmap.dev/app-config`. */
    public readonly annotationKey: string;
    /** Each cluster's ConfigMap, by cluster name. */
    public readonly configMaps: Readonly<Record<string, k8s.core.v1.ConfigMap>>;
    /**
     * The SHA-256 of each cluster's effective `data` and `binaryData` (key-sorted), by cluster name.
     * Unknown during preview while any of that cluster's values is unknown.
     */
    public readonly hashes: pulumi.Output<Record<string, string>>;

    private readonly clusterHashes: Readonly<Record<string, pulumi.Output<string>>>;

    /**
     * @param name The unique name of the component; each cluster's ConfigMap is named `<name>-<cluster>`.
     * @param args The fleet, the data and the overrides.
     * @param opts Options for the component (parent, aliases, protect, ...).
     */
    constructor(name: string, args: FleetConfigMapArgs, opts?: pulumi.ComponentResourceOptions) {
        // Validated before super(): a refused FleetConfigMap leaves no trace, not even in the state.
        const plans = validate(name, args);
        super(FleetConfigMap.type, name, {}, opts);
        const fleet = args.fleet;
        this.configMapName = configMapName(name, args);
        this.namespace = configMapNamespace(args);
        this.annotationKey = hashAnnotationKey(this.configMapName);
        fleet.registerRolloutTarget(name, this.rolloutTarget());

        const configMaps: Record<string, k8s.core.v1.ConfigMap> = {};
        const hashes: Record<string, pulumi.Output<string>> = {};
        const fail = (problems: Problem[]) => argumentsError(this, `FleetConfigMap "${name}"`, problems);
        for (const plan of plans) {
            const content = resolveContent(plan, fail);
            configMaps[plan.name] = new k8s.core.v1.ConfigMap(
                `${name}-${plan.name}`,
                {
                    metadata: {
                        name: this.configMapName,
                        namespace: this.namespace,
                        labels: args.metadata?.labels,
                        annotations: { ...args.metadata?.annotations, ...OWNERSHIP_ANNOTATIONS },
                    },
                    data: field(content, "data"),
                    binaryData: field(content, "binaryData"),
                },
                // Children do not inherit dependsOn, and a ConfigMap must wait for what the component waits for (a namespace, say).
                { parent: this, provider: fleet.provider(plan.name), dependsOn: opts?.dependsOn },
            );
            // Tied to the ConfigMap's URN so that whatever consumes the hash also waits for the ConfigMap.
            // Literal content is hashed here, once: one apply per cluster instead of an Output join.
            const urn = configMaps[plan.name].urn;
            if (pulumi.Output.isInstance(content)) {
                hashes[plan.name] = pulumi.all([urn, content]).apply(([, c]) => contentHash(c));
            } else {
                const hash = contentHash(content as ConfigMapContent);
                hashes[plan.name] = urn.apply(() => hash);
            }
        }
        this.configMaps = configMaps;
        this.clusterHashes = hashes;
        this.hashes = pulumi.output(hashes);
        this.registerOutputs({ configMapName: this.configMapName, namespace: this.namespace, hashes: this.hashes });
    }

    /**
     * The annotations to merge into the pod template of a workload in `cluster` that reads this
     * ConfigMap: `{ [annotationKey]: hash }`. A workload that carries them rolls whenever that cluster's
     * effective config changes, and waits for the ConfigMap to be written first.
     *
     * @example
     * ```ts
     * template: { metadata: { labels, annotations: app.podAnnotations("eu-west-1") }, spec: { ... } }
     * ```
     */
    public podAnnotations(cluster: string): pulumi.Output<Record<string, string>> {
        return this.hashFor(cluster).apply((hash) => ({ [this.annotationKey]: hash }));
    }

    /** An `envFrom` entry that loads every key of this ConfigMap as environment variables. */
    public envFrom(prefix?: string): k8s.types.input.core.v1.EnvFromSource {
        return { prefix, configMapRef: { name: this.configMapName } };
    }

    /**
     * A pod volume of this ConfigMap. Mount it on a directory of its own: a volume mounted over a
     * directory that already has content hides that content.
     */
    public volume(volumeName: string = this.configMapName): k8s.types.input.core.v1.Volume {
        return { name: volumeName, configMap: { name: this.configMapName } };
    }

    private hashFor(cluster: string): pulumi.Output<string> {
        const hash = this.clusterHashes[cluster];
        if (hash === undefined || !Object.prototype.hasOwnProperty.call(this.clusterHashes, cluster)) {
            throw new pulumi.ResourceError(
                `FleetConfigMap has no cluster "${cluster}"; its clusters are ${Object.keys(this.clusterHashes).map((c) => `"${c}"`).join(", ")}`,
                this,
            );
        }
        return hash;
    }

    private rolloutTarget() {
        return {
            namespace: this.namespace,
            name: this.configMapName,
            annotationKey: this.annotationKey,
            hash: (cluster: string) => this.hashFor(cluster),
            configMap: (cluster: string) => this.configMaps[cluster],
        };
    }
}

function configMapName(name: string, args: FleetConfigMapArgs): string {
    return args.metadata?.name ?? name;
}

function configMapNamespace(args: FleetConfigMapArgs): string {
    return args.metadata?.namespace ?? "default";
}

/** Every check that needs no resolved values; throws the arguments error, or returns each cluster's plan. */
function validate(name: string, args: FleetConfigMapArgs): ClusterPlan[] {
    const fail = (problems: Problem[]) => argumentsError(undefined, `FleetConfigMap "${name}"`, problems);
    const fleet = args?.fleet;
    if (!Fleet.isInstance(fleet)) throw fail([{ field: "fleet", message: "must be a Fleet (new Fleet(...))" }]);
    // Overrides are checked against the whole fleet (another shard's cluster is no typo); only the selected clusters are planned.
    const problems = configMapArgsProblems(args, fleet.allClusters);
    if (problems.length > 0) throw fail(problems);
    const plans = planClusters(fleet.clusters, args);
    for (const plan of plans) {
        problems.push(...overlapProblems(plan));
        const plain = plainEntries(plan.layout);
        if (plain) problems.push(...contentProblems(plan.name, plain));
    }
    const namespace = configMapNamespace(args);
    const configMap = configMapName(name, args);
    const owner = fleet.rolloutTargetOwner(namespace, configMap);
    if (owner !== undefined) {
        problems.push({
            field: "metadata.name",
            message: `ConfigMap ${namespace}/${configMap} is already managed on this fleet by FleetConfigMap "${owner}"; two would overwrite each other`,
        });
    }
    if (problems.length > 0) throw fail(problems);
    return plans;
}

/**
 * The component owns its ConfigMaps outright: with server-side apply, a key edited out of band (say by
 * `kubectl edit`) belongs to another field manager, and without forcing, `pulumi up --refresh` would
 * stop at the conflict instead of repairing the drift.
 */
const OWNERSHIP_ANNOTATIONS = { "pulumi.com/patchForce": "true" };

function field(content: pulumi.Input<ConfigMapContent>, key: keyof ConfigMapContent): pulumi.Input<Record<string, string>> | undefined {
    // An empty map is sent as absent, so an empty `binaryData` never shows up as a diff.
    const pick = (c: ConfigMapContent) => (Object.keys(c[key]).length > 0 ? c[key] : undefined);
    return pulumi.Output.isInstance(content)
        ? (content.apply(pick) as pulumi.Output<Record<string, string>>)
        : pick(content as ConfigMapContent);
}
