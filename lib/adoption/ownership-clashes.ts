/**
 * Whether taking over an adopted ConfigMap would take keys from a field manager nobody agreed to give
 * them up. A FleetConfigMap applies with `pulumi.com/patchForce` (strategies/children.ts): once it
 * manages a ConfigMap, its values win over any other manager's, which is how drift is repaired. Before
 * its first apply, though, a key another manager owns (a Helm release, a `kubectl apply`) is that
 * tool's, and forcing over it silently would start a tug of war with that tool. So until Pulumi's own
 * manager has applied the object, every other manager that owns keys must be one the adopted file
 * names (`takeOwnershipFrom`, which `fleet-rollout import --take-ownership` writes). Pure.
 */
import { boundedList } from "../errors/bounded-list";
import { Problem, quote } from "../errors/problems";
import { foreignManagers, PULUMI_MANAGER } from "./field-managers";

/**
 * The clashes in one cluster's live ConfigMap, given its `metadata.managedFields`: one problem per
 * manager that owns keys and is not in `allowed`. None once a Pulumi manager has applied the object
 * (the adoption happened; from then on the FleetConfigMap forces its values, as for any drift).
 */
export function ownershipClashes(cluster: string, configMap: string, managedFields: unknown, allowed: ReadonlySet<string>): Problem[] {
    const entries = Array.isArray(managedFields) ? (managedFields as { manager?: string }[]) : [];
    if (entries.some((e) => typeof e?.manager === "string" && PULUMI_MANAGER.test(e.manager))) return [];
    return foreignManagers(managedFields)
        .filter((m) => !allowed.has(m.manager))
        .map((m) => ({
            field: m.fields[0],
            cluster,
            message:
                `of ConfigMap ${configMap} is owned by field manager ${quote(m.manager)} (${m.operation}), with ${m.fields.length} key${m.fields.length === 1 ? "" : "s"} ` +
                `(${boundedList(m.fields.map((f) => `\`${f}\``))}), which \`takeOwnershipFrom\` does not name. The first up would take ${m.fields.length === 1 ? "it" : "them"} from ${quote(m.manager)} ` +
                "(a FleetConfigMap forces its values, `pulumi.com/patchForce`), and a tool that keeps managing the ConfigMap would put its values back. " +
                `Stop managing it with that tool, then run \`fleet-rollout import --take-ownership --overwrite\` (which names ${quote(m.manager)} in \`takeOwnershipFrom\`)`,
        }));
}
