/**
 * The Fleet's check that every cluster's kubeconfig still reaches the cluster the stack manages
 * (`identity-check.ts`), wired so that a refusal changes nothing anywhere. Every provider the Fleet
 * creates takes its kubeconfig through one fleet-wide gate, so no provider, and so no resource in any
 * cluster, is registered before every cluster's identity has been read and compared. That holds however
 * the program is run (`pulumi up`, `--skip-preview`, `--continue-on-error`, the Automation API): the
 * engine is never told of anything it could change.
 */
import * as pulumi from "@pulumi/pulumi";
import { isKnown, valueOf } from "../../config/output-state";
import { argumentsError } from "../../errors/problems";
import { ProgramHost } from "../../errors/program-host";
import { ACCEPT_NEW_IDENTITY_ENV, ClusterIdentities, decideIdentities } from "./identity-check";
import { IdentityRead, readKubeSystemUid } from "./kube-system-uid";

/** A cluster whose provider the Fleet creates from a kubeconfig. */
export interface IdentityCluster {
    /** The cluster's name. */
    readonly name: string;
    /** Its index in the Fleet's `clusters`, for the field a refusal names. */
    readonly index: number;
    /** The kubeconfig the provider is given. */
    readonly kubeconfig: pulumi.Input<string>;
    /** The kubeconfig's context, if not its current one. */
    readonly context?: string;
}

/** The gate and what it keeps in the state. */
export interface IdentityGate {
    /** A cluster's kubeconfig, released once every cluster's identity passed; rejects with the refusal. */
    kubeconfig(kubeconfig: pulumi.Input<string>): pulumi.Output<string>;
    /** The identities to register as the Fleet's `clusterIdentities` output; rejects with the refusal. */
    readonly identities: pulumi.Output<ClusterIdentities>;
}

/** The name of the Fleet's output that keeps the identities, which the next run reads back. */
export const IDENTITIES_OUTPUT = "clusterIdentities";

/**
 * The gate for `fleet`'s `clusters`. Under mocks (`host` "none") there is no cluster and no state to
 * compare with, and nothing is checked.
 */
export function clusterIdentityGate(fleet: pulumi.Resource, fleetName: string, clusters: readonly IdentityCluster[], host: ProgramHost): IdentityGate {
    if (host === "none" || clusters.length === 0) {
        return { kubeconfig: (kubeconfig) => pulumi.output(kubeconfig), identities: pulumi.output<ClusterIdentities>({}) };
    }
    const verdict = (async (): Promise<{ identities: ClusterIdentities } | { error: Error }> => {
        try {
            const [state, now] = await Promise.all([previousIdentities(fleet), readIdentities(clusters)]);
            // A backend that cannot give the state back leaves nothing to compare with: warn, never refuse.
            if ("unreadable" in state) void pulumi.log.warn(`could not read this stack's previous cluster identities (${state.unreadable}); the cluster identity check is skipped in this run`, fleet);
            const previous = "kept" in state ? state.kept : {};
            const fields = new Map(clusters.map((c) => [c.name, `clusters[${c.index}].kubeconfig`]));
            const decision = decideIdentities(previous, now, process.env[ACCEPT_NEW_IDENTITY_ENV], (cluster) => fields.get(cluster)!);
            if (decision.problems.length > 0) return { error: argumentsError(fleet, `Fleet "${fleetName}"`, decision.problems) };
            for (const [cluster, why] of Object.entries(decision.unverified)) {
                void pulumi.log.warn(`cluster "${cluster}": could not check that its kubeconfig still reaches the cluster this stack manages (${why}); the check is skipped for it in this run`, fleet);
            }
            return { identities: decision.identities };
        } catch (error) {
            return { error: error as Error };
        }
    })();
    // One Output for the whole fleet, rejecting with one error object, so that the SDK prints it once
    // however many providers and resources wait on it.
    const identities = pulumi.output(
        verdict.then((v) => {
            if ("error" in v) throw v.error;
            return v.identities;
        }),
    );
    return {
        kubeconfig: (kubeconfig) => pulumi.all([identities, kubeconfig]).apply(([, value]) => value),
        identities,
    };
}

/**
 * Each cluster's identity now; nothing for a cluster whose kubeconfig is not known yet (at preview, one
 * that another resource of this update will produce): it is read in the update that knows it.
 */
async function readIdentities(clusters: readonly IdentityCluster[]): Promise<Record<string, IdentityRead>> {
    const reads = await Promise.all(
        clusters.map(async (cluster) => {
            const kubeconfig = pulumi.output(cluster.kubeconfig);
            if (!(await isKnown(kubeconfig))) return undefined;
            return [cluster.name, await readKubeSystemUid(await valueOf(kubeconfig), cluster.context)] as const;
        }),
    );
    return Object.fromEntries(reads.filter((r) => r !== undefined) as (readonly [string, IdentityRead])[]);
}

/**
 * The identities this Fleet kept in the stack's state at its last update. A program sees no state of its
 * own; the engine's builtin `readStackResourceOutputs` reads a stack's resources' outputs from the backend,
 * and the program's own stack is one. During an update too it gives the last update's: the Fleet keeps its
 * previous outputs until it registers this run's, which wait for this read.
 */
async function previousIdentities(fleet: pulumi.Resource): Promise<{ kept: ClusterIdentities } | { unreadable: string }> {
    const urn = await valueOf(fleet.urn);
    const stackName = `${pulumi.getOrganization()}/${pulumi.getProject()}/${pulumi.getStack()}`;
    let state: any;
    try {
        state = await pulumi.runtime.invoke("pulumi:pulumi:readStackResourceOutputs", { stackName });
    } catch (error) {
        return { unreadable: (error as Error).message };
    }
    const kept = state?.outputs?.[urn]?.outputs?.[IDENTITIES_OUTPUT];
    return { kept: kept !== null && typeof kept === "object" ? (kept as ClusterIdentities) : {} };
}
