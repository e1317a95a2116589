import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { hashAnnotationKey } from "../restart-wiring/annotations";
import { checkConfigMap } from "./check-stage";
import { ClusterPlan, provenanceOf } from "./effective-config";
import { Fleet } from "../fleet/fleet";
import { checkedFleetContent, FleetVerdict } from "./fleet-content";
import { consumersIn, ExternalConsumers } from "../external-consumers/external-consumer";
import { consumerPatches } from "../external-consumers/consumer-patches";
import { importId } from "../adoption/adopt-existing";
import { ownershipGate } from "../adoption/ownership-gate";
import { ConfigMapContent, contentHash, pickKeys } from "./hash";
import { MissingKey, missingKeyMessage, missingKeys } from "./key-checks";
import { ConfigOverrides } from "./overrides";
import { argumentsError, formatProblem, packageError, Problem, quote } from "../errors/problems";
import { ClusterProvenance, FleetProvenance } from "./provenance";
import { ClusterConfigMaps, ConfigMapChildren } from "../strategies/children";
import { oneConfigMap } from "../strategies/one-config-map";
import { splitConfigMaps } from "../strategies/split-config-maps";
import { splitConsumerRefusal, splitVolume, withSplitVolumes } from "../strategies/split-consumers";
import { ConfigMapStrategy, STRATEGY_CHECKS } from "../strategies/strategy";
import { ConfigSchema, TypedConfigOverrides, TypedData } from "./typed-config";
import { RolloutTarget } from "../restart-wiring/rollout-target";
import { KeyRead } from "../restart-wiring/workload-references";

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
     * - `"split"`: for file-shaped configs over 1 MiB. Each cluster's keys are spread, by a hash of each
     *   key's name, over parts under 1 MiB each, named `<metadata.name>-1`, `-2`, ... (numbers can have
     *   gaps), each an in-place ConfigMap. Consumers can only mount it: a volume of `metadata.name` wired
     *   by `fleet.rolloutTransform` becomes a projected volume over the cluster's parts, and `envFrom` or
     *   `configMapKeyRef` readers are refused at preview; workloads wired by hand use
     *   {@link FleetConfigMap.volumeIn}. Every value must be known when the program runs (a string, not an
     *   Output), since which parts exist depends on the values' sizes. See `strategies/split.ts`.
     *
     * @default "in-place"
     */
    readonly strategy?: ConfigMapStrategy;
    /**
     * Workloads this program does not manage (made by Helm, Argo CD or kubectl) that read the
     * ConfigMap, named per fleet, region or cluster. The component writes only their pod template's
     * hash annotation, by server-side apply of that one field, so each rolls when its cluster's
     * effective config changes; a name that matches nothing in a cluster fails the preview. Removing a
     * name, or destroying the stack, removes the annotation and never the workload. Only with the
     * in-place strategy, where the ConfigMap keeps the name those workloads read.
     *
     * @example
     * ```ts
     * externalConsumers: { fleet: [{ kind: "Deployment", name: "legacy-web" }], regions: { eu: [{ kind: "DaemonSet", name: "gdpr-agent" }] } }
     * ```
     * @default none
     */
    readonly externalConsumers?: ExternalConsumers;
    /**
     * The clusters whose ConfigMap exists already, to be taken over as it is rather than created
     * (`fleet-rollout import` lists the clusters it found it in; see docs/ADOPTION.md). Each of their
     * ConfigMaps gets Pulumi's `import` resource option (ID `<namespace>/<name>`): the first preview
     * shows `= import`, with the data unchanged, then an update of the package's own
     * `pulumi.com/patchForce` annotation; later runs are ordinary, since the engine imports only what
     * its state does not hold. A listed cluster whose ConfigMap is gone fails the preview. Only with
     * the in-place strategy.
     *
     * @default none: every ConfigMap is created (server-side apply leaves one that exists as it is)
     */
    readonly adopt?: readonly string[];
    /**
     * The field managers (`kubectl-create`, `helm`, ...) whose keys the first `up` may take from the
     * adopted ConfigMaps. Until Pulumi has applied an adopted ConfigMap, the preview reads it and
     * fails, before anything changes in any cluster, naming each other manager that owns keys, the
     * key and the cluster, unless it is listed here (`fleet-rollout import --take-ownership` writes
     * the ones it found). Afterwards the FleetConfigMap forces its values over any manager's, as it
     * does to repair drift.
     *
     * @default none: a key any other manager owns stops the preview
     */
    readonly takeOwnershipFrom?: readonly string[];
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
    /**
     * Each cluster's ConfigMap, by cluster name. With the split strategy, its first part (`<name>-1`,
     * which every cluster has); {@link parts} has them all.
     */
    public readonly configMaps: Readonly<Record<string, k8s.core.v1.ConfigMap>>;
    /**
     * Every ConfigMap of each cluster, by cluster name: with the split strategy its parts in order, the
     * first being {@link configMaps}' entry; with the others, that one ConfigMap alone.
     */
    public readonly parts: Readonly<Record<string, readonly k8s.core.v1.ConfigMap[]>>;
    /**
     * The SHA-256 of each cluster's effective `data` and `binaryData` (key-sorted), by cluster name:
     * with the split strategy too, the hash of the whole config, not of one part, so that a change in
     * any part rolls its consumers. Unknown during preview while any of that cluster's values is unknown.
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

    /**
     * The `…Patch` resource of each external consumer, by cluster name (see
     * {@link FleetConfigMapArgs.externalConsumers}); an empty list for a cluster without any.
     */
    public readonly externalPatches: Readonly<Record<string, readonly pulumi.CustomResource[]>>;

    private readonly fleet: Fleet;
    private readonly resourceName: string;
    private readonly plans: ReadonlyMap<string, ClusterPlan>;
    private readonly contents: Readonly<Record<string, pulumi.Input<ConfigMapContent>>>;
    private readonly written: Readonly<Record<string, ClusterConfigMaps>>;
    private readonly verdict: Promise<FleetVerdict>;
    private readonly outputs = new Map<string, pulumi.Output<unknown>>();

    /**
     * @param name The unique name of the component; each cluster's ConfigMap is named `<name>-<cluster>`
     *   (with the split strategy, each part `<name>-<cluster>-part-<number>`).
     * @param args The fleet, the data and the overrides.
     * @param opts Options for the component (parent, aliases, protect, ...).
     */
    constructor(name: string, args: FleetConfigMapArgs<S>, opts?: pulumi.ComponentResourceOptions) {
        // Validated before super(): a refused FleetConfigMap leaves no trace, not even in the state.
        const plans = validate(name, args as AnyArgs);
        super(FleetConfigMap.type, name, {}, opts);
        const fleet = args.fleet;
        this.fleet = fleet;
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
        this.contents = this.gatedOnOwnership(plans, args as AnyArgs, fleetContent.byCluster);
        this.verdict = fleetContent.verdict;

        const children: ConfigMapChildren = {
            parent: this,
            resourceName: name,
            configMapName: this.configMapName,
            namespace: this.namespace,
            labels: args.metadata?.labels,
            annotations: args.metadata?.annotations,
            provider: (cluster) => fleet.provider(cluster),
            formerNames: (cluster) => fleet.formerNames(cluster),
            dependsOn: opts?.dependsOn,
            importId: adoptedIn(args as AnyArgs, this.namespace, this.configMapName),
        };
        const written: Record<string, ClusterConfigMaps> = {};
        const provenance: Record<string, pulumi.Input<ClusterProvenance>> = {};
        for (const plan of plans) {
            const content = this.contents[plan.name];
            provenance[plan.name] = provenanceOf(plan);
            written[plan.name] = this.strategy === "split" ? splitConfigMaps(children, plan.name, content) : oneConfigMap(children, plan.name, content, this.strategy === "immutable");
        }
        this.written = written;
        this.parts = Object.fromEntries(Object.entries(written).map(([cluster, w]) => [cluster, w.all]));
        this.configMaps = Object.fromEntries(Object.entries(written).map(([cluster, w]) => [cluster, w.all[0]]));
        // One Output for the whole fleet, tied to every ConfigMap: per-cluster hash Outputs are made only when asked for.
        this.hashes = pulumi
            .all([pulumi.all(Object.values(this.parts).flatMap((all) => all.map((cm) => cm.urn))), pulumi.all(this.contents)])
            .apply(([, contents]) => Object.fromEntries(Object.entries(contents).map(([cluster, c]) => [cluster, contentHash(c)])));
        this.provenance = pulumi.output(provenance) as pulumi.Output<FleetProvenance>;
        this.externalPatches = this.patchExternalConsumers(plans, (args as AnyArgs).externalConsumers);
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
     * A split config has no one name (its parts are `<metadata.name>-1`, ...): this throws, and
     * {@link volumeIn} gives the volume to mount instead.
     */
    public nameIn(cluster: string): pulumi.Output<string> {
        this.requireCluster(cluster);
        const name = this.written[cluster].name;
        if (name === undefined) throw this.onlyMounted("nameIn()", "volumeIn(cluster)");
        return this.memo(`name/${cluster}`, () => pulumi.output(name));
    }

    /**
     * An `envFrom` entry that loads every key of this ConfigMap as environment variables. A split config
     * can only be mounted: with `strategy: "split"` this throws.
     */
    public envFrom(prefix?: string): k8s.types.input.core.v1.EnvFromSource {
        if (this.strategy === "split") throw this.onlyMounted("envFrom()", "volume()");
        return { prefix, configMapRef: { name: this.configMapName } };
    }

    /**
     * A pod volume of this ConfigMap. Mount it on a directory of its own: a volume mounted over a
     * directory that already has content hides that content (`fleet.rolloutTransform` warns about it).
     * It names `metadata.name`, which the rollout transform points at each cluster's ConfigMap (with the
     * immutable strategy) or turns into a projected volume over each cluster's parts (with the split
     * one); a workload wired by hand uses {@link volumeIn} instead.
     */
    public volume(volumeName: string = this.configMapName): k8s.types.input.core.v1.Volume {
        return { name: volumeName, configMap: { name: this.configMapName } };
    }

    /**
     * The pod volume of this ConfigMap as it is in `cluster`, for a workload wired by hand (not through
     * `fleet.rolloutTransform`): a `configMap` volume of {@link nameIn}, or with the split strategy a
     * `projected` volume with one source per part of that cluster, so every key appears as a file in one
     * directory. Merge {@link podAnnotations} into the workload's pod template too, so that it rolls on
     * a change in any part and waits for the parts to be written.
     *
     * @example
     * ```ts
     * spec: { volumes: [geoip.volumeIn("eu-west-1", "geoip")], containers: [{ volumeMounts: [{ name: "geoip", mountPath: "/etc/geoip" }] }] }
     * ```
     */
    public volumeIn(cluster: string, volumeName: string = this.configMapName): k8s.types.input.core.v1.Volume {
        this.requireCluster(cluster);
        const layout = this.written[cluster].layout;
        if (layout !== undefined) return splitVolume(volumeName, layout);
        return { name: volumeName, configMap: { name: this.nameIn(cluster) } };
    }

    /** The hash of `cluster`'s content (of `keys` only, when given), mapped by `f`, tied to that cluster's ConfigMap. */
    private hashOutput<T>(cluster: string, keys: readonly string[] | undefined, f: (hash: string) => T): pulumi.Output<T> {
        this.requireCluster(cluster);
        const content = this.contents[cluster];
        const hash = (c: ConfigMapContent) => contentHash(keys === undefined ? c : pickKeys(c, keys));
        // Tied to the ConfigMaps' URNs so that whatever consumes the hash also waits for every one of them.
        const parts = this.parts[cluster];
        const urn: pulumi.Output<unknown> = parts.length === 1 ? parts[0].urn : pulumi.all(parts.map((cm) => cm.urn));
        if (pulumi.Output.isInstance(content)) return pulumi.all([urn, content]).apply(([, c]) => f(hash(c)));
        // Literal content is hashed here, once: one apply instead of an Output join.
        const value = f(hash(content as ConfigMapContent));
        return urn.apply(() => value);
    }

    /**
     * Each cluster's content, made to wait for the ownership check of the adopted ConfigMaps when there
     * are any (adoption/ownership-gate.ts): every cluster's, so that a clash in one changes none.
     */
    private gatedOnOwnership(plans: readonly ClusterPlan[], args: AnyArgs, contents: Readonly<Record<string, pulumi.Input<ConfigMapContent>>>): Readonly<Record<string, pulumi.Input<ConfigMapContent>>> {
        const adopted = new Set(args.adopt ?? []);
        const gate = ownershipGate({
            parent: this,
            resourceName: this.resourceName,
            namespace: this.namespace,
            name: this.configMapName,
            clusters: plans.filter((p) => adopted.has(p.name)).map((p) => ({ cluster: p.name, provider: this.fleet.provider(p.name) })),
            allowed: args.takeOwnershipFrom ?? [],
            fail: (problems) =>
                packageError(
                    `FleetConfigMap ${quote(this.resourceName)} would take keys of adopted ConfigMaps from other field managers; nothing was changed:\n${problems.map((p) => `  - ${formatProblem(p)}`).join("\n")}`,
                    this,
                ),
        });
        if (gate === undefined) return contents;
        return Object.fromEntries(Object.entries(contents).map(([cluster, content]) => [cluster, pulumi.all([gate, content]).apply(([, c]) => c as ConfigMapContent)]));
    }

    /** The read and the hash-annotation patch of every external consumer of every cluster this stack manages. */
    private patchExternalConsumers(plans: readonly ClusterPlan[], consumers: ExternalConsumers | undefined): Record<string, pulumi.CustomResource[]> {
        const patches: Record<string, pulumi.CustomResource[]> = {};
        const missing: MissingKey[] = [];
        const resolved = plans.map((plan) => {
            const list = consumersIn(plan, consumers, this.namespace);
            for (const c of list) {
                if (c.keys) missing.push(...this.missingKeys(plan.name, c.keys.map((key, i) => ({ key, required: true, path: `${c.field}.keys[${i}]` }))));
            }
            return { plan, list };
        });
        if (missing.length > 0) throw packageError(missingKeyMessage(`an external consumer of FleetConfigMap ${quote(this.resourceName)}`, `${this.namespace}/${this.configMapName}`, missing), this);
        for (const { plan, list } of resolved) {
            patches[plan.name] = consumerPatches(
                {
                    parent: this,
                    resourceName: this.resourceName,
                    cluster: plan.name,
                    formerNames: this.fleet.formerNames(plan.name),
                    provider: this.fleet.provider(plan.name),
                    annotationKey: this.annotationKey,
                    hash: (keys) => this.hashOutput(plan.name, keys === undefined ? undefined : [...new Set(keys)].sort(), (h) => h),
                },
                list,
            );
        }
        return patches;
    }

    private missingKeys(cluster: string, reads: readonly KeyRead[]): MissingKey[] {
        this.requireCluster(cluster);
        const plan = this.plans.get(cluster)!;
        const has = (key: string) => Object.prototype.hasOwnProperty.call(plan.layout.data, key) || Object.prototype.hasOwnProperty.call(plan.layout.binaryData, key);
        return missingKeys(plan, has, reads);
    }

    /** The error for a use of a split config other than mounting it. */
    private onlyMounted(what: string, instead: string): Error {
        return packageError(
            `FleetConfigMap ${quote(this.resourceName)} has \`strategy: "split"\`, so its keys are spread over several ConfigMaps ` +
                `(${quote(`${this.configMapName}-1`)}, ...) and it can only be mounted, as a projected volume over every part: ${what} cannot be used; use ${instead}`,
            this,
        );
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
        const layout = (cluster: string) => this.written[cluster].layout;
        return {
            namespace: this.namespace,
            name: this.configMapName,
            split: this.strategy === "split",
            annotationKey: this.annotationKey,
            verdict: () => this.verdict,
            hash: (cluster, keys) => this.hashOutput(cluster, keys, (h) => h),
            configMaps: (cluster) => this.parts[cluster],
            missingKeys: (cluster, reads) => this.missingKeys(cluster, reads),
            currentName: this.strategy === "immutable" ? (cluster) => this.nameIn(cluster) : undefined,
            ...(this.strategy === "split" && {
                consumerRefusal: (cluster, props, workload) => splitConsumerRefusal(props, workload, cluster, `${this.namespace}/${this.configMapName}`, layout(cluster)!),
                rewriteConsumer: (cluster, props) => withSplitVolumes(props, this.configMapName, layout(cluster)!),
            }),
        };
    }
}

