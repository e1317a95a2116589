import * as pulumi from "@pulumi/pulumi";
import { FleetVerdict } from "./fleet-content";
import { contentHash, pickKeys } from "./hash";
import { MissingKey, WorkloadIdentity } from "./key-checks";
import { mountClashes, mountClashMessage } from "./mount-clashes";
import { inProgramContext } from "./program-host";
import { refuseRegistration } from "./refusal";
import { immutableName } from "./strategies/immutable";
import { canAnnotate, hashedKeys, KeyRead, withConfigMapRenamed, withPodTemplateAnnotations, WORKLOAD_TYPES } from "./workload-references";
import { readTargets, workloadRefusal } from "./workload-refusal";

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

/**
 * What the transform does with a workload it must not let through: one whose ConfigMap's values were
 * refused, or one that reads a missing key. `error` says why; it is reported once however many
 * workloads and ConfigMaps it stops. Returns a promise that never settles in a way that registers the workload.
 */
export type Refusal = (error: Error) => Promise<never>;

/**
 * Builds the transform that adds hash annotations to every Deployment, StatefulSet and DaemonSet that
 * runs on one of the fleet's providers and reads one of its FleetConfigMaps. It also makes the workload
 * wait for those ConfigMaps, so new pods never start against the old config, checks that every key the
 * workload reads on its own exists in its cluster, and warns about mounts that hide image directories.
 *
 * A workload that reads only some keys (`configMapKeyRef`, volume `items`) gets a hash of those keys;
 * one that reads the whole map (`envFrom`, a volume without `items`) gets the hash of all of it.
 * Consumers of an immutable FleetConfigMap are pointed at its current name; those of a split one get each
 * volume of it as a projected volume over their cluster's parts, and are refused if they read it any
 * other way (`strategies/split-consumers.ts`).
 */
export function createRolloutTransform(sources: RolloutSources, refuse: Refusal = refuseRegistration): pulumi.ResourceTransform {
    let clusterByProviderUrn: Promise<Map<string, string>> | undefined;
    return inProgramContext(async ({ type, name, custom, props, opts }: pulumi.ResourceTransformArgs) => {
        if (!custom || !WORKLOAD_TYPES.includes(type) || opts.provider === undefined) return undefined;
        // Providers are matched by URN: the engine hands transforms a reference, not our object.
        clusterByProviderUrn ??= Promise.all(
            Object.entries(sources.providers).map(async ([cluster, provider]) => [await known(provider.urn), cluster] as const),
        ).then((pairs) => new Map(pairs));
        const cluster = (await clusterByProviderUrn).get(await known(opts.provider.urn));
        if (cluster === undefined) return undefined;
        const targets = readTargets(sources, props);
        if (targets.length === 0) return undefined;
        const kind = type.split(":").pop()!;
        const workload = { kind, name };

        // All or nothing: nothing leaves before the fleet-wide check has settled, and a workload that reads
        // a refused FleetConfigMap, a key its cluster lacks, or a split config other than by mounting it, is
        // never registered, annotated or not.
        const refusal = await workloadRefusal(targets, cluster, workload, props);
        if (refusal !== undefined) return refuse(refusal);

        const clashes = mountClashes(props, new Set(targets.map((t) => t.target.name)));
        const annotate = canAnnotate(props);
        // Warnings are the workload's, shown under it in the engine's diagnostics.
        const self = clashes.length > 0 || !annotate ? await workloadResource(name, type, opts.parent) : undefined;
        for (const clash of clashes) pulumi.log.warn(mountClashMessage(clash, cluster, workload), self);
        if (!annotate) {
            pulumi.log.warn(
                `${type} in cluster "${cluster}" reads ${targets.map((t) => `ConfigMap ${t.target.namespace}/${t.target.name}`).join(", ")}, ` +
                    "but its pod template annotations are not a plain object yet, so it was not annotated and will not roll on config changes. " +
                    "Merge FleetConfigMap.podAnnotations() into them instead.",
                self,
            );
        }

        const annotations: Record<string, pulumi.Input<string>> = {};
        let result = props;
        for (const { target, reads } of targets) {
            const verdict = await target.verdict();
            if (verdict.state === "refused") return refuse(verdict.error); // settled above: only narrows the type
            const keys = hashedKeys(reads);
            const content = verdict.contents[cluster];
            // Known content is hashed here to a plain string: no Output per consumer.
            annotations[target.annotationKey] = content ? contentHash(keys === undefined ? content : pickKeys(content, keys)) : target.hash(cluster, keys);
            if (target.currentName) {
                result = withConfigMapRenamed(result, target.name, content ? immutableName(target.name, content) : target.currentName(cluster));
            }
            if (target.rewriteConsumer) result = target.rewriteConsumer(cluster, result);
        }
        const dependsOn = [...dependsOnList(opts.dependsOn), ...targets.flatMap((t) => t.target.configMaps(cluster))];
        return { props: annotate ? withPodTemplateAnnotations(result, annotations) : result, opts: { ...opts, dependsOn } };
    });
}

/** The workload the engine is registering, as a resource that log messages can name: the transform gets only its name, type and parent. */
async function workloadResource(name: string, type: string, parent: pulumi.Resource | undefined): Promise<pulumi.Resource> {
    return new pulumi.DependencyResource(await known(pulumi.createUrn(name, type, parent)));
}

function known<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((value) => (resolve(value), value)));
}

/** A resource's `dependsOn` option as a list. */
export function dependsOnList(dependsOn: pulumi.ResourceOptions["dependsOn"]): pulumi.Input<pulumi.Resource>[] {
    if (dependsOn === undefined) return [];
    return Array.isArray(dependsOn) ? dependsOn : [dependsOn as pulumi.Input<pulumi.Resource>];
}
