/**
 * Which cluster an engine step belongs to. A step belongs to the cluster whose provider performs it:
 * the step's state names its provider reference, and each Fleet publishes which provider is which
 * cluster (its `clusterProviders` output). Resource names play no part, so `iad-web`, `web-primary`
 * and `app-config-west-1` are attributed alike. A step on no fleet provider belongs to no cluster.
 */
import type { StepEventMetadata } from "@pulumi/pulumi/automation";

/** The type token of the Fleet component, whose `clusterProviders` output maps provider URNs to clusters. */
export const FLEET_TYPE = "fleet:index:Fleet";

/** Provider URN → cluster name, for every Fleet of a stack. */
export type ClusterProviders = ReadonlyMap<string, string>;

/**
 * The cluster of every fleet provider named by the Fleet steps among `steps`: their new outputs (what
 * the program declares now) and their old ones (what was deployed, so that a resource of a cluster that
 * left the fleet is still attributed to it).
 */
export function clusterProviders(steps: readonly StepEventMetadata[]): Map<string, string> {
    const providers = new Map<string, string>();
    for (const step of steps) {
        if (step.type !== FLEET_TYPE) continue;
        for (const state of [step.old, step.new]) {
            const mapping = state?.outputs?.clusterProviders;
            if (!mapping || typeof mapping !== "object") continue;
            for (const [cluster, urn] of Object.entries(mapping)) if (typeof urn === "string") providers.set(urn, cluster);
        }
    }
    return providers;
}

/**
 * The cluster a step belongs to: the cluster of the provider that performs it, or of the provider it
 * is. Undefined when it belongs to no fleet provider (the stack, the components, other providers).
 */
export function clusterOfStep(step: StepEventMetadata, providers: ClusterProviders): string | undefined {
    const own = providers.get(step.urn);
    if (own !== undefined) return own;
    for (const ref of [step.new?.provider, step.old?.provider, step.provider]) {
        const cluster = ref ? (providers.get(providerUrn(ref)) ?? providers.get(ref)) : undefined;
        if (cluster !== undefined) return cluster;
    }
    return undefined;
}

/** The URN of a provider reference, which is `<urn>::<id>`. */
export function providerUrn(reference: string): string {
    const at = reference.lastIndexOf("::");
    return at > 0 ? reference.slice(0, at) : reference;
}
