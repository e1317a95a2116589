import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { hashAnnotationKey } from "./annotations";
import { ClusterPlan, overlapProblems, plainEntries, plainSchemaProblems, planClusters, provenanceOf } from "./effective-config";
import { Fleet } from "./fleet";
import { checkedFleetContent, FleetVerdict } from "./fleet-content";
import { ConfigMapContent, contentHash, pickKeys } from "./hash";
import { MissingKey, missingKeyMessage, missingKeys } from "./key-checks";
import { ConfigOverrides } from "./overrides";
import { argumentsError, packageError, Problem, quote } from "./problems";
import { ClusterProvenance, FleetProvenance } from "./provenance";
import { ConfigMapStrategy, immutableName } from "./strategies/immutable";
import { ConfigSchema, TypedConfigOverrides, TypedData } from "./typed-config";
import { configMapArgsProblems, contentProblems } from "./validation";
import { RolloutTarget } from "./rollout-transform";
import { KeyRead } from "./workload-references";

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

/**
 * The arguments of a {@link FleetConfigMap}. Without `schema` (`S` left out), `data` and the overrides
 * are string maps; with a zod object `schema`, their keys and value types are inferred from it.
 */
export interface FleetConfigMapArgs<S extends ConfigSchema | undefined = undefined> {
    /** The fleet whose every cluster gets a copy. */
    readonly fleet: Fleet;
    /** Name, namespace, labels and annotations. */
    readonly metadata?: FleetConfigMapMetadata;
    /**
     * A zod object schema of `data`, one property per key. With it, `data` and the overrides are typed
     * from it (values may be numbers, booleans, arrays and objects too, written as described in
     * `render-value.ts`), and each cluster's effective config is parsed with it at preview: a cluster
     * that breaks it stops the whole FleetConfigMap, with every failure in one error.
     * @default no schema: values are strings, checked only against Kubernetes' rules
     */
    readonly schema?: S;
    /**
     * The base `data`, before overrides. Values are non-sensitive strings (with `schema`, values of the
     * schema's types); a Pulumi secret is refused. Keys match `[-._a-zA-Z0-9]+`.
     */
    readonly data?: NoInfer<S extends ConfigSchema ? TypedData<S> : Record<string, pulumi.Input<string>>>;
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
    readonly overrides?: NoInfer<S extends ConfigSchema ? TypedConfigOverrides<S> : ConfigOverrides>;
    /**
     * How each cluster's ConfigMap changes when its content does.
     * - `"in-place"`: one ConfigMap per cluster, named `metadata.name`, updated in place (same UID).
     * - `"immutable"`: a ConfigMap per content, named `<metadata.name>-<10 hex digits of its hash>` with
     *   `immutable: true`. A change creates the new one, rolls the consumers onto it (Pulumi waits for the
     *   rollout) and only then deletes the old one, so old pods keep their config until they are gone.
     *   Consumers wired by `fleet.rolloutTransform` that name the ConfigMap by `metadata.name` are pointed
     *   at the current name; others use {@link FleetConfigMap.nameIn}.
     *
     * @default "in-place"
     */
    readonly strategy?: ConfigMapStrategy;
}

/** Options of {@link FleetConfigMap.podAnnotations}. */
export interface PodAnnotationsOptions {
    /**
     * The keys the workload reads one by one (`configMapKeyRef`, or a volume's `items`). The annotation
     * then carries a hash of just these keys, so a change to any other key does not restart the workload,
     * and each key must exist in the cluster's effective config (checked at preview). Leave it out for a
     * workload that reads the whole map (`envFrom`, a volume without `items`).
     *
     * @default every key: the hash of the whole content
     */
    readonly keys?: readonly string[];
}

/**
 * One ConfigMap declared once and written to every cluster of a {@link Fleet}, with overrides per
 * region and per cluster. Each cluster's copy is a child named `<name>-<cluster>`, on that cluster's
 * provider, updated in place when its data changes. {@link FleetConfigMap.podAnnotations} (or the
 * fleet's `rolloutTransform`) puts each cluster's content hash on the pod templates that read it, so
 * a `pulumi up` rolls exactly the workloads whose cluster's effective config changed.
 */
