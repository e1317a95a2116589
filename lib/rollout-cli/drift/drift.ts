/**
 * `drift`: which clusters differ from what their stacks last deployed, and in which ConfigMap keys and
 * workload hash annotations. Pure: from the engine's step events of one refreshed preview (the
 * refresh steps compare the state with the live cluster; the preview steps compare the program with
 * the refreshed state) to a per-cluster report, and its text and JSON.
 */
import type { StepEventMetadata } from "@pulumi/pulumi/automation";
import { HASH_ANNOTATION_PREFIX } from "../../restart-wiring/annotations";
import { clusterOfStep, clusterProviders } from "../review/attribution";
import { CONFIGMAP, COUNTED, StackCluster, WORKLOADS } from "../review/changes";
import { PlannedStack } from "../plan/plan";
import { boundedList, MAX_LISTED } from "../../errors/bounded-list";
import { table } from "../review/render";
import { groupHeading } from "../review/cluster-list";
import { FleetShape } from "../review/fleet-shape";
import { groupBy } from "../review/groups";
import { keyDiffLines } from "../review/value-diff";
import { StackResult } from "../run/run";

/** How a key or annotation differs in the cluster from what was deployed. */
export type DriftKind = "changed" | "added" | "removed";

/** One ConfigMap key changed, added or removed out of band. */
export interface KeyDrift {
    /** The key (of `data` or `binaryData`). */
    readonly key: string;
    /** `changed`: another value; `added`: a key the program does not set; `removed`: a key the program sets is gone. */
    readonly drift: DriftKind;
    /** The deployed value; absent when the key was added out of band. */
    readonly before?: string;
    /** The live value; absent when the key was removed out of band. */
    readonly after?: string;
    /** True for a `binaryData` key. @default false (absent) */
    readonly binary?: boolean;
}

/** A FleetConfigMap's ConfigMap in one cluster that differs from its deployed state. */
export interface ConfigMapDrift {
    /** `namespace/name` in the cluster. */
    readonly name: string;
    /** The keys that drifted, sorted; empty when the whole ConfigMap was deleted. */
    readonly keys: readonly KeyDrift[];
    /** True when the ConfigMap itself was deleted out of band. @default false (absent) */
    readonly deleted?: boolean;
}

/** A wired workload whose hash annotation on the pod template differs from its deployed state. */
export interface AnnotationDrift {
    /** `kind/name` of the workload, e.g. `deployment/web`. */
    readonly workload: string;
    /** The annotation key, `checksum.fleet-configmap.dev/<configmap>`. */
    readonly annotation: string;
    /** How it differs; `removed` also when the workload itself was deleted. */
    readonly drift: DriftKind;
}

/** Another change an `up` would make in the cluster (a pending program change, or drift of other fields). */
export interface OtherDifference {
    /** `kind/name` or `Type/resource-name`. */
    readonly name: string;
    /** What `up` would do: `create`, `update`, `replace` or `delete`. */
    readonly op: string;
}

/** Whether a cluster matches what its stack deployed and what its program says. */
export type DriftStatus = "in sync" | "drifted" | "differs";

/** One cluster's drift report. */
export interface ClusterDrift extends StackCluster {
    /**
     * `in sync`: nothing differs; `drifted`: a ConfigMap key or a hash annotation was changed out of
     * band; `differs`: no such drift, but an `up` would still change something (see `other`).
     */
    readonly status: DriftStatus;
    /** ConfigMaps of FleetConfigMaps edited out of band. */
    readonly configMaps: readonly ConfigMapDrift[];
    /** Wired workloads whose hash annotation was edited out of band. */
    readonly annotations: readonly AnnotationDrift[];
    /** Every other change the refreshed preview shows for this cluster. */
    readonly other: readonly OtherDifference[];
}

/** A stack's refreshed preview, as the engine reported it. */
export interface RefreshedPreview {
    /** The refresh steps' outcomes (`resOutputsEvent` with op `refresh`): `old` is the state, `new` the live object. */
    readonly refreshed: readonly StepEventMetadata[];
    /** The preview steps (`resourcePreEvent`): what an `up` after the refresh would do. */
    readonly planned: readonly StepEventMetadata[];
    /** The Fleets' steps and outputs: which provider is which cluster. */
    readonly fleets: readonly StepEventMetadata[];
}

