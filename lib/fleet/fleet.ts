import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ClusterIdentities } from "./cluster-identity/identity-check";
import { clusterIdentityGate, IDENTITIES_OUTPUT, IdentityGate } from "./cluster-identity/identity-gate";
import { FleetSelection, formatSelector, selectClusters } from "./fleet-selection";
import { argumentsError } from "../errors/problems";
import { currentProgramHost } from "../errors/program-host";
import { movedAliases } from "./moved-aliases";
import { createRegistrationGate } from "../restart-wiring/registration-gate";
import { RolloutSources, RolloutTarget } from "../restart-wiring/rollout-target";
import { createRolloutTransform } from "../restart-wiring/rollout-transform";
import { fleetArgsProblems } from "../config/validation";

/**
 * One cluster of a fleet: its name, its region, and how to reach it. Give exactly one of `kubeconfig`
 * or `provider`.
 *
 * @example
 * ```ts
 * { name: "us-east-1", region: "us", kubeconfig: fs.readFileSync("us.yaml", "utf8") }
 * { name: "ap-south-1", region: "apac", provider: existingProvider, enableConfigMapMutable: true }
 * ```
 */
export interface FleetClusterArgs {
    /**
     * The cluster's name, unique in the fleet: letters, digits, `-`, `_` and `.`, at most 63 characters.
     * It names the cluster's child resources (`<resource>-<cluster>`), so `pulumi preview` reads per cluster.
     */
    readonly name: string;
    /** The cluster's region, used to pick `overrides.regions` patches. Several clusters may share one. */
    readonly region: string;
    /**
     * A kubeconfig, as file contents or a path. The Fleet creates a provider for it, marks the kubeconfig
     * secret, and enables in-place ConfigMap updates on that provider.
     */
    readonly kubeconfig?: pulumi.Input<string>;
    /** The kubeconfig context to use, with `kubeconfig`. Defaults to the kubeconfig's current context. */
    readonly context?: string;
    /**
     * An existing Kubernetes provider to use instead of `kubeconfig`. For ConfigMaps to be updated in
     * place (same object, same UID), it must have been created with `enableConfigMapMutable: true`;
     * without it a data change deletes and recreates the ConfigMap. See `enableConfigMapMutable`.
     */
    readonly provider?: k8s.Provider;
    /**
     * With `provider`: says that the provider was created with `enableConfigMapMutable: true`. The
     * Fleet cannot read a provider's settings, so when this is not set and the
     * `PULUMI_K8S_ENABLE_CONFIGMAP_MUTABLE` environment variable is not `true`, it warns that ConfigMap
     * data changes on this cluster will replace the ConfigMap instead of updating it.
     *
     * @default false
     */
    readonly enableConfigMapMutable?: boolean;
    /**
     * The names the cluster had before, oldest first, when it is renamed: its provider and every
     * FleetConfigMap's ConfigMaps keep their state under the new name (Pulumi aliases), and its
     * provider keeps the oldest name as its `clusterIdentifier`, so nothing in the cluster is replaced.
     * Give the program's own per-cluster resources the same aliases with {@link Fleet.formerNames}.
     * `fleet-rollout` moves a renamed cluster whose stack changes with its name.
     *
     * @example
     * ```ts
     * { name: "eu-west-1b", region: "eu", kubeconfig, formerNames: ["eu-west-1"] }
     * ```
     * @default none: the cluster was never renamed
     */
    readonly formerNames?: string[];
}

/** The arguments of a {@link Fleet}. */
export interface FleetArgs {
    /**
     * The whole fleet's clusters, in the order every fan-out visits them. At least one. With `select`,
     * clusters outside the selection need only `name` and `region`.
     */
    readonly clusters: FleetClusterArgs[];
    /**
     * The clusters this stack manages, so that one program serves every shard stack of a large fleet:
     * only they get a provider, ConfigMaps and workloads. Overrides are still checked against the whole
     * fleet. Read it from stack config with `selectionFromConfig`.
     *
     * @default the whole fleet
     */
    readonly select?: FleetSelection;
}

/** A cluster of a {@link Fleet}, as the fleet exposes it. */
export interface FleetCluster {
    /** The cluster's name. */
    readonly name: string;
    /** The cluster's region. */
    readonly region: string;
}

/**
 * The clusters of a fleet, declared once: their names, regions and one Kubernetes provider each.
 * {@link FleetConfigMap}s fan out to every cluster of the fleet they are given.
 *
 * @example
 * ```ts
 * const fleet = new Fleet("prod", { clusters: [
 *     { name: "us-east-1", region: "us", kubeconfig: usKubeconfig },
 *     { name: "eu-west-1", region: "eu", kubeconfig: euKubeconfig, context: "eu-west-1" },
 * ]});
 * new k8s.apps.v1.Deployment("web-eu", { ... }, { provider: fleet.provider("eu-west-1") });
 * ```
 */
export class Fleet extends pulumi.ComponentResource {
    /** The Pulumi type token of this component. */
    public static readonly type = "fleet:index:Fleet";