export class FleetConfigMap<S extends ConfigSchema | undefined = undefined> extends pulumi.ComponentResource {
    /** The Pulumi type token of this component. */
    public static readonly type = "fleet:index:FleetConfigMap";

    /**
     * The ConfigMap's name in every cluster: with the immutable strategy, the base of each cluster's
     * content-named ConfigMap (see {@link nameIn}).
     */
    public readonly configMapName: string;
    /** The ConfigMap's namespace in every cluster. */
    public readonly namespace: string;
    /** How the ConfigMaps change; see {@link FleetConfigMapArgs.strategy}. */
    public readonly strategy: ConfigMapStrategy;
    /** The pod-template annotation key that carries this ConfigMap's hash, e.g. `checksum.fleet-configmap.dev/app-config`. */
    public readonly annotationKey: string;
    /** Each cluster's ConfigMap, by cluster name. */
    public readonly configMaps: Readonly<Record<string, k8s.core.v1.ConfigMap>>;
    /**
     * The SHA-256 of each cluster's effective `data` and `binaryData` (key-sorted), by cluster name.
     * Unknown during preview while any of that cluster's values is unknown.
     */
    public readonly hashes: pulumi.Output<Record<string, string>>;
    /**
     * For each cluster, which layer set each key it has (base, `overrides.regions.<region>` or
     * `overrides.clusters.<cluster>`, with the argument path errors use, and for a typed object value
     * the fields higher layers set), and which layer removed each key it lacks. Plain JSON, registered
     * as the component's `provenance` output, so it is in the stack state and can be read from
     * `stack.exportStack()` without running the program. It holds no value (the values are in
     * {@link configMaps}), so never a secret. Unknown during preview only while a typed key's value is.
     */
    public readonly provenance: pulumi.Output<FleetProvenance>;

    private readonly resourceName: string;
    private readonly plans: ReadonlyMap<string, ClusterPlan>;
    private readonly contents: Readonly<Record<string, pulumi.Input<ConfigMapContent>>>;
    private readonly names: Readonly<Record<string, pulumi.Input<string>>>;
    private readonly verdict: Promise<FleetVerdict>;
    private readonly outputs = new Map<string, pulumi.Output<unknown>>();