/**
 * Each cluster's drift from one stack's refreshed preview. Out-of-band edits come from the refresh
 * steps, which compare the deployed state with the live object: for ConfigMaps that are children of a
 * FleetConfigMap, the keys in the step's `detailedDiff` and those whose value differs between the old
 * and new outputs (a key added out of band is only in the outputs); for workloads, their
 * `checksum.fleet-configmap.dev/*` pod-template annotations. Any other change the preview steps show is
 * listed in `other`.
 */
export function clusterDrift(stack: PlannedStack, preview: RefreshedPreview): ClusterDrift[] {
    const byCluster = new Map(stack.clusters.map((c) => [c.name, { configMaps: [] as ConfigMapDrift[], annotations: [] as AnnotationDrift[], other: [] as OtherDifference[] }]));
    const drifted = new Set<string>();
    const providers = clusterProviders(preview.fleets);
    const clusterOf = (step: StepEventMetadata) => {
        const cluster = clusterOfStep(step, providers);
        if (cluster !== undefined && !byCluster.has(cluster)) byCluster.set(cluster, { configMaps: [], annotations: [], other: [] });
        return cluster === undefined ? undefined : byCluster.get(cluster);
    };
    for (const step of preview.refreshed) {
        if (step.op !== "refresh") continue;
        const into = clusterOf(step);
        if (!into) continue;
        if (step.type === CONFIGMAP && isFleetConfigMapChild(step.urn)) {
            const found = configMapDrift(step);
            if (found) {
                into.configMaps.push(found);
                drifted.add(step.urn);
            }
        } else if (WORKLOADS[step.type]) {
            const found = annotationDrift(step);
            if (found.length > 0) {
                into.annotations.push(...found);
                drifted.add(step.urn);
            }
        }
    }
    const seen = new Set<string>();
    for (const step of preview.planned) {
        // A replacement shows up as `replace` plus its two halves; only `replace` is counted. Drifted
        // resources are already reported; their preview step is the repair.
        if (!COUNTED.has(step.op) || drifted.has(step.urn) || seen.has(step.urn)) continue;
        seen.add(step.urn);
        const into = clusterOf(step);
        if (!into) continue;
        const kind = WORKLOADS[step.type];
        const name = kind ? `${kind}/${objectName(step)}` : `${step.type.split(":").pop()}/${step.urn.split("::").pop()}`;
        into.other.push({ name, op: step.op });
    }
    return stack.clusters.map((c) => {
        const d = byCluster.get(c.name)!;
        const status: DriftStatus = d.configMaps.length + d.annotations.length > 0 ? "drifted" : d.other.length > 0 ? "differs" : "in sync";
        return { cluster: c.name, region: c.region, stack: stack.name, status, ...d };
    });
}

/** Whether a ConfigMap is one a FleetConfigMap owns: its URN's type chain has the component as parent. */
function isFleetConfigMapChild(urn: string): boolean {
    return (urn.split("::")[2] ?? "").includes("fleet:index:FleetConfigMap$");
}

function configMapDrift(step: StepEventMetadata): ConfigMapDrift | undefined {
    const before = mapsOf(step.old?.outputs);
    const name = objectName(step, true);
    if (!step.new?.outputs || Object.keys(step.new.outputs).length === 0) return { name, keys: [], deleted: true };
    const after = mapsOf(step.new.outputs);
    const keys = new Set([...Object.keys(before), ...Object.keys(after)].filter((k) => before[k] !== after[k]));
    for (const path of Object.keys(step.detailedDiff ?? {})) {
        const key = keyOfPath(path);
        if (key !== undefined) keys.add(key);
    }
    if (keys.size === 0) return undefined;
    const drift = (key: string): DriftKind => (!(key in before) ? "added" : !(key in after) ? "removed" : "changed");
    const binary = new Set([...Object.keys(step.old?.outputs?.binaryData ?? {}), ...Object.keys(step.new.outputs.binaryData ?? {})]);
    return {
        name,
        keys: [...keys].sort().map((key) => ({
            key,
            drift: drift(key),
            ...(key in before ? { before: before[key] } : {}),
            ...(key in after ? { after: after[key] } : {}),
            ...(binary.has(key) ? { binary: true } : {}),
        })),
    };
}

