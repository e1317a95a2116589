import * as pulumi from "@pulumi/pulumi";
import { canAnnotate, referencedConfigMaps, withPodTemplateAnnotations, WORKLOAD_TYPES, workloadNamespace } from "./workload-references";

/** What the rollout transform needs to know about one FleetConfigMap. */
export interface RolloutTarget {
    /** The ConfigMap's namespace. */
    readonly namespace: string;
    /** The ConfigMap's name. */
    readonly name: string;
    /** The pod-template annotation key that carries its hash. */
    readonly annotationKey: string;
    /** The content hash of its ConfigMap in a cluster; resolves after that ConfigMap is written. */
    hash(cluster: string): pulumi.Output<string>;
    /** Its ConfigMap resource in a cluster, which an annotated workload must wait for. */
    configMap(cluster: string): pulumi.Resource;
}

/** Where the transform looks things up: the fleet's providers and its FleetConfigMaps. */
export interface RolloutSources {
    /** Every cluster's provider, by cluster name. */
    readonly providers: Readonly<Record<string, pulumi.ProviderResource>>;
    /** The FleetConfigMap called `name` in `namespace`, if the fleet has one. */
    target(namespace: string, name: string): RolloutTarget | undefined;
}

/**
 * Builds the transform that adds hash annotations to every Deployment, StatefulSet and DaemonSet that
 * runs on one of the fleet's providers and reads one of its FleetConfigMaps. It also makes the workload
 * wait for those ConfigMaps, so new pods never start against the old config.
 */
export function createRolloutTransform(sources: RolloutSources): pulumi.ResourceTransform {
    let clusterByProviderUrn: Promise<Map<string, string>> | undefined;
    return async ({ type, custom, props, opts }) => {
        if (!custom || !WORKLOAD_TYPES.includes(type) || opts.provider === undefined) return undefined;
        // Providers are matched by URN: the engine hands transforms a reference, not our object.
        clusterByProviderUrn ??= Promise.all(
            Object.entries(sources.providers).map(async ([cluster, provider]) => [await known(provider.urn), cluster] as const),
        ).then((pairs) => new Map(pairs));
        const cluster = (await clusterByProviderUrn).get(await known(opts.provider.urn));
        if (cluster === undefined) return undefined;
        const namespace = workloadNamespace(props);
        const targets = [...referencedConfigMaps(props)]
            .map((name) => sources.target(namespace, name))
            .filter((t): t is RolloutTarget => t !== undefined);
        if (targets.length === 0) return undefined;
        if (!canAnnotate(props)) {
            pulumi.log.warn(
                `${type} in cluster "${cluster}" reads ${targets.map((t) => `ConfigMap ${t.namespace}/${t.name}`).join(", ")}, ` +
                    "but its pod template annotations are not a plain object yet, so it was not annotated and will not roll on config changes. " +
                    "Merge FleetConfigMap.podAnnotations() into them instead.",
            );
            return undefined;
        }
        const annotations = Object.fromEntries(targets.map((t) => [t.annotationKey, t.hash(cluster)]));
        const dependsOn = [...toArray(opts.dependsOn), ...targets.map((t) => t.configMap(cluster))];
        return { props: withPodTemplateAnnotations(props, annotations), opts: { ...opts, dependsOn } };
    };
}

function known<T>(output: pulumi.Output<T>): Promise<T> {
    return new Promise((resolve) => output.apply((value) => (resolve(value), value)));
}

function toArray(dependsOn: pulumi.ResourceOptions["dependsOn"]): pulumi.Input<pulumi.Resource>[] {
    if (dependsOn === undefined) return [];
    return Array.isArray(dependsOn) ? dependsOn : [dependsOn as pulumi.Input<pulumi.Resource>];
}
