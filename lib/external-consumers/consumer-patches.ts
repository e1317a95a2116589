/**
 * The resources that wire one cluster's external consumers: for each, a read of the workload (so a
 * name that matches nothing in that cluster fails the preview, before anything changes) and a
 * `…Patch` that server-side applies the pod template's hash annotation and nothing else. Deleting a
 * Patch (the name removed, or `destroy`) gives up the one field it applied, which removes the
 * annotation; the workload itself is never deleted. A patch is aliased like the ConfigMaps
 * (moved-aliases.ts), so that a cluster moved to another stack's state, or renamed, keeps its patches.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { movedAliases } from "../fleet/moved-aliases";
import { ResolvedConsumer } from "./external-consumer";

/** What the patches of one cluster need from the FleetConfigMap. */
export interface ConsumerPatchContext {
    /** The FleetConfigMap, parent of every patch. */
    readonly parent: pulumi.Resource;
    /** Its resource name: a patch is `<resourceName>-<cluster>-<kind>-<namespace>-<name>`. */
    readonly resourceName: string;
    /** The cluster. */
    readonly cluster: string;
    /** The cluster's former names (oldest first), under which its patches may still be in the state. */
    readonly formerNames: readonly string[];
    /** The cluster's provider. */
    readonly provider: pulumi.ProviderResource;
    /** The annotation key, e.g. `checksum.fleet-configmap.dev/app-config`. */
    readonly annotationKey: string;
    /** The cluster's content hash (of `keys` only, when given), tied to its ConfigMap so the patch waits for it. */
    hash(keys: readonly string[] | undefined): pulumi.Output<string>;
}

const WORKLOADS = {
    Deployment: { read: k8s.apps.v1.Deployment, patch: k8s.apps.v1.DeploymentPatch },
    StatefulSet: { read: k8s.apps.v1.StatefulSet, patch: k8s.apps.v1.StatefulSetPatch },
    DaemonSet: { read: k8s.apps.v1.DaemonSet, patch: k8s.apps.v1.DaemonSetPatch },
} as const;

/** The read and the patch of each consumer of one cluster, in order; resolves to the patches. */
export function consumerPatches(context: ConsumerPatchContext, consumers: readonly ResolvedConsumer[]): pulumi.CustomResource[] {
    return consumers.map((consumer) => {
        const workload = WORKLOADS[consumer.kind];
        const nameFor = (cluster: string) => `${context.resourceName}-${cluster}-${consumer.kind.toLowerCase()}-${consumer.namespace}-${consumer.name}`;
        const name = nameFor(context.cluster);
        const opts = { parent: context.parent, provider: context.provider };
        // A read fails the preview when the workload is not in this cluster, naming it and (in its resource name) the cluster.
        const existing = workload.read.get(`${name}-live`, `${consumer.namespace}/${consumer.name}`, opts);
        const annotations = context.hash(consumer.keys).apply((hash) => ({ [context.annotationKey]: hash }));
        return new workload.patch(
            name,
            { metadata: { name: consumer.name, namespace: consumer.namespace }, spec: { template: { metadata: { annotations } } } },
            { ...opts, dependsOn: [existing], aliases: movedAliases(name, context.formerNames, nameFor) },
        );
    });
}