function annotationDrift(step: StepEventMetadata): AnnotationDrift[] {
    const before = hashAnnotations(step.old?.outputs);
    const after = step.new?.outputs ? hashAnnotations(step.new.outputs) : {};
    const workload = `${WORKLOADS[step.type]}/${objectName(step)}`;
    return [...new Set([...Object.keys(before), ...Object.keys(after)])]
        .filter((k) => before[k] !== after[k])
        .sort()
        .map((annotation) => ({ workload, annotation, drift: !(annotation in before) ? "added" : !(annotation in after) ? "removed" : "changed" }));
}

function hashAnnotations(outputs: any): Record<string, string> {
    const annotations: Record<string, string> = outputs?.spec?.template?.metadata?.annotations ?? {};
    return Object.fromEntries(Object.entries(annotations).filter(([k]) => k.startsWith(`${HASH_ANNOTATION_PREFIX}/`)));
}

function mapsOf(outputs: any): Record<string, string> {
    return { ...(outputs?.data ?? {}), ...(outputs?.binaryData ?? {}) };
}

/** The ConfigMap key a detailed-diff path is about: `data.KEY`, `data["a.b"]`, `binaryData.KEY`. */
export function keyOfPath(path: string): string | undefined {
    const m = /^(?:data|binaryData)(?:\.([^.[\]]+)|\[("(?:[^"\\]|\\.)*")\])/.exec(path);
    if (!m) return undefined;
    return m[1] ?? (JSON.parse(m[2]) as string);
}

function objectName(step: StepEventMetadata, withNamespace = false): string {
    const meta = (step.new?.outputs as any)?.metadata ?? (step.old?.outputs as any)?.metadata ?? (step.new?.inputs as any)?.metadata ?? (step.old?.inputs as any)?.metadata ?? {};
    const name = typeof meta.name === "string" ? meta.name : step.urn.split("::").pop()!;
    return withNamespace && typeof meta.namespace === "string" ? `${meta.namespace}/${name}` : name;
}

/** The outcome of `drift`: every cluster, and the stacks whose preview failed. */
export interface DriftResult {
    /** `in sync` when every cluster is; `drifted` when any differs; `failed` when a stack's preview failed; `interrupted` on Ctrl-C. */
    readonly status: "in sync" | "drifted" | "failed" | "interrupted";
    /** Every cluster of the stacks that previewed, in plan order. */
    readonly clusters: readonly ClusterDrift[];
    /** Stacks whose preview failed or did not run, with the engine's error. */
    readonly failed: readonly { readonly stack: string; readonly clusters: readonly string[]; readonly error: string }[];
}

/**
 * Combines each stack's result (from the shared run machinery) with its drift. A failed stack's clusters
 * are not reported as in sync: what its refresh found is still shown, and the stack is listed as failed.
 */
export function driftResult(stacks: readonly { stack: PlannedStack; result: StackResult; drift: readonly ClusterDrift[] }[], interrupted: boolean): DriftResult {
    const clusters: ClusterDrift[] = [];
    const failed: DriftResult["failed"][number][] = [];
    for (const s of stacks) {
        const ok = s.result.status === "changed" || s.result.status === "unchanged";
        if (!ok) failed.push({ stack: s.stack.name, clusters: s.stack.clusters.map((c) => c.name), error: s.result.error ?? `stack ${s.stack.name}: ${s.result.status}` });
        clusters.push(...(ok ? s.drift : s.drift.filter((c) => c.status !== "in sync")));
    }
    const status = interrupted ? "interrupted" : failed.length > 0 ? "failed" : clusters.some((c) => c.status !== "in sync") ? "drifted" : "in sync";
    return { status, clusters, failed };
}

/** `drift` as text: clusters with identical drift grouped (or, with `byCluster`, one row per cluster), then the failed stacks and a summary line. */
export function renderDrift(result: DriftResult, shape: Pick<FleetShape, "regions">, options: { byCluster?: boolean } = {}): string {
    const lines = options.byCluster ? [driftTable(result)] : driftGroupLines(result, shape);
    lines.push(...result.failed.slice(0, MAX_LISTED).map((f) => `error: ${f.error}`));
    if (result.failed.length > MAX_LISTED) lines.push(`error: and ${result.failed.length - MAX_LISTED} more stacks could not be checked (--json has every error)`);
    const off = result.clusters.filter((c) => c.status !== "in sync");
    const inSync = result.clusters.filter((c) => c.status === "in sync");
    const summary =
        off.length === 0
            ? `${inSync.length} cluster${inSync.length === 1 ? "" : "s"} in sync.`
            : `${off.length} cluster${off.length === 1 ? "" : "s"} drifted (${boundedList(off.map((c) => c.cluster))}); ${inSync.length} in sync. Repair: fleet-rollout up --refresh.`;
    lines.push(summary);
    if (result.failed.length > 0) lines.push(`${result.failed.length} stack${result.failed.length === 1 ? "" : "s"} could not be checked (${boundedList(result.failed.map((f) => f.stack))}).`);
    if (result.status === "interrupted") lines.push("interrupted: the stacks not shown were not checked.");
    return lines.join("\n") + "\n";
}

/** The body clusters are grouped by: their status and everything that differs, values included. */
type DriftBody = Pick<ClusterDrift, "status" | "configMaps" | "annotations" | "other">;

function driftGroupLines(result: DriftResult, shape: Pick<FleetShape, "regions">): string[] {
    const groups = groupBy(
        result.clusters,
        (c) => c.cluster,
        (c): DriftBody => ({ status: c.status, configMaps: c.configMaps, annotations: c.annotations, other: c.other }),
        (body) => ({ drifted: 0, differs: 1, "in sync": 2 })[body.status],
    );
    const failedStacks = result.failed.map((f) => ({ body: { status: "could not be checked" }, clusters: f.clusters }));
    const lines: string[] = [];
    for (const group of [...groups, ...failedStacks]) {
        lines.push(groupHeading(group.body.status, group.clusters, shape));
        if ("configMaps" in group.body) lines.push(...driftBodyLines(group.body).map((l) => `  ${l}`));
    }
    return lines;
}

/** What differs, live against deployed: each ConfigMap key with its values, each hash annotation, each other change. */
function driftBodyLines(body: DriftBody): string[] {
    const lines: string[] = [];
    for (const cm of body.configMaps) {
        if (cm.deleted) {
            lines.push(`- configmap ${cm.name} (deleted out of band)`);
            continue;
        }
        lines.push(`~ configmap ${cm.name} (deployed → live)`);
        for (const k of cm.keys) lines.push(...keyDiffLines(k).map((l) => `${l[0]}   ${l.slice(2)}`));
    }
    for (const a of body.annotations) lines.push(`~ ${a.workload} ${a.annotation} (${a.drift} out of band)`);
    for (const o of body.other) lines.push(`~ an up would ${o.op} ${o.name}`);
    return lines;
}

function driftTable(result: DriftResult): string {
    const rows = result.clusters.map((c) => [
        c.cluster,
        c.region,
        c.stack,
        c.status,
        [...c.configMaps.map(configMapCell), ...c.annotations.map((a) => `${a.workload} ${a.annotation} (${a.drift})`)].join("; "),
        c.other.map((o) => `${o.op} ${o.name}`).join(", "),
    ]);
    const failedRows = result.failed.map((f) => [boundedList(f.clusters), "", f.stack, "preview failed", "", ""]);
    return table(["CLUSTER", "REGION", "STACK", "STATUS", "DRIFT (OUT OF BAND)", "OTHER CHANGES AN UP WOULD MAKE"], [...rows, ...failedRows]).trimEnd();
}

/** The JSON of `drift`: the same fields as the text. */
export function driftJson(result: DriftResult): object {
    return { command: "drift", ...result };
}

function configMapCell(c: ConfigMapDrift): string {
    const name = c.name.split("/").pop();
    if (c.deleted) return `configmap/${name} deleted`;
    return `configmap/${name} ${c.keys.map((k) => `${k.key} (${k.drift})`).join(", ")}`;
}
