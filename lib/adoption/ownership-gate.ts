/**
 * The ownership check of adopted ConfigMaps, at preview, before anything changes: each adopted
 * cluster's ConfigMap is read (a read is all a preview may do), and every cluster's content waits for
 * the check of all of them (ownership-clashes.ts), so one clash stops every cluster's ConfigMap,
 * hash and consumer, in preview and in up alike. A read also fails the preview, naming the cluster in
 * its resource name, when an adopted ConfigMap is gone.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Problem } from "../errors/problems";
import { importId } from "./adopt-existing";
import { ownershipClashes } from "./ownership-clashes";

/** What the gate needs from the FleetConfigMap. */
export interface OwnershipGateContext {
    /** The FleetConfigMap, parent of the reads. */
    readonly parent: pulumi.Resource;
    /** Its resource name: a read is `<resourceName>-<cluster>-live`. */
    readonly resourceName: string;
    /** The ConfigMap's namespace and name. */
    readonly namespace: string;
    readonly name: string;
    /** The adopted clusters this stack manages, with their providers. */
    readonly clusters: readonly { readonly cluster: string; readonly provider: pulumi.ProviderResource }[];
    /** The managers whose keys may be taken (`takeOwnershipFrom`). */
    readonly allowed: readonly string[];
    /** The error for the clashes found. */
    fail(problems: readonly Problem[]): Error;
}

/** An Output that resolves once no adopted cluster clashes and rejects with the clashes; undefined when none is adopted. */
export function ownershipGate(context: OwnershipGateContext): pulumi.Output<true> | undefined {
    if (context.clusters.length === 0) return undefined;
    const id = importId(context.namespace, context.name);
    const allowed = new Set(context.allowed);
    const reads = context.clusters.map(({ cluster, provider }) => k8s.core.v1.ConfigMap.get(`${context.resourceName}-${cluster}-live`, id, { parent: context.parent, provider }));
    return pulumi.all(reads.map((r) => r.metadata)).apply((metadata) => {
        const problems = metadata.flatMap((m, i) => ownershipClashes(context.clusters[i].cluster, id, m?.managedFields, allowed));
        if (problems.length > 0) throw context.fail(problems);
        return true as const;
    });
}
