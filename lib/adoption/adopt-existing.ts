/**
 * Taking over ConfigMaps that exist already, with Pulumi's `import` resource option. Without it, the
 * state has no ConfigMap yet, so the first preview shows each as a create with every key added, and
 * nobody reading the review can tell that nothing will change. With it, the engine reads the live
 * object first (`= import` in the preview), then diffs the program's inputs against what it read: the
 * data, which `fleet-rollout import` derived from those very objects, shows no change. Once in the
 * state the option does nothing: the engine imports only a resource it does not hold under that ID.
 *
 * What the diff does show is the package's own ownership annotation (`pulumi.com/patchForce`,
 * strategies/children.ts), which no hand-made ConfigMap carries: an in-place update of that one
 * annotation, right after the import, in the same run (the engine imports, then updates). It restarts
 * nothing, since no consumer's hash covers metadata.
 */
import { z } from "zod";
import { invalidValue, Problem, quote } from "../errors/problems";

/** The shape of `adopt`: cluster names. Names the fleet does not have are caught by {@link adoptProblems}. */
export const adoptSchema = z.array(z.string("must be a cluster name"), "must be a list of cluster names");

/** The ID pulumi-kubernetes imports a namespaced object by. */
export function importId(namespace: string, name: string): string {
    return `${namespace}/${name}`;
}

/**
 * What is wrong with a FleetConfigMap's `adopt`: a cluster the fleet does not have, one listed twice,
 * or a strategy whose ConfigMap is not the one that exists (an immutable one is named after its
 * content, a split one is spread over parts).
 */
export function adoptProblems(adopt: readonly string[] | undefined, clusters: readonly { readonly name: string }[], strategy: string | undefined): Problem[] {
    if (adopt === undefined || !Array.isArray(adopt)) return [];
    const problems: Problem[] = [];
    const known = new Set(clusters.map((c) => c.name));
    const seen = new Set<string>();
    adopt.forEach((cluster, i) => {
        if (typeof cluster !== "string") return;
        if (!known.has(cluster)) {
            problems.push({ field: `adopt[${i}]`, cluster, message: `${invalidValue(cluster)}: is not a cluster of the fleet; its clusters are ${clusters.map((c) => quote(c.name)).join(", ")}` });
        } else if (seen.has(cluster)) {
            problems.push({ field: `adopt[${i}]`, cluster, message: `${invalidValue(cluster)}: is listed twice` });
        }
        seen.add(cluster);
    });
    if (adopt.length > 0 && (strategy ?? "in-place") !== "in-place") {
        problems.push({
            field: "adopt",
            message: `applies only with \`strategy: "in-place"\`: the ${quote(strategy!)} strategy writes ConfigMaps of other names than the one that exists, so there is nothing to take over`,
        });
    }
    return problems;
}
