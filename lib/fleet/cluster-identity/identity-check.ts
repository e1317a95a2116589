/**
 * Is each cluster still the cluster this stack manages? A kubeconfig may change (rotated certificates and
 * tokens, a new CA bundle, a renamed context) and the provider is then updated in place, keeping every
 * resource (`clusterIdentifier`). That is right only while the kubeconfig still reaches the same cluster.
 * One that reaches another cluster under the same name would have the next update patch, and the next
 * removal delete, objects in a cluster the state knows nothing of. So each cluster's identity (the UID of
 * its `kube-system` namespace) is kept in the Fleet's outputs and compared with the one read now.
 */
import { Problem, quote } from "../../errors/problems";
import { IdentityRead } from "./kube-system-uid";

/** Each cluster's identity, by cluster name: the UID of its `kube-system` namespace. */
export type ClusterIdentities = Readonly<Record<string, string>>;

/**
 * The environment variable that accepts a new identity for the clusters it names, comma-separated, or `*`
 * for all: for one update after a cluster was recreated on purpose under the same name. An environment
 * variable rather than an argument, so that accepting is an act of one run and never stays in a program.
 */
export const ACCEPT_NEW_IDENTITY_ENV = "FLEET_ACCEPT_NEW_CLUSTER_IDENTITY";

/** What comparing the identities read now with the previous ones decided. */
export interface IdentityDecision {
    /** The clusters whose kubeconfig reaches another cluster than the state's, as problems to refuse. */
    readonly problems: Problem[];
    /** The identities to keep in the state: the ones read now, and the previous ones of clusters not read. */
    readonly identities: ClusterIdentities;
    /** Clusters whose identity could not be read now, with why; the check is skipped for them. */
    readonly unverified: Readonly<Record<string, string>>;
}

/** Whether `cluster` is one of those `accepted` (the value of {@link ACCEPT_NEW_IDENTITY_ENV}) names. */
export function acceptsNewIdentity(accepted: string | undefined, cluster: string): boolean {
    const names = (accepted ?? "").split(",").map((name) => name.trim());
    return names.includes("*") || names.includes(cluster);
}

/**
 * Compares each cluster's identity read now with the one in the state. A cluster with no previous
 * identity (new to the stack, or managed before identities were kept) takes the one read now; one whose
 * identity cannot be read now keeps the previous one, unverified (an unreachable cluster cannot be written
 * to either, so nothing is at risk); one whose identity differs is refused unless it is accepted.
 * `fieldOf` names the argument a refusal points at.
 */
export function decideIdentities(
    previous: ClusterIdentities,
    now: Readonly<Record<string, IdentityRead>>,
    accepted: string | undefined,
    fieldOf: (cluster: string) => string = (cluster) => `clusters[${quote(cluster)}].kubeconfig`,
): IdentityDecision {
    const problems: Problem[] = [];
    const identities: Record<string, string> = {};
    const unverified: Record<string, string> = {};
    for (const [cluster, read] of Object.entries(now)) {
        const before = Object.prototype.hasOwnProperty.call(previous, cluster) ? previous[cluster] : undefined;
        if ("unreadable" in read) {
            unverified[cluster] = read.unreadable;
            if (before !== undefined) identities[cluster] = before;
            continue;
        }
        identities[cluster] = read.uid;
        if (before === undefined || before === read.uid || acceptsNewIdentity(accepted, cluster)) continue;
        problems.push({
            field: fieldOf(cluster),
            cluster,
            message:
                `reaches a different Kubernetes cluster than the one this stack manages under that name: its kube-system namespace has UID ${read.uid}, ` +
                `the stack's state has ${before}. Point the kubeconfig back at ${quote(cluster)}; or, if the cluster was recreated on purpose, ` +
                `run the update once with ${ACCEPT_NEW_IDENTITY_ENV}=${cluster} (objects the state holds for it are then created again by \`pulumi up --refresh\`)`,
        });
    }
    return { problems, identities, unverified };
}
