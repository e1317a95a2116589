/**
 * Which clusters a stack's state holds, and which of its resources are each cluster's: what a move
 * takes from one stack's state to another's. Pure: it reads an exported state, nothing else.
 */
import { resourceName, StateResource } from "../explain/deployed-stacks";
import { FLEET_TYPE } from "../review/attribution";
/** The type token of the Kubernetes provider resource. */
const KUBERNETES_PROVIDER = "pulumi:providers:kubernetes";
/** The type token of a stack's root resource. */
const ROOT_STACK = "pulumi:pulumi:Stack";

/** One cluster as one stack's state holds it. */
export interface HeldCluster {
    /** The cluster's name: its provider's `clusterIdentifier`, which the Fleet sets to the name. */
    readonly cluster: string;
    /** The stack whose state holds it. */
    readonly stack: string;
    /** The URNs of the cluster's providers in that state (one per Fleet of the program). */
    readonly providers: readonly string[];
    /**
     * The URNs of the resources that are the cluster's, in state order: every resource its providers
     * manage, and every component (other than the package's own) whose resources are all this
     * cluster's. A move takes these, with their children; the providers are copied by the move and
     * then removed from the source.
     */
    readonly resources: readonly string[];
}

/** What tells a Fleet's provider that a move parented to the stack from a provider of the program's own. */
export interface FleetNames {
    /** The names of the program's Fleets, from every stack's state ({@link fleetNamesIn}); this state's own are added. */
    readonly fleets?: readonly string[];
    /** Each renamed cluster's former names (oldest first, the first its provider's `clusterIdentifier`), by its name now. */
    readonly formerNames?: ReadonlyMap<string, readonly string[]>;
}

/** The names of the Fleets in a state. */
export function fleetNamesIn(resources: readonly StateResource[]): string[] {
    return resources.filter((r) => r.type === FLEET_TYPE && !r.delete).map(resourceName);
}

/**
 * The clusters `stack`'s state holds: one entry per cluster that has a Fleet provider in it, even one
 * whose resources are gone (a provider left behind by a move that stopped before removing it).
 */
export function heldClusters(stack: string, resources: readonly StateResource[], known: FleetNames = {}): HeldCluster[] {
    const byUrn = new Map(resources.map((r) => [r.urn, r]));
    const fleets = new Set([...(known.fleets ?? []), ...fleetNamesIn(resources)]);
    // The names a Fleet gives the providers of the cluster whose `clusterIdentifier` is `identifier`:
    // `<fleet>-<cluster>`, under the cluster's name now or any former one.
    const namesOf = (identifier: string): string[] => {
        const names = [identifier];
        for (const [name, olds] of known.formerNames ?? []) if (olds[0] === identifier) names.push(name, ...olds);
        return names;
    };
    const madeByFleet = (r: StateResource, identifier: string) => namesOf(identifier).some((n) => [...fleets].some((f) => resourceName(r) === `${f}-${n}`));
    const clusterOfProvider = new Map<string, string>();
    const providersOf = new Map<string, string[]>();
    for (const r of resources) {
        // A Fleet's provider: its parent is a Fleet; or, just moved, the stack (`pulumi state move` parents
        // a copied provider whose Fleet stays behind to the stack, until the program registers its Fleet
        // there), which a provider the Fleet made tells by its `clusterIdentifier` and its name: the one the
        // Fleet gives that cluster's provider. A provider of the program's own is no cluster's.
        const fleet = byUrn.get(r.parent ?? "");
        const identifier = r.inputs?.clusterIdentifier;
        const moved = (fleet === undefined || fleet.type === ROOT_STACK) && typeof identifier === "string" && madeByFleet(r, identifier);
        if (r.type !== KUBERNETES_PROVIDER || r.delete || (fleet?.type !== FLEET_TYPE && !moved)) continue;
        const cluster = providerCluster(r, fleet?.type === FLEET_TYPE ? fleet : undefined);
        clusterOfProvider.set(`${r.urn}::${r.id ?? ""}`, cluster);
        providersOf.set(cluster, [...(providersOf.get(cluster) ?? []), r.urn]);
    }
    // Each resource's cluster: its provider's; a component's, when every resource below it has the same one.
    const clusterOf = new Map<string, string | null>();
    for (const r of resources) {
        if (r.provider !== undefined && clusterOfProvider.has(r.provider)) clusterOf.set(r.urn, clusterOfProvider.get(r.provider)!);
        else if (r.custom) clusterOf.set(r.urn, null);
    }
    const children = new Map<string, StateResource[]>();
    for (const r of resources) if (r.parent) children.set(r.parent, [...(children.get(r.parent) ?? []), r]);
    const componentCluster = (r: StateResource): string | null => {
        if (clusterOf.has(r.urn)) return clusterOf.get(r.urn)!;
        const below = (children.get(r.urn) ?? []).map(componentCluster);
        const own = below.length > 0 && below.every((c) => c !== null && c === below[0]) ? below[0] : null;
        clusterOf.set(r.urn, own);
        return own;
    };
    const owned = new Map<string, string[]>();
    for (const r of resources) {
        if (r.type.startsWith("pulumi:providers:") || r.type === ROOT_STACK || r.type.startsWith("fleet:index:")) continue;
        const cluster = r.custom ? clusterOf.get(r.urn) : componentCluster(r);
        if (cluster === null || cluster === undefined || !providersOf.has(cluster)) continue;
        const list = owned.get(cluster) ?? [];
        if (!list.includes(r.urn)) list.push(r.urn);
        owned.set(cluster, list);
    }
    return [...providersOf].map(([cluster, providers]) => ({ cluster, stack, providers, resources: owned.get(cluster) ?? [] }));
}

/** A Fleet provider's cluster: its `clusterIdentifier` input, else its name without the Fleet's. */
function providerCluster(provider: StateResource, fleet: StateResource | undefined): string {
    const identifier = provider.inputs?.clusterIdentifier;
    if (typeof identifier === "string" && identifier !== "") return identifier;
    const name = resourceName(provider);
    const prefix = fleet ? `${resourceName(fleet)}-` : "";
    return name.startsWith(prefix) ? name.slice(prefix.length) : name;
}
