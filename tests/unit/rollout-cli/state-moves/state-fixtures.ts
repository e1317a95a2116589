import { StateResource } from "../../../../lib/rollout-cli/explain/deployed-stacks";

const PROJECT = "shop";

/** A URN in `stack` of a resource of `type` named `name`, under parents of `parentTypes`. */
export function urn(stack: string, type: string, name: string, parentTypes: string[] = []): string {
    return `urn:pulumi:${stack}::${PROJECT}::${[...parentTypes, type].join("$")}::${name}`;
}

/**
 * The state of one stack of the e2e rollout program, as `pulumi stack export` writes it: the stack, a
 * Fleet with a provider per cluster, a FleetConfigMap with a ConfigMap per cluster, and per cluster a
 * Namespace, a Deployment, and a component of the program's own with a Deployment inside.
 */
export function stackState(stack: string, clusters: readonly string[], options: { providerOnly?: readonly string[] } = {}): StateResource[] {
    const root = urn(stack, "pulumi:pulumi:Stack", `${PROJECT}-${stack}`);
    const fleet = urn(stack, "fleet:index:Fleet", "e2e");
    const app = urn(stack, "fleet:index:FleetConfigMap", "app-config");
    const out: StateResource[] = [
        { urn: root, type: "pulumi:pulumi:Stack" },
        { urn: fleet, type: "fleet:index:Fleet", parent: root },
        { urn: app, type: "fleet:index:FleetConfigMap", parent: root },
    ];
    for (const c of clusters) {
        const provider = urn(stack, "pulumi:providers:kubernetes", `e2e-${c}`, ["fleet:index:Fleet"]);
        const ref = `${provider}::id-${c}`;
        out.push({ urn: provider, type: "pulumi:providers:kubernetes", custom: true, id: `id-${c}`, parent: fleet, inputs: { clusterIdentifier: c } });
        if (options.providerOnly?.includes(c)) continue;
        const mine = urn(stack, "shop:index:App", `app-${c}`);
        out.push(
            { urn: urn(stack, "kubernetes:core/v1:Namespace", `ns-${c}`), type: "kubernetes:core/v1:Namespace", custom: true, id: "shop", parent: root, provider: ref },
            { urn: urn(stack, "kubernetes:core/v1:ConfigMap", `app-config-${c}`, ["fleet:index:FleetConfigMap"]), type: "kubernetes:core/v1:ConfigMap", custom: true, id: "shop/app-config", parent: app, provider: ref },
            { urn: urn(stack, "kubernetes:apps/v1:Deployment", `web-${c}`), type: "kubernetes:apps/v1:Deployment", custom: true, id: "shop/web", parent: root, provider: ref },
            { urn: mine, type: "shop:index:App", parent: root },
            { urn: urn(stack, "kubernetes:apps/v1:Deployment", `api-${c}`, ["shop:index:App"]), type: "kubernetes:apps/v1:Deployment", custom: true, id: "shop/api", parent: mine, provider: ref },
        );
    }
    return out;
}

/** The name part of a URN, to compare what a plan lists by name. */
export function urnName(urn: string): string {
    return urn.split("::").pop()!;
}