    /** Whether `obj` is a Fleet, even when several copies of this package are loaded. */
    public static isInstance(obj: unknown): obj is Fleet {
        return typeof obj === "object" && obj !== null && (obj as Fleet).__fleetType === Fleet.type;
    }

    /** The names of the clusters this stack manages (the selected ones), in the order given. */
    public readonly clusterNames: string[];
    /** The clusters this stack manages (the selected ones), in the order given. */
    public readonly clusters: readonly FleetCluster[];
    /** The distinct regions of the clusters this stack manages, in order of first appearance. */
    public readonly regions: string[];
    /**
     * Every cluster of the fleet, selected or not, in the order given. FleetConfigMaps check their
     * overrides against these, so an override for a cluster of another shard is valid.
     */
    public readonly allClusters: readonly FleetCluster[];
    /** The selection this stack manages, as a selector (`region:eu`, `shard:2/4`, or `*` for all). */
    public readonly selector: string;
    /**
     * Every cluster's Kubernetes provider, by cluster name. Pass one as `provider` to put a resource
     * in that cluster: `{ provider: fleet.providers["eu-west-1"] }`.
     */
    public readonly providers: Readonly<Record<string, k8s.Provider>>;
    /**
     * Each managed cluster's provider URN, by cluster name. It is an output of the component, so it is in
     * the engine's events and the stack's state: `fleet-rollout` reads it to give every engine step to
     * the cluster whose provider performs it, whatever the resource is called.
     */
    public readonly clusterProviders: Readonly<Record<string, pulumi.Output<string>>>;
    /**
     * A resource transform that wires restarts automatically. Register it once, before the workloads
     * are declared: `pulumi.runtime.registerResourceTransform(fleet.rolloutTransform)`. From then on,
     * every Deployment, StatefulSet and DaemonSet on one of this fleet's providers that reads one of its
     * FleetConfigMaps (by name, in the same namespace, through `envFrom`, `configMapKeyRef`, a
     * `configMap` volume or a projected volume) gets that ConfigMap's hash annotation, and so rolls
     * exactly when its cluster's config changes. Workloads that read none are left untouched. Volumes of
     * a FleetConfigMap with `strategy: "split"` become projected volumes over the cluster's parts, and
     * any other read of it is refused at preview.
     */
    public readonly rolloutTransform: pulumi.ResourceTransform;
    /**
     * Each managed cluster's identity, by cluster name: the UID of its `kube-system` namespace, read with
     * the kubeconfig the Fleet gives its provider. It is kept in the stack's state (the `clusterIdentities`
     * output), and every run compares it with the cluster its kubeconfig reaches now: a kubeconfig that
     * reaches another cluster under the same name is refused before any provider is registered, so
     * nothing changes in any cluster. Clusters given by `provider` are not checked (the Fleet cannot read
     * their credentials). See `cluster-identity/identity-check.ts`.
     */
    public readonly clusterIdentities: pulumi.Output<ClusterIdentities>;

    /**
     * The stack transformation that stops a refused workload before the engine is told of it; the Fleet
     * registers it itself in an inline Automation API program (see `registration-gate.ts`).
     * @internal
     */
    public readonly registrationGate: pulumi.ResourceTransformation;
    /** @internal */
    public readonly __fleetType: string;
    private readonly targets: Map<string, { owner: string; target: RolloutTarget }>;

    private readonly formerNamesOf: ReadonlyMap<string, readonly string[]>;

    /**
     * @param name The unique name of the fleet; its providers are named `<name>-<cluster>`.
     * @param args The clusters.
     * @param opts Options for the component (parent, aliases, protect, ...).
     */
    constructor(name: string, args: FleetArgs, opts?: pulumi.ComponentResourceOptions) {
        // Validated before super(): a refused Fleet leaves no trace, not even in the state.
        const problems = fleetArgsProblems(args);
        if (problems.length > 0) throw argumentsError(undefined, `Fleet "${name}"`, problems);
        super(Fleet.type, name, {}, opts);
        this.__fleetType = Fleet.type;
        this.targets = new Map();

        this.allClusters = args.clusters.map(({ name: cluster, region }) => ({ name: cluster, region }));
        this.formerNamesOf = new Map(args.clusters.map((c) => [c.name, [...(c.formerNames ?? [])]]));
        this.selector = formatSelector(args.select);
        // Nothing is created for a cluster outside the selection: a shard costs what its own clusters cost.
        const selected = selectClusters(args.clusters, args.select);
        // One fleet-wide gate: no provider is registered until every cluster's identity has been checked.
        const identity = clusterIdentityGate(
            this,
            name,
            selected.filter((c) => c.provider === undefined).map((c) => ({ name: c.name, index: args.clusters.indexOf(c), kubeconfig: c.kubeconfig!, context: c.context })),
            currentProgramHost(),
        );
        this.clusterIdentities = identity.identities;
        this.clusters = selected.map(({ name: cluster, region }) => ({ name: cluster, region }));
        this.clusterNames = this.clusters.map((c) => c.name);
        this.regions = [...new Set(this.clusters.map((c) => c.region))];
        this.providers = Object.fromEntries(selected.map((cluster) => [cluster.name, this.providerFor(name, cluster, identity)]));
        const rollout: RolloutSources = {
            providers: this.providers,
            target: (namespace, configMap) => this.targets.get(`${namespace}/${configMap}`)?.target,
        };
        this.rolloutTransform = createRolloutTransform(rollout);
        this.registrationGate = createRegistrationGate(rollout);
        // An inline program's process is not ours to end when a workload is refused: there a refused
        // workload is stopped before the engine is told of it.
        if (currentProgramHost() === "inline") pulumi.runtime.registerStackTransformation(this.registrationGate);
        this.clusterProviders = Object.fromEntries(Object.entries(this.providers).map(([cluster, provider]) => [cluster, provider.urn]));
        this.registerOutputs({
            clusterNames: this.clusterNames,
            regions: this.regions,
            selector: this.selector,
            clusterProviders: this.clusterProviders,
            [IDENTITIES_OUTPUT]: this.clusterIdentities,
        });
    }

