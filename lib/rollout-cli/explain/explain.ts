/**
 * `explain`: where each value of one FleetConfigMap comes from, from the provenance its stacks'
 * states hold and the data of its ConfigMaps there. Pure: building the explanation, and rendering it
 * as text or JSON.
 */
import { ConfigMapContent } from "../../config/hash";
import { boundedList, boundedQuotedList } from "../../errors/bounded-list";
import { ClusterProvenance, FieldProvenance } from "../../config/provenance";
import { Problem } from "../../errors/problems";
import { PlannedCluster, PlanError } from "../plan/plan";
import { table } from "../review/render";

/** The widest a value is shown in text before it is shortened; `--json` always has the whole value. */
export const MAX_VALUE_WIDTH = 48;

/** A cluster of an explanation: where it is and which stack manages it. */
export interface ExplainedCluster extends PlannedCluster {
    /** The stack whose state the provenance was read from. */
    readonly stack: string;
}

/** What a cluster's stack state records of one FleetConfigMap: its provenance, and its ConfigMap's content. */
export interface DeployedCluster {
    /** Which layer set or removed each key. */
    readonly provenance: ClusterProvenance;
    /** The data and binaryData the program gave the cluster's ConfigMap: the values provenance does not hold. */
    readonly content: ConfigMapContent;
}

/** One key a cluster's ConfigMap has, with the layer that set it. */
export interface KeyExplanation {
    /** The key. */
    readonly key: string;
    /** Its value, whole (base64 for `binaryData`). */
    readonly value: string;
    /** `data` or `binaryData`. */
    readonly kind: "data" | "binaryData";
    /** The layer that set it: `base`, `overrides.regions.<r>` or `overrides.clusters.<c>`. */
    readonly layer: string;
    /** The argument that set it, as error messages write it, e.g. `overrides.regions.eu.data.API_URL`. */
    readonly field: string;
    /** For a typed object value: the fields that higher layers set or deleted, by path inside the value. @default absent */
    readonly fields?: Readonly<Record<string, FieldProvenance>>;
}

/** One key a cluster's ConfigMap lacks because a layer removed it. */
export interface RemovedKeyExplanation {
    /** The key. */
    readonly key: string;
    /** The layer whose `remove` took it away. */
    readonly layer: string;
    /** The `remove` entry, e.g. `overrides.clusters["eu-central-1"].remove[0]`. */
    readonly field: string;
}

/** `explain NAME --cluster C`: every key of one cluster with its layer, and the keys removed. */
export interface ClusterExplanation {
    /** The FleetConfigMap's name in the program. */
    readonly configMap: string;
    /** The cluster. */
    readonly cluster: ExplainedCluster;
    /** Every key, sorted. */
    readonly keys: readonly KeyExplanation[];
    /** Every removed key, sorted. */
    readonly removed: readonly RemovedKeyExplanation[];
}

/** One value (or absence) of a key, and the clusters that have it. */
export interface ValueGroup {
    /** The value; absent when these clusters do not have the key. @default absent */
    readonly value?: string;
    /** `data` or `binaryData`, when the key is present. @default absent */
    readonly kind?: "data" | "binaryData";
    /** The layer that set the value or removed the key; absent when no layer ever set it for these clusters. @default absent */
    readonly layer?: string;
    /** The argument that set or removed it. @default absent */
    readonly field?: string;
    /** True when a layer removed the key from these clusters. @default false (absent) */
    readonly removed?: boolean;
    /** For a typed object value: the fields higher layers set or deleted, as in {@link KeyExplanation.fields}. @default absent */
    readonly fields?: Readonly<Record<string, FieldProvenance>>;
    /** The clusters, in fleet order. */
    readonly clusters: readonly string[];
}

/** A key whose value is not the same in every cluster. */
export interface KeyAcrossClusters {
    /** The key. */
    readonly key: string;
    /** Each distinct value (or absence), with its layer and clusters; in order of the first cluster that has it. */
    readonly values: readonly ValueGroup[];
}

/** `explain NAME` without `--cluster`: where each key's value differs between clusters. */
export interface FleetExplanation {
    /** The FleetConfigMap's name in the program. */
    readonly configMap: string;
    /** The clusters compared, in fleet order. */
    readonly clusters: readonly ExplainedCluster[];
    /** The keys that differ, sorted. */
    readonly differing: readonly KeyAcrossClusters[];
    /** The keys every cluster has with the same value (set by the same layer), sorted. */
    readonly same: readonly string[];
}

