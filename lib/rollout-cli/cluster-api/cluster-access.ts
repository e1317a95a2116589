import { FleetDefinition, kubeconfigPath } from "../../fleet/fleet-definition";
import { RolloutPlan } from "../plan/plan";

/**
 * How the rollout command reaches one cluster outside Pulumi (preflight, soak, gate): the kubeconfig
 * file and context the program's provider for that cluster reads. A gate's clusters file lists these.
 */
export interface ClusterAccess {
    /** The cluster's name in the fleet. */
    readonly name: string;
    /** Its region. */
    readonly region: string;
    /** The stack that manages it. */
    readonly stack: string;
    /** The absolute path of its kubeconfig. */
    readonly kubeconfig: string;
    /** The kubeconfig context, when the fleet file names one. @default absent: the kubeconfig's current context */
    readonly context?: string;
}

/** The access of every cluster of the plan's stacks, by name. */
export function clusterAccesses(definition: FleetDefinition, plan: RolloutPlan): Map<string, ClusterAccess> {
    const byName = new Map(definition.clusters.map((c) => [c.name, c]));
    const accesses = new Map<string, ClusterAccess>();
    for (const stack of plan.stacks) {
        for (const { name, region } of stack.clusters) {
            const cluster = byName.get(name)!;
            accesses.set(name, { name, region, stack: stack.name, kubeconfig: kubeconfigPath(definition, cluster), ...(cluster.context ? { context: cluster.context } : {}) });
        }
    }
    return accesses;
}
