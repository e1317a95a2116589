/**
 * `fleet-rollout explain NAME [--cluster C]`: reads the FleetConfigMap's provenance from the state of
 * the stacks that manage the asked clusters (no program runs, nothing is written) and prints it.
 */
import { FleetDefinition } from "../../fleet/fleet-definition";
import { Invocation } from "../arguments";
import { findFleetConfigMap, readDeployedStacks } from "./deployed-stacks";
import { EXIT } from "../exit-codes";
import { clusterExplanationJson, clusterProblems, deployedClusters, ExplainedCluster, explainCluster, explainFleet, fleetExplanationJson, renderClusterExplanation, renderFleetExplanation } from "./explain";
import { PlanError, RolloutPlan } from "../plan/plan";

/** Where `explain` reads from and writes to. */
export interface ExplainContext {
    /** The Pulumi project directory of the program. */
    readonly workDir: string;
    /** Writes to stdout. */
    readonly print: (text: string) => void;
}

/**
 * Runs `explain`; resolves to its exit code. Throws a {@link PlanError} (exit 2, nothing run) for an
 * unknown cluster or ConfigMap, or a stack that was never deployed.
 */
export async function explain(invocation: Invocation, definition: FleetDefinition, plan: RolloutPlan, context: ExplainContext): Promise<number> {
    const name = invocation.configMap!;
    const cluster = invocation.cluster;
    if (cluster !== undefined) {
        const problems = clusterProblems(cluster, definition.clusters, plan.stacks);
        if (problems.length > 0) throw new PlanError("there is nothing to explain", problems);
    }
    const stacks = cluster === undefined ? plan.stacks : plan.stacks.filter((s) => s.clusters.some((c) => c.name === cluster));
    const clusters: ExplainedCluster[] = stacks.flatMap((s) => s.clusters.filter((c) => cluster === undefined || c.name === cluster).map((c) => ({ ...c, stack: s.name })));
    const deployed = await readDeployedStacks(context.workDir, stacks, invocation.concurrency);
    const found = deployedClusters(name, clusters, findFleetConfigMap(deployed, name));
    if (cluster !== undefined) {
        const explained = explainCluster(name, clusters[0], found[cluster]);
        context.print(invocation.json ? json(clusterExplanationJson(explained)) : renderClusterExplanation(explained));
    } else {
        const explained = explainFleet(name, clusters, found);
        context.print(invocation.json ? json(fleetExplanationJson(explained)) : renderFleetExplanation(explained));
    }
    return EXIT.ok;
}

function json(value: object): string {
    return JSON.stringify(value, null, 2) + "\n";
}