/** One cluster's explanation from its provenance and content. */
export function explainCluster(configMap: string, cluster: ExplainedCluster, deployed: DeployedCluster): ClusterExplanation {
    const { provenance, content } = deployed;
    const keys = Object.entries(provenance.keys)
        .map(([key, p]) => ({ key, value: content[p.kind][key], kind: p.kind, layer: p.layer, field: p.field, ...(p.fields ? { fields: p.fields } : {}) }))
        .sort((a, b) => compare(a.key, b.key));
    const removed = Object.entries(provenance.removed)
        .map(([key, p]) => ({ key, layer: p.layer, field: p.field }))
        .sort((a, b) => compare(a.key, b.key));
    return { configMap, cluster, keys, removed };
}

/** The keys whose value or layer differ between the clusters, grouped by value. */
export function explainFleet(configMap: string, clusters: readonly ExplainedCluster[], deployed: Readonly<Record<string, DeployedCluster>>): FleetExplanation {
    const allKeys = new Set<string>();
    for (const c of clusters) {
        const p = deployed[c.name].provenance;
        for (const key of [...Object.keys(p.keys), ...Object.keys(p.removed)]) allKeys.add(key);
    }
    const differing: KeyAcrossClusters[] = [];
    const same: string[] = [];
    for (const key of [...allKeys].sort(compare)) {
        const groups = new Map<string, { group: Omit<ValueGroup, "clusters">; clusters: string[] }>();
        for (const c of clusters) {
            const { provenance: p, content } = deployed[c.name];
            const has = p.keys[key];
            const gone = p.removed[key];
            const group: Omit<ValueGroup, "clusters"> = has
                ? { value: content[has.kind][key], kind: has.kind, layer: has.layer, field: has.field, ...(has.fields ? { fields: has.fields } : {}) }
                : gone
                  ? { removed: true, layer: gone.layer, field: gone.field }
                  : {};
            const id = JSON.stringify([group.value, group.kind, group.removed, group.layer, group.field, group.fields]);
            const entry = groups.get(id) ?? { group, clusters: [] };
            entry.clusters.push(c.name);
            groups.set(id, entry);
        }
        const values = [...groups.values()].map(({ group, clusters: names }) => ({ ...group, clusters: names }));
        // Same value from the same layer everywhere: nothing to explain about this key across clusters.
        if (values.length === 1 && values[0].value !== undefined) same.push(key);
        else differing.push({ key, values });
    }
    return { configMap, clusters, differing, same };
}

/**
 * The clusters to explain and a problem for each one that cannot be: a cluster the definition does not
 * have, or one that no stack of the plan manages. Pure; nothing has run.
 */
export function clusterProblems(cluster: string, definitionClusters: readonly PlannedCluster[], planned: readonly { name: string; clusters: readonly PlannedCluster[] }[]): Problem[] {
    if (!definitionClusters.some((c) => c.name === cluster)) {
        return [{ field: "--cluster", cluster, message: `the fleet has no cluster "${cluster}"; its clusters are ${boundedQuotedList(definitionClusters.map((c) => c.name))}` }];
    }
    if (!planned.some((s) => s.clusters.some((c) => c.name === cluster))) {
        return [{ field: "--cluster", cluster, message: `is not managed by the stacks selected with --stack (${boundedQuotedList(planned.map((s) => s.name))})` }];
    }
    return [];
}

/**
 * The provenance and content of every asked cluster, from the FleetConfigMap entries of the stacks that
 * manage them; throws a {@link PlanError} naming any cluster whose stack state lacks them (a cluster
 * added to the definition but not yet rolled out, or a state written before provenance existed) or
 * whose ConfigMap lacks a key its provenance lists (a state left by an interrupted update).
 */
export function deployedClusters(
    configMap: string,
    clusters: readonly ExplainedCluster[],
    entries: readonly { stack: string; provenance: Readonly<Record<string, ClusterProvenance>>; contents: Readonly<Record<string, ConfigMapContent>> }[],
): Record<string, DeployedCluster> {
    const result: Record<string, DeployedCluster> = {};
    const problems: Problem[] = [];
    const problem = (c: ExplainedCluster, message: string) => problems.push({ field: configMap, cluster: c.name, message });
    for (const c of clusters) {
        const entry = entries.find((e) => e.stack === c.stack);
        const provenance = entry?.provenance[c.name];
        const content = entry?.contents[c.name];
        if (!provenance || !content) {
            const lacks = provenance ? "no ConfigMap" : "no provenance";
            problem(c, `the state of stack "${c.stack}" has ${lacks} for this cluster: the FleetConfigMap is not deployed there yet (run \`fleet-rollout up\`)`);
            continue;
        }
        const missing = Object.entries(provenance.keys).filter(([key, p]) => typeof content[p.kind]?.[key] !== "string").map(([key]) => key);
        if (missing.length > 0) {
            problem(c, `the state of stack "${c.stack}" has provenance for key${missing.length === 1 ? "" : "s"} ${missing.map((k) => `"${k}"`).join(", ")} but its ConfigMap lacks ${missing.length === 1 ? "it" : "them"}: the last update did not finish (run \`fleet-rollout up\`)`);
            continue;
        }
        result[c.name] = { provenance, content };
    }
    if (problems.length > 0) throw new PlanError("there is nothing to explain", problems);
    return result;
}

