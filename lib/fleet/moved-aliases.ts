import * as pulumi from "@pulumi/pulumi";

/**
 * The aliases of a per-cluster child of the package's components (a Fleet's provider, a
 * FleetConfigMap's ConfigMap), so that it keeps its state however it got there:
 *
 * - moved: `fleet-rollout` moves a cluster's resources to another stack's state with `pulumi state
 *   move`, which parents a moved resource whose parent stays behind (the component, shared by every
 *   cluster of the stack) to the stack, and so drops the parent's type from its URN. The alias with
 *   no parent finds it there; the first `up` of the new stack parents it to its component again.
 * - renamed: under each of the cluster's former names, with its parent and without.
 *
 * An alias that finds nothing costs nothing.
 */
export function movedAliases(name: string, formerNames: readonly string[], nameUnder: (formerName: string) => string): pulumi.Alias[] {
    // The stack itself: an alias whose parent is the stack has no parent in its URN.
    const stack = { parent: pulumi.rootStackResource };
    return [{ ...stack, name }, ...formerNames.flatMap((old) => [{ name: nameUnder(old) }, { ...stack, name: nameUnder(old) }])];
}
