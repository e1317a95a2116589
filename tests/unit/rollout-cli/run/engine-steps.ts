/**
 * Engine steps as the Automation API reports them, for unit tests: resources on a cluster's provider
 * (the step names the provider reference `<urn>::<id>`), and the Fleet step whose outputs say which
 * provider is which cluster.
 */
import type { StepEventMetadata } from "@pulumi/pulumi/automation";

const PROJECT = "urn:pulumi:eu::shop";

/** The URN of a resource of type `typeChain` (parents' types first, `$`-joined) named `name`. */
export function urnOf(typeChain: string, name: string): string {
    return `${PROJECT}::${typeChain}::${name}`;
}

/** The provider URN the Fleet gives a cluster; its name deliberately says nothing of the cluster. */
export function providerUrn(cluster: string): string {
    return urnOf("fleet:index:Fleet$pulumi:providers:kubernetes", `p${[...cluster].reduce((n, ch) => n + ch.charCodeAt(0), 0)}`);
}

/** The Fleet's step: its outputs map each cluster to its provider's URN. */
export function fleetStep(clusters: readonly string[], op = "same"): StepEventMetadata {
    const outputs = { clusterProviders: Object.fromEntries(clusters.map((c) => [c, providerUrn(c)])) };
    return { op, type: "fleet:index:Fleet", urn: urnOf("fleet:index:Fleet", "shop"), provider: "", new: { outputs } } as unknown as StepEventMetadata;
}

/** A step of a resource on `cluster`'s provider (`undefined`: on no fleet provider), with old and new inputs. */
export function stepOn(cluster: string | undefined, op: string, typeChain: string, name: string, oldInputs?: object, newInputs?: object, extra: Partial<StepEventMetadata> = {}): StepEventMetadata {
    const provider = cluster === undefined ? `${urnOf("pulumi:providers:random", "default")}::1` : `${providerUrn(cluster)}::04da6b54`;
    const type = typeChain.split("$").pop()!;
    return {
        op,
        type,
        urn: urnOf(typeChain, name),
        provider: "",
        old: oldInputs && ({ inputs: oldInputs, outputs: oldInputs, provider } as never),
        new: newInputs && ({ inputs: newInputs, provider } as never),
        ...(oldInputs || newInputs ? {} : { new: { provider } as never }),
        ...extra,
    } as StepEventMetadata;
}