/** `explain --cluster` as text: one table of keys, then one of removed keys. */
export function renderClusterExplanation(e: ClusterExplanation): string {
    const lines = [`${e.configMap} in cluster ${e.cluster.name} (region ${e.cluster.region}, stack ${e.cluster.stack}): ${e.keys.length} key${e.keys.length === 1 ? "" : "s"}`];
    const rows: string[][] = [];
    for (const k of e.keys) {
        rows.push([k.key, showValue(k.value, k.kind), k.layer, k.field]);
        for (const [path, f] of Object.entries(k.fields ?? {})) rows.push([`  ${path.startsWith("[") ? "" : "."}${path}`, f.deleted ? "(deleted)" : "", f.layer, f.field]);
    }
    lines.push(table(["KEY", "VALUE", "SET BY", "FIELD"], rows).trimEnd());
    if (e.removed.length > 0) {
        lines.push("", table(["REMOVED KEY", "REMOVED BY", "FIELD"], e.removed.map((r) => [r.key, r.layer, r.field])).trimEnd());
    } else lines.push("", "no key removed");
    return lines.join("\n") + "\n";
}

/** `explain` across clusters as text: each differing key, one row per distinct value. */
export function renderFleetExplanation(e: FleetExplanation): string {
    const stacks = [...new Set(e.clusters.map((c) => c.stack))];
    const lines = [`${e.configMap} across ${e.clusters.length} cluster${e.clusters.length === 1 ? "" : "s"} (stack${stacks.length === 1 ? "" : "s"} ${boundedList(stacks)})`];
    if (e.differing.length === 0) lines.push("every key has the same value in every cluster");
    else {
        const rows = e.differing.flatMap((k) =>
            k.values.map((v, i) => [i === 0 ? k.key : "", v.value !== undefined ? showValue(v.value, v.kind) : v.removed ? "(removed)" : "(not set)", setBy(v), listClusters(v.clusters)]),
        );
        lines.push(table(["KEY", "VALUE", "SET BY", "CLUSTERS"], rows).trimEnd());
    }
    if (e.same.length > 0) lines.push("", `same in every cluster: ${e.same.join(", ")}`);
    return lines.join("\n") + "\n";
}

/** The JSON of `explain --cluster`: the same fields as the text, with whole values. */
export function clusterExplanationJson(e: ClusterExplanation): object {
    return { command: "explain", ...e };
}

/** The JSON of `explain` across clusters. */
export function fleetExplanationJson(e: FleetExplanation): object {
    return { command: "explain", ...e };
}

/**
 * A value as one table cell: control characters escaped (`\n`), and a value wider than `max`
 * shortened with `…` and its length. `binaryData` shows only its size.
 */
export function showValue(value: string, kind: "data" | "binaryData" = "data", max = MAX_VALUE_WIDTH): string {
    if (kind === "binaryData") return `(binary, ${Buffer.from(value, "base64").length} bytes)`;
    // eslint-disable-next-line no-control-regex
    const escaped = value.replace(/[\u0000-\u001f\u007f]/g, (c) => ({ "\n": "\\n", "\t": "\\t", "\r": "\\r" })[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
    if (escaped.length <= max) return escaped;
    return `${escaped.slice(0, max - 1)}… (${value.length} chars)`;
}

/** The layer of a value, and of each field a higher layer set in it: `base; .currency: overrides.regions.eu`. */
function setBy(v: ValueGroup): string {
    const fields = Object.entries(v.fields ?? {}).map(([path, f]) => `${path.startsWith("[") ? "" : "."}${path}${f.deleted ? " deleted" : ""}: ${f.layer}`);
    return [v.layer ?? "-", ...fields].join("; ");
}

function listClusters(clusters: readonly string[]): string {
    return boundedList(clusters);
}

function compare(a: string, b: string): number {
    return a < b ? -1 : a > b ? 1 : 0;
}
