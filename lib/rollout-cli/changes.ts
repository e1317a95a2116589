import type { StepEventMetadata } from "@pulumi/pulumi/automation";
import { PlannedCluster, PlannedStack } from "./plan";

/** A change to one ConfigMap in one cluster. */
export interface ConfigMapChange {
    /** `namespace/name` in the cluster. */
    readonly name: string;
    /** What the engine does: `create`, `update`, `replace` or `delete`. */
    readonly op: string;
    /** The keys whose value is added, changed or removed (known for updates). */
    readonly keys: readonly string[];
}

/** A change to another resource in one cluster. */
export interface ResourceChange {
    /** `kind/name` in the cluster (`deployment/web`), or the Pulumi type and name for other resources. */
    readonly name: string;
    /** What the engine does: `create`, `update`, `replace` or `delete`. */
    readonly op: string;
}

/** A cluster as the command's per-cluster tables name it. */
export interface StackCluster {
    /** The cluster. */
    readonly cluster: string;
    /** Its region. */
    readonly region: string;
    /** The stack that manages it. */
    readonly stack: string;
}

/** Everything one stack's preview or up changes in one cluster. */
export interface ClusterChanges extends StackCluster {
    /** ConfigMaps written. */
    readonly configMaps: readonly ConfigMapChange[];
    /** Deployments, StatefulSets and DaemonSets whose pod template changes, so whose pods restart. */
    readonly restarts: readonly ResourceChange[];
    /** Every other change (workloads created or deleted, namespaces, providers...). */
    readonly other: readonly ResourceChange[];
}

/** The type token of the ConfigMaps a FleetConfigMap writes. */
export const CONFIGMAP = "kubernetes:core/v1:ConfigMap";
/** The workload types whose pod template the package wires, with the kind the tables name them by. */
export const WORKLOADS: Readonly<Record<string, string>> = {
    "kubernetes:apps/v1:Deployment": "deployment",
    "kubernetes:apps/v1:StatefulSet": "statefulset",
    "kubernetes:apps/v1:DaemonSet": "daemonset",
};
/** The engine steps that change something. A replacement shows up as `replace` plus its two halves; only `replace` is counted. */
export const COUNTED: ReadonlySet<string> = new Set(["create", "update", "replace", "delete"]);

/** Whether a cluster has any change. */
export function changed(c: ClusterChanges): boolean {
    return c.configMaps.length + c.restarts.length + c.other.length > 0;
}

/**
 * Sorts one stack's engine steps by cluster. A resource belongs to the cluster whose name ends its
 * own (`app-config-eu-west-1`), as the Fleet's children are named; the longest match wins, so
 * `eu-west-1` and `west-1` can coexist. Every cluster of the stack gets an entry, unchanged or not.
 */
export function clusterChanges(stack: PlannedStack, steps: readonly StepEventMetadata[]): ClusterChanges[] {
    const byCluster = new Map(stack.clusters.map((c) => [c.name, { configMaps: [] as ConfigMapChange[], restarts: [] as ResourceChange[], other: [] as ResourceChange[] }]));
    const seen = new Set<string>();
    for (const step of steps) {
        if (!COUNTED.has(step.op) || seen.has(`${step.urn}\0${step.op}`)) continue;
        seen.add(`${step.urn}\0${step.op}`);
        const cluster = clusterOfUrn(step.urn, stack.clusters);
        if (!cluster) continue;
        const into = byCluster.get(cluster.name)!;
        const type = step.type ?? step.urn.split("::")[2]?.split("$").pop() ?? "";
        if (type === CONFIGMAP) into.configMaps.push({ name: objectName(step), op: step.op, keys: changedKeys(step) });
        else if (WORKLOADS[type] && (step.op === "update" || step.op === "replace") && templateChanged(step)) {
            into.restarts.push({ name: `${WORKLOADS[type]}/${objectName(step, false)}`, op: step.op });
        } else if (WORKLOADS[type]) into.other.push({ name: `${WORKLOADS[type]}/${objectName(step, false)}`, op: step.op });
        else into.other.push({ name: `${type.split(":").pop()}/${step.urn.split("::").pop()}`, op: step.op });
    }
    return stack.clusters.map((c: PlannedCluster) => ({ cluster: c.name, region: c.region, stack: stack.name, ...byCluster.get(c.name)! }));
}

/** The cluster a resource belongs to, by the `-<cluster>` its name ends with; the longest match wins. */
export function clusterOfUrn(urn: string, clusters: readonly PlannedCluster[]): PlannedCluster | undefined {
    const name = urn.split("::").pop() ?? "";
    const matches = clusters.filter((c) => name === c.name || name.endsWith(`-${c.name}`));
    return matches.sort((a, b) => b.name.length - a.name.length)[0];
}

function inputs(step: StepEventMetadata): { old?: any; new?: any } {
    return { old: step.old?.inputs, new: step.new?.inputs };
}

function objectName(step: StepEventMetadata, withNamespace = true): string {
    const i = inputs(step);
    const meta = i.new?.metadata ?? i.old?.metadata ?? {};
    const name = typeof meta.name === "string" ? meta.name : step.urn.split("::").pop();
    return withNamespace && typeof meta.namespace === "string" ? `${meta.namespace}/${name}` : String(name);
}

/** The ConfigMap keys an update adds, changes or removes, across `data` and `binaryData`. */
function changedKeys(step: StepEventMetadata): string[] {
    const i = inputs(step);
    if (!i.old || !i.new) return [];
    const before = { ...(i.old.data ?? {}), ...(i.old.binaryData ?? {}) };
    const after = { ...(i.new.data ?? {}), ...(i.new.binaryData ?? {}) };
    return [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((k) => before[k] !== after[k]).sort();
}

/** Whether a workload's pod template changes: that is what makes its controller roll its pods. */
function templateChanged(step: StepEventMetadata): boolean {
    const i = inputs(step);
    if (i.old?.spec && i.new?.spec) return JSON.stringify(i.old.spec.template ?? null) !== JSON.stringify(i.new.spec.template ?? null);
    const detailed = Object.keys(step.detailedDiff ?? {});
    if (detailed.length > 0) return detailed.some((path) => path.startsWith("spec.template"));
    return (step.diffs ?? []).includes("spec");
}