    /** The provider of the cluster called `cluster`; throws if the fleet has no such cluster. */
    public provider(cluster: string): k8s.Provider {
        const provider = this.providers[cluster];
        if (provider === undefined || !Object.prototype.hasOwnProperty.call(this.providers, cluster)) {
            if (this.allClusters.some((c) => c.name === cluster)) {
                throw new pulumi.ResourceError(`cluster "${cluster}" is in the fleet but not in this stack's selection (${this.selector}); loop over fleet.clusterNames`, this);
            }
            throw new pulumi.ResourceError(`Fleet has no cluster "${cluster}"; its clusters are ${this.clusterNames.map((c) => `"${c}"`).join(", ")}`, this);
        }
        return provider;
    }

    /**
     * The names cluster `cluster` had before, oldest first (its `formerNames`); empty when it was never
     * renamed. A program names its per-cluster resources after the cluster, so a renamed cluster's
     * resources need aliases to their old names to be kept rather than replaced:
     *
     * @example
     * ```ts
     * new k8s.apps.v1.Deployment(`web-${cluster}`, { ... }, {
     *     provider: fleet.provider(cluster),
     *     aliases: fleet.formerNames(cluster).map((old) => ({ name: `web-${old}` })),
     * });
     * ```
     */
    public formerNames(cluster: string): string[] {
        return [...(this.formerNamesOf.get(cluster) ?? [])];
    }

    /** The names of the clusters in `region`, in order; empty if the fleet has no such region. */
    public clustersIn(region: string): string[] {
        return this.clusters.filter((c) => c.region === region).map((c) => c.name);
    }

    /**
     * The name of the FleetConfigMap that manages ConfigMap `namespace/name` on this fleet, if any.
     * @internal
     */
    public rolloutTargetOwner(namespace: string, name: string): string | undefined {
        return this.targets.get(`${namespace}/${name}`)?.owner;
    }

    /**
     * The FleetConfigMaps recorded so far in `namespace`, with their owners' names.
     * @internal
     */
    public rolloutTargetsIn(namespace: string): { owner: string; target: RolloutTarget }[] {
        return [...this.targets.values()].filter(({ target }) => target.namespace === namespace);
    }

    /**
     * Records a FleetConfigMap for the rollout transform.
     * @internal
     */
    public registerRolloutTarget(owner: string, target: RolloutTarget): void {
        this.targets.set(`${target.namespace}/${target.name}`, { owner, target });
    }

    private providerFor(fleetName: string, cluster: FleetClusterArgs, identity: IdentityGate): k8s.Provider {
        if (cluster.provider) {
            const mutable = cluster.enableConfigMapMutable === true || process.env.PULUMI_K8S_ENABLE_CONFIGMAP_MUTABLE === "true";
            if (!mutable) {
                pulumi.log.warn(
                    `cluster "${cluster.name}": the provider you gave is not known to have \`enableConfigMapMutable: true\`, ` +
                        "so a change to a FleetConfigMap's data there will delete and recreate the ConfigMap instead of updating it in place. " +
                        "Create the provider with `enableConfigMapMutable: true` and set `enableConfigMapMutable: true` on this cluster.",
                    this,
                );
            }
            return cluster.provider;
        }
        return new k8s.Provider(
            `${fleetName}-${cluster.name}`,
            {
                kubeconfig: pulumi.secret(identity.kubeconfig(cluster.kubeconfig!)),
                context: cluster.context,
                // Rotating a kubeconfig (new token, new certificate) must not replace the provider, and
                // with it every resource in the cluster: the cluster is the same as long as its name is,
                // or, once renamed, its first name.
                clusterIdentifier: cluster.formerNames?.[0] ?? cluster.name,
                // Without this the provider replaces a ConfigMap on every data change, and because the
                // name is fixed it deletes the old one first: consumers would briefly see no ConfigMap.
                enableConfigMapMutable: true,
            },
            { parent: this, aliases: movedAliases(`${fleetName}-${cluster.name}`, cluster.formerNames ?? [], (old) => `${fleetName}-${old}`) },
        );
    }
}
