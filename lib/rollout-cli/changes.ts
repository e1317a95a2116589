import type { StepEventMetadata } from "@pulumi/pulumi/automation";
import { clusterOfStep, ClusterProviders } from "./attribution";
import { PlannedCluster, PlannedStack } from "./plan";

/**
 * One ConfigMap key whose value is added, changed or removed. ConfigMaps hold only non-sensitive data
 * (the package refuses secrets), so the values are shown; a value the engine masks stays masked.
 */
export interface KeyDiff {
    /** The key. */
    readonly key: string;
    /** True for a `binaryData` key (base64): shown by size and hash only. @default false (absent) */
    readonly binary?: boolean;
    /** The value before; absent when the key is added. */
    readonly before?: string;
    /** The value after; absent when the key is removed. */
    readonly after?: string;
}

/** A change to one ConfigMap in one cluster. */
export interface ConfigMapChange {
    /** `namespace/name` in the cluster. */
    readonly name: string;
    /** What the engine does: `create`, `update`, `replace` or `delete`. */
    readonly op: string;
    /** The keys whose value is added, changed or removed, sorted. */
    readonly keys: readonly string[];
    /** Each of those keys with its value before and after. */
    readonly values: readonly KeyDiff[];
}

/** A change to another resource in one cluster, or outside the fleet. */
export interface ResourceChange {
    /** `kind/name` of a Kubernetes object (`deployment/web`), otherwise the Pulumi type's name and the resource's name. */
    readonly name: string;
    /** What the engine does: `create`, `update`, `replace`, `delete` or `import`. */
    readonly op: string;
    /** The property paths that change, for an update or replace: never their values, which may be secret. */
    readonly fields: readonly string[];
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
    /** Every other change on the cluster's provider (workloads created or deleted, namespaces, the provider itself...). */
    readonly other: readonly ResourceChange[];
}

/** One stack's changes: per cluster, and those on no fleet provider. */
export interface StackChanges {
    /** Every cluster of the stack, changed or not, in plan order; then any cluster the plan does not give the stack. */
    readonly clusters: readonly ClusterChanges[];
    /** Steps of resources on no fleet provider: the stack itself, components, other providers' resources. */
    readonly outside: readonly ResourceChange[];
}

/** The type token of ConfigMaps. */
export const CONFIGMAP = "kubernetes:core/v1:ConfigMap";
/** The workload types whose pod template the package wires, with the kind the tables name them by. */
export const WORKLOADS: Readonly<Record<string, string>> = {
    "kubernetes:apps/v1:Deployment": "deployment",
    "kubernetes:apps/v1:StatefulSet": "statefulset",
    "kubernetes:apps/v1:DaemonSet": "daemonset",
};
/**
 * The patches that write an external consumer's hash annotation (FleetConfigMap `externalConsumers`),
 * with the kind the tables name the workload by. Any step of one (its create, update or delete)
 * changes that workload's pod template, so it is a restart, not another change.
 */
export const WORKLOAD_PATCHES: Readonly<Record<string, string>> = {
    "kubernetes:apps/v1:DeploymentPatch": "deployment",
    "kubernetes:apps/v1:StatefulSetPatch": "statefulset",
    "kubernetes:apps/v1:DaemonSetPatch": "daemonset",
};
/** The engine steps that change something. A replacement shows up as `replace` plus its two halves; only `replace` is counted. */
export const COUNTED: ReadonlySet<string> = new Set(["create", "update", "replace", "delete", "import"]);
/** What the engine shows for a value that is known only after the update. */
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Whether a cluster has any change. */
export function changed(c: ClusterChanges): boolean {
    return c.configMaps.length + c.restarts.length + c.other.length > 0;
}

/**
 * Sorts one stack's engine steps by cluster: each step goes to the cluster whose provider performs it
 * (see attribution.ts). A step on no fleet provider goes to `outside`; no step is dropped. Every cluster
 * of the stack gets an entry, unchanged or not.
 *
 * @param regionOf The region of a cluster the plan does not give this stack (it still gets an entry).
 */
export function clusterChanges(stack: PlannedStack, steps: readonly StepEventMetadata[], providers: ClusterProviders, regionOf: (cluster: string) => string = () => ""): StackChanges {
    const empty = () => ({ configMaps: [] as ConfigMapChange[], restarts: [] as ResourceChange[], other: [] as ResourceChange[] });
    const byCluster = new Map(stack.clusters.map((c) => [c.name, empty()]));
    const outside: ResourceChange[] = [];
    for (const step of countedSteps(steps)) {
        const cluster = clusterOfStep(step, providers);
        if (cluster === undefined) {
            outside.push({ name: pulumiName(step), op: step.op, fields: fieldsOf(step) });
            continue;
        }
        if (!byCluster.has(cluster)) byCluster.set(cluster, empty());
        const into = byCluster.get(cluster)!;
        const type = step.type;
        if (type === CONFIGMAP) {
            const values = keyDiffs(step);
            into.configMaps.push({ name: objectName(step), op: step.op, keys: values.map((v) => v.key), values });
        } else if (providers.has(step.urn)) into.other.push({ name: "provider/kubernetes", op: step.op, fields: fieldsOf(step) });
        else if (WORKLOADS[type] && (step.op === "update" || step.op === "replace") && templateChanged(step)) {
            into.restarts.push({ name: `${WORKLOADS[type]}/${objectName(step, false)}`, op: step.op, fields: fieldsOf(step) });
        } else if (WORKLOAD_PATCHES[type] && step.op !== "replace") {
            // The patch holds nothing but the hash annotation: its create (adoption's one restart), update and delete all roll the workload.
            into.restarts.push({ name: `${WORKLOAD_PATCHES[type]}/${objectName(step, false)}`, op: step.op, fields: step.op === "update" ? fieldsOf(step) : ["spec.template.metadata.annotations"] });
        } else into.other.push({ name: resourceName(step), op: step.op, fields: fieldsOf(step) });
    }
    // Steps run in parallel and report in any order; sorted, two clusters with the same changes read,
    // and group, the same.
    for (const changes of byCluster.values()) for (const list of [changes.configMaps, changes.restarts, changes.other]) list.sort(byNameAndOp);
    const planned = new Set(stack.clusters.map((c) => c.name));
    const extra: PlannedCluster[] = [...byCluster.keys()].filter((c) => !planned.has(c)).map((name) => ({ name, region: regionOf(name) }));
    const clusters = [...stack.clusters, ...extra].map((c) => ({ cluster: c.name, region: c.region, stack: stack.name, ...byCluster.get(c.name)! }));
    return { clusters, outside };
}