    /**
     * @param name The unique name of the component; each cluster's ConfigMap is named `<name>-<cluster>`.
     * @param args The fleet, the data and the overrides.
     * @param opts Options for the component (parent, aliases, protect, ...).
     */
    constructor(name: string, args: FleetConfigMapArgs<S>, opts?: pulumi.ComponentResourceOptions) {
        // Validated before super(): a refused FleetConfigMap leaves no trace, not even in the state.
        const plans = validate(name, args as AnyArgs);
        super(FleetConfigMap.type, name, {}, opts);
        const fleet = args.fleet;
        this.resourceName = name;
        this.plans = new Map(plans.map((p) => [p.name, p]));
        this.configMapName = configMapName(name, args as AnyArgs);
        this.namespace = configMapNamespace(args as AnyArgs);
        this.strategy = args.strategy ?? "in-place";
        this.annotationKey = hashAnnotationKey(this.configMapName);
        fleet.registerRolloutTarget(name, this.rolloutTarget());

        // All or nothing: every cluster's content comes from one fleet-wide check, so a value refused in
        // one cluster keeps every cluster's ConfigMap, hash and workload from being written.
        const fleetContent = checkedFleetContent(plans, (problems) => argumentsError(this, `FleetConfigMap "${name}"`, problems));
        this.contents = fleetContent.byCluster;
        this.verdict = fleetContent.verdict;

        const configMaps: Record<string, k8s.core.v1.ConfigMap> = {};
        const names: Record<string, pulumi.Input<string>> = {};
        const provenance: Record<string, pulumi.Input<ClusterProvenance>> = {};
        const immutable = this.strategy === "immutable";
        for (const plan of plans) {
            const content = this.contents[plan.name];
            provenance[plan.name] = provenanceOf(plan);
            names[plan.name] = immutable ? mapInput(content, (c) => immutableName(this.configMapName, c)) : this.configMapName;
            configMaps[plan.name] = new k8s.core.v1.ConfigMap(
                `${name}-${plan.name}`,
                {
                    metadata: {
                        name: names[plan.name],
                        namespace: this.namespace,
                        labels: args.metadata?.labels,
                        annotations: { ...args.metadata?.annotations, ...OWNERSHIP_ANNOTATIONS },
                    },
                    immutable: immutable ? true : undefined,
                    data: mapInput(content, (c) => nonEmpty(c.data)) as pulumi.Input<Record<string, string>>,
                    binaryData: mapInput(content, (c) => nonEmpty(c.binaryData)) as pulumi.Input<Record<string, string>>,
                },
                // Children do not inherit dependsOn, and a ConfigMap must wait for what the component waits for (a namespace, say).
                // A new content-named ConfigMap is created before the old one is deleted (Pulumi's default for a replacement).
                { parent: this, provider: fleet.provider(plan.name), dependsOn: opts?.dependsOn, deleteBeforeReplace: immutable ? false : undefined },
            );
        }
        this.configMaps = configMaps;
        this.names = names;
        // One Output for the whole fleet, tied to every ConfigMap: per-cluster hash Outputs are made only when asked for.
        this.hashes = pulumi
            .all([pulumi.all(Object.values(configMaps).map((cm) => cm.urn)), pulumi.all(this.contents)])
            .apply(([, contents]) => Object.fromEntries(Object.entries(contents).map(([cluster, c]) => [cluster, contentHash(c)])));
        this.provenance = pulumi.output(provenance) as pulumi.Output<FleetProvenance>;
        this.registerOutputs({ configMapName: this.configMapName, namespace: this.namespace, hashes: this.hashes, provenance: this.provenance });
    }

    /**
     * The annotations to merge into the pod template of a workload in `cluster` that reads this
     * ConfigMap: `{ [annotationKey]: hash }`. A workload that carries them rolls whenever that cluster's
     * effective config changes (only the named `keys` of it, with `options.keys`), and waits for the
     * ConfigMap to be written first. The same cluster and keys give the same Output.
     *
     * @example
     * ```ts
     * template: { metadata: { labels, annotations: app.podAnnotations("eu-west-1") }, spec: { ... } }
     * // reads only LOG_LEVEL (configMapKeyRef): restarts only when LOG_LEVEL changes in eu-west-1
     * template: { metadata: { annotations: app.podAnnotations("eu-west-1", { keys: ["LOG_LEVEL"] }) }, spec: { ... } }
     * ```
     */
    public podAnnotations(cluster: string, options?: PodAnnotationsOptions): pulumi.Output<Record<string, string>> {
        const keys = options?.keys === undefined ? undefined : [...new Set(options.keys)].sort();
        if (keys !== undefined) {
            const missing = this.missingKeys(cluster, keys.map((key) => ({ key, required: true, path: `keys[${options!.keys!.indexOf(key)}]` })));
            if (missing.length > 0) {
                const subject = `the workload given podAnnotations(${quote(cluster)}, { keys })`;
                throw packageError(missingKeyMessage(subject, `${this.namespace}/${this.configMapName}`, missing), this);
            }
        }
        return this.memo(`annotations/${cluster}/${keys?.join("\n") ?? "*"}`, () => this.hashOutput(cluster, keys, (hash) => ({ [this.annotationKey]: hash })));
    }

    /**
     * The name of this ConfigMap in `cluster`: `metadata.name` with the in-place strategy; with the
     * immutable one, the content-named ConfigMap's name, known once its content is. A workload that names
     * the ConfigMap itself (not through `fleet.rolloutTransform`) uses it so that it moves to each new one.
     */
    public nameIn(cluster: string): pulumi.Output<string> {
        this.requireCluster(cluster);
        return this.memo(`name/${cluster}`, () => pulumi.output(this.names[cluster]));
    }

