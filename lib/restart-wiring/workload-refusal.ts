/**
 * Whether a workload may be registered: not when it reads a key its cluster lacks, nor when it reads a
 * FleetConfigMap whose values were refused. One decision, made wherever the package first sees the
 * workload: in the SDK before the engine is told of it (`registration-gate.ts`), or in the engine's call
 * to the rollout transform (`rollout-transform.ts`).
 */
import { missingKeyMessage, WorkloadIdentity, workloadSubject } from "../config/key-checks";
import { packageError } from "../errors/problems";
import { RolloutSources, RolloutTarget } from "./rollout-target";
import { configMapReads, ConfigMapReads, workloadNamespace } from "./workload-references";

/** A FleetConfigMap a workload reads, and how it reads it. */
export interface TargetReads {
    /** The FleetConfigMap. */
    readonly target: RolloutTarget;
    /** The keys the workload reads on its own, and whether it reads the whole map. */
    readonly reads: ConfigMapReads;
}

/** The fleet's FleetConfigMaps that a workload with these props reads (by name, in its namespace). */
export function readTargets(sources: RolloutSources, props: unknown): TargetReads[] {
    const namespace = workloadNamespace(props);
    return [...configMapReads(props)]
        .map(([configMap, reads]) => ({ target: sources.target(namespace, configMap), reads }))
        .filter((t): t is TargetReads => t.target !== undefined);
}

/**
 * The error that refuses a workload of `cluster` reading `targets`, or undefined when it may be
 * registered. Reads a target cannot serve (a split config read by `envFrom`) and missing keys are
 * checked first: they are told from the properties, known at preview even while values are not. Then every
 * target's fleet-wide check is awaited: a refused one refuses the workload with that check's own error
 * object, so that it is reported once with the ConfigMaps it also stops.
 */
export async function workloadRefusal(targets: readonly TargetReads[], cluster: string, workload: WorkloadIdentity, props: unknown): Promise<Error | undefined> {
    for (const { target } of targets) {
        const why = target.consumerRefusal?.(cluster, props, workload);
        if (why !== undefined) return packageError(why);
    }
    for (const { target, reads } of targets) {
        const missing = target.missingKeys(cluster, reads.keys);
        if (missing.length > 0) return packageError(missingKeyMessage(workloadSubject(workload), `${target.namespace}/${target.name}`, missing));
    }
    for (const { target } of targets) {
        const verdict = await target.verdict();
        if (verdict.state === "refused") return verdict.error;
    }
    return undefined;
}