function byNameAndOp(a: { name: string; op: string }, b: { name: string; op: string }): number {
    return a.name < b.name ? -1 : a.name > b.name ? 1 : a.op < b.op ? -1 : a.op > b.op ? 1 : 0;
}

/** The steps that change something, once each (an engine may report a step twice: before and after it runs). */
export function countedSteps(steps: readonly StepEventMetadata[]): StepEventMetadata[] {
    const seen = new Set<string>();
    return steps.filter((step) => {
        const key = `${step.urn}\0${step.op}`;
        if (!COUNTED.has(step.op) || seen.has(key)) return false;
        seen.add(key);
        return true;
    });
}

function inputs(step: StepEventMetadata): { old?: any; new?: any } {
    return { old: step.old?.inputs, new: step.new?.inputs };
}

/** A Kubernetes object's `namespace/name` (or `name`), from its inputs; the resource's name when it has none. */
export function objectName(step: StepEventMetadata, withNamespace = true): string {
    const i = inputs(step);
    const meta = i.new?.metadata ?? i.old?.metadata ?? step.new?.outputs?.metadata ?? step.old?.outputs?.metadata ?? {};
    const name = typeof meta.name === "string" ? meta.name : urnName(step.urn);
    return withNamespace && typeof meta.namespace === "string" ? `${meta.namespace}/${name}` : String(name);
}

/** `kind/name` for a Kubernetes object (`namespace/shop`, `deployment/web`). */
export function resourceName(step: StepEventMetadata): string {
    const kind = WORKLOADS[step.type] ?? step.type.split(":").pop()!.toLowerCase();
    return `${kind}/${objectName(step, false)}`;
}

/** `Stack/shop-us`: the type's name and the resource's name, for resources on no fleet provider. */
function pulumiName(step: StepEventMetadata): string {
    return `${step.type.split(":").pop()}/${urnName(step.urn)}`;
}

function urnName(urn: string): string {
    return urn.split("::").slice(3).join("::") || urn;
}

/** The property paths an update or replace changes; none for a create or delete. */
export function fieldsOf(step: StepEventMetadata): string[] {
    if (step.op !== "update" && step.op !== "replace") return [];
    const detailed = Object.keys(step.detailedDiff ?? {});
    return (detailed.length > 0 ? detailed : (step.diffs ?? [])).slice().sort();
}

/** Each ConfigMap key an operation adds, changes or removes, across `data` and `binaryData`, with its values. */
export function keyDiffs(step: StepEventMetadata): KeyDiff[] {
    const i = inputs(step);
    const before = entries(step.op === "create" ? undefined : i.old);
    const after = entries(step.op === "delete" ? undefined : i.new);
    const keys = [...new Set([...before.keys(), ...after.keys()])].sort();
    const diffs: KeyDiff[] = [];
    for (const key of keys) {
        const b = before.get(key);
        const a = after.get(key);
        if (b?.value === a?.value && b?.binary === a?.binary) continue;
        diffs.push({ key, ...((b ?? a)!.binary ? { binary: true } : {}), ...(b ? { before: b.value } : {}), ...(a ? { after: a.value } : {}) });
    }
    return diffs;
}

function entries(object: any): Map<string, { value: string; binary: boolean }> {
    const out = new Map<string, { value: string; binary: boolean }>();
    for (const [section, binary] of [["data", false], ["binaryData", true]] as const) {
        const map = object?.[section];
        if (!map || typeof map !== "object") continue;
        for (const [key, value] of Object.entries(map)) out.set(key, { value: value === UNKNOWN ? "(known after up)" : typeof value === "string" ? value : JSON.stringify(value), binary });
    }
    return out;
}

/** Whether a workload's pod template changes: that is what makes its controller roll its pods. */
function templateChanged(step: StepEventMetadata): boolean {
    const i = inputs(step);
    if (i.old?.spec && i.new?.spec) return JSON.stringify(i.old.spec.template ?? null) !== JSON.stringify(i.new.spec.template ?? null);
    const detailed = Object.keys(step.detailedDiff ?? {});
    if (detailed.length > 0) return detailed.some((path) => path.startsWith("spec.template"));
    return (step.diffs ?? []).includes("spec");
}
