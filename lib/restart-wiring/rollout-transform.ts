import * as pulumi from "@pulumi/pulumi";
import { contentHash, pickKeys } from "../config/hash";
import { mountClashes, mountClashMessage } from "./mount-clashes";
import { inProgramContext } from "../errors/program-host";
import { refuseRegistration } from "../errors/refusal";
import { RolloutSources } from "./rollout-target";
import { immutableName } from "../strategies/immutable";
import { canAnnotate, hashedKeys, withConfigMapRenamed, withPodTemplateAnnotations, WORKLOAD_TYPES } from "./workload-references";
import { readTargets, workloadRefusal } from "./workload-refusal";

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