/** The arguments as the functions below read them, typed or not. */
type AnyArgs = FleetConfigMapArgs<any>;

function configMapName(name: string, args: AnyArgs): string {
    return args.metadata?.name ?? name;
}

function configMapNamespace(args: AnyArgs): string {
    return args.metadata?.namespace ?? "default";
}

/** The import ID of each cluster's ConfigMap that `adopt` lists, none for the others. */
function adoptedIn(args: AnyArgs, namespace: string, name: string): (cluster: string) => string | undefined {
    const adopted = new Set(args.adopt ?? []);
    return (cluster) => (adopted.has(cluster) ? importId(namespace, name) : undefined);
}

/**
 * Every check that needs no resolved values, as one stage (check-stage.ts) over plain data gathered from
 * the fleet; throws the arguments error, or returns each cluster's plan.
 */
function validate(name: string, args: AnyArgs): readonly ClusterPlan[] {
    const fail = (problems: readonly Problem[]) => argumentsError(undefined, `FleetConfigMap "${name}"`, problems);
    const fleet = args?.fleet;
    if (!Fleet.isInstance(fleet)) throw fail([{ field: "fleet", message: "must be a Fleet (new Fleet(...))" }]);
    const namespace = configMapNamespace(args);
    const { plans, problems } = checkConfigMap({
        args,
        allClusters: fleet.allClusters,
        clusters: fleet.clusters,
        configMap: { name: configMapName(name, args), namespace },
        strategies: STRATEGY_CHECKS,
        // A recorded config says only whether it is split, the one strategy that writes names beyond its own.
        others: fleet.rolloutTargetsIn(namespace).map(({ owner, target }) => ({ owner, name: target.name, checks: STRATEGY_CHECKS[target.split ? "split" : "in-place"] })),
    });
    if (problems.length > 0) throw fail(problems);
    return plans;
}