    /** An `envFrom` entry that loads every key of this ConfigMap as environment variables. */
    public envFrom(prefix?: string): k8s.types.input.core.v1.EnvFromSource {
        return { prefix, configMapRef: { name: this.configMapName } };
    }

    /**
     * A pod volume of this ConfigMap. Mount it on a directory of its own: a volume mounted over a
     * directory that already has content hides that content (`fleet.rolloutTransform` warns about it).
     */
    public volume(volumeName: string = this.configMapName): k8s.types.input.core.v1.Volume {
        return { name: volumeName, configMap: { name: this.configMapName } };
    }

    /** The hash of `cluster`'s content (of `keys` only, when given), mapped by `f`, tied to that cluster's ConfigMap. */
    private hashOutput<T>(cluster: string, keys: readonly string[] | undefined, f: (hash: string) => T): pulumi.Output<T> {
        this.requireCluster(cluster);
        const content = this.contents[cluster];
        const hash = (c: ConfigMapContent) => contentHash(keys === undefined ? c : pickKeys(c, keys));
        // Tied to the ConfigMap's URN so that whatever consumes the hash also waits for the ConfigMap.
        const urn = this.configMaps[cluster].urn;
        if (pulumi.Output.isInstance(content)) return pulumi.all([urn, content]).apply(([, c]) => f(hash(c)));
        // Literal content is hashed here, once: one apply instead of an Output join.
        const value = f(hash(content as ConfigMapContent));
        return urn.apply(() => value);
    }

    private missingKeys(cluster: string, reads: readonly KeyRead[]): MissingKey[] {
        this.requireCluster(cluster);
        const plan = this.plans.get(cluster)!;
        const has = (key: string) => Object.prototype.hasOwnProperty.call(plan.layout.data, key) || Object.prototype.hasOwnProperty.call(plan.layout.binaryData, key);
        return missingKeys(plan, has, reads);
    }

    private requireCluster(cluster: string): void {
        if (!this.plans.has(cluster)) {
            throw packageError(`FleetConfigMap ${quote(this.resourceName)} has no cluster ${quote(cluster)}; its clusters are ${[...this.plans.keys()].map(quote).join(", ")}`, this);
        }
    }

    private memo<T>(key: string, make: () => pulumi.Output<T>): pulumi.Output<T> {
        let output = this.outputs.get(key);
        if (output === undefined) this.outputs.set(key, (output = make()));
        return output as pulumi.Output<T>;
    }

    private rolloutTarget(): RolloutTarget {
        return {
            namespace: this.namespace,
            name: this.configMapName,
            annotationKey: this.annotationKey,
            verdict: () => this.verdict,
            hash: (cluster, keys) => this.hashOutput(cluster, keys, (h) => h),
            configMap: (cluster) => this.configMaps[cluster],
            missingKeys: (cluster, reads) => this.missingKeys(cluster, reads),
            currentName: this.strategy === "immutable" ? (cluster) => this.nameIn(cluster) : undefined,
        };
    }
}

/** The arguments as the functions below read them, typed or not. */
type AnyArgs = FleetConfigMapArgs<any>;

/** `f` applied to a plain value, or mapped over an Output. */
function mapInput<T, U>(input: pulumi.Input<T>, f: (value: T) => U): pulumi.Input<U> {
    return pulumi.Output.isInstance(input) ? (input as pulumi.Output<T>).apply((v) => f(v as T)) : f(input as T);
}

// An empty map is sent as absent, so an empty `binaryData` never shows up as a diff.
function nonEmpty(record: Readonly<Record<string, string>>): Record<string, string> | undefined {
    return Object.keys(record).length > 0 ? { ...record } : undefined;
}

function configMapName(name: string, args: AnyArgs): string {
    return args.metadata?.name ?? name;
}

function configMapNamespace(args: AnyArgs): string {
    return args.metadata?.namespace ?? "default";
}

/** Every check that needs no resolved values; throws the arguments error, or returns each cluster's plan. */
function validate(name: string, args: AnyArgs): ClusterPlan[] {
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
        problems.push(...plainSchemaProblems(plan));
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
