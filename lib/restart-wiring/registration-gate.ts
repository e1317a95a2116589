/**
 * The registration gate: refused workloads are stopped in the SDK, before the engine is told of them.
 *
 * The rollout transform sees a workload only once the engine is registering it, and can then only let
 * it through, fail (the SDK prints "transform failed" and "failed to register new resource" with a
 * JavaScript stack trace, once per workload) or hold it, which ends the run only when the process ends.
 * The Pulumi CLI's process is ours to end (`refusal.ts`); an inline Automation API program's is its
 * caller's. There the Fleet adds this gate as a stack transformation, which the SDK applies as each
 * workload is declared: the workload's registration then depends on the package's check of it, as a
 * ConfigMap's depends on its values, so a refused workload fails in the SDK with the check's own error
 * object (reported once with whatever else it stops), and the engine never receives it.
 */
import * as pulumi from "@pulumi/pulumi";
import { RolloutSources } from "./rollout-target";
import { dependsOnList } from "./rollout-transform";
import { WORKLOAD_TYPES } from "./workload-references";
import { readTargets, workloadRefusal } from "./workload-refusal";

/**
 * A stack transformation that makes every Deployment, StatefulSet and DaemonSet declared on one of the
 * fleet's providers (`opts.provider`) wait for the package's check of it, and fail with its refusal.
 * Passing workloads are registered as they were; the rollout transform then wires them.
 */
export function createRegistrationGate(sources: RolloutSources): pulumi.ResourceTransformation {
    return ({ type, name, props, opts }) => {
        if (!WORKLOAD_TYPES.includes(type)) return undefined;
        const provider = (opts as pulumi.CustomResourceOptions).provider;
        const cluster = Object.keys(sources.providers).find((c) => provider !== undefined && sources.providers[c] === provider);
        if (cluster === undefined) return undefined;
        const workload = { kind: type.split(":").pop()!, name };
        // The SDK waits for every dependency before it registers a resource, and takes an Output of a list.
        const check = pulumi.output(passes(sources, cluster, workload, props)) as unknown as pulumi.Input<pulumi.Resource>;
        return { props, opts: { ...opts, dependsOn: [...dependsOnList(opts.dependsOn), check] } };
    };
}

/** Resolves to no dependency once the workload passes; rejects with its refusal. */
async function passes(sources: RolloutSources, cluster: string, workload: { kind: string; name: string }, props: pulumi.Inputs): Promise<pulumi.Resource[]> {
    // Read as the rollout transform reads them: resolved, with what preview does not know yet left unknown.
    const resolved = await valueWithUnknowns(pulumi.output(props));
    const refusal = await workloadRefusal(readTargets(sources, resolved), cluster, workload, resolved);
    if (refusal !== undefined) throw refusal;
    return [];
}

// The SDK keeps an Output's value with its unknown parts behind `promise(true)`; there is no public
// accessor, and `apply` skips an Output that is not wholly known, as a workload's props may be at preview.
function valueWithUnknowns<T>(output: pulumi.Output<T>): Promise<T> {
    return (output as unknown as { promise(withUnknowns: boolean): Promise<T> }).promise(true);
}
