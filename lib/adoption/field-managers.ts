/**
 * Who else owns a ConfigMap's keys. Server-side apply records, per field, the manager that last set
 * it (`metadata.managedFields`). A FleetConfigMap applies its ConfigMaps with `pulumi.com/patchForce`
 * (strategies/children.ts), so after adoption its values win over any other manager's: a key that
 * `kubectl` or Helm owns is taken from them, and Helm puts its own value back at its next upgrade.
 * Adoption therefore names every such manager and field, and goes ahead only when told to.
 */
import { fieldPath } from "../problems";
import { FieldManager } from "./observed-config-map";

/** Managers that are Pulumi's own: the Kubernetes provider applies as `pulumi-kubernetes…`. */
const PULUMI_MANAGER = /^pulumi-kubernetes/;

/** One entry of `metadata.managedFields`, as far as it is read here. */
interface ManagedFieldsEntry {
    readonly manager?: string;
    readonly operation?: string;
    readonly fieldsType?: string;
    readonly fieldsV1?: Record<string, unknown>;
}

/** The managers other than Pulumi's that own `data` or `binaryData` keys, with those keys; sorted by manager. */
export function foreignManagers(managedFields: unknown): FieldManager[] {
    if (!Array.isArray(managedFields)) return [];
    const managers: FieldManager[] = [];
    for (const entry of managedFields as ManagedFieldsEntry[]) {
        const manager = entry?.manager ?? "(unnamed)";
        if (PULUMI_MANAGER.test(manager) || entry?.fieldsType !== "FieldsV1") continue;
        const fields: string[] = [];
        for (const map of ["data", "binaryData"] as const) {
            const owned = entry.fieldsV1?.[`f:${map}`];
            if (typeof owned !== "object" || owned === null) continue;
            for (const name of Object.keys(owned)) if (name.startsWith("f:")) fields.push(fieldPath([map, name.slice(2)]));
        }
        if (fields.length > 0) managers.push({ manager, operation: entry.operation ?? "Update", fields: fields.sort() });
    }
    return managers.sort((a, b) => (a.manager < b.manager ? -1 : a.manager > b.manager ? 1 : 0));
}

/** One foreign manager across the fleet: the clusters where it owns keys, and every key it owns in any of them. */
export interface ManagerSummary {
    /** The manager's name. */
    readonly manager: string;
    /** `Update` or `Apply` (the first seen). */
    readonly operation: string;
    /** The clusters where it owns keys, in fleet order. */
    readonly clusters: readonly string[];
    /** The keys it owns somewhere, as fields, sorted. */
    readonly fields: readonly string[];
}

/** Every foreign manager of the observed copies, by name. */
export function managerSummaries(found: readonly { readonly cluster: string; readonly managers?: readonly FieldManager[] }[]): ManagerSummary[] {
    const byName = new Map<string, { manager: string; operation: string; clusters: string[]; fields: Set<string> }>();
    for (const cm of found) {
        for (const m of cm.managers ?? []) {
            let summary = byName.get(m.manager);
            if (summary === undefined) byName.set(m.manager, (summary = { manager: m.manager, operation: m.operation, clusters: [], fields: new Set() }));
            if (summary.clusters[summary.clusters.length - 1] !== cm.cluster) summary.clusters.push(cm.cluster);
            for (const f of m.fields) summary.fields.add(f);
        }
    }
    return [...byName.values()].sort((a, b) => (a.manager < b.manager ? -1 : 1)).map((s) => ({ ...s, fields: [...s.fields].sort() }));
}
