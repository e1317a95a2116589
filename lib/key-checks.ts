/**
 * Per-cluster key checks: a workload that reads a key on its own (a non-optional `configMapKeyRef`, or
 * the `items` of a non-optional volume) cannot start in a cluster whose effective config lacks that key;
 * Kubernetes leaves its new pods in `CreateContainerConfigError`. Keys are known at preview even while
 * values are not, so this is told before anything changes.
 */
import { ConfigSource } from "./effective-config";
import { patchesFor } from "./overrides";
import { fieldPath, quote } from "./problems";
import { ClusterIdentity } from "./validation";
import { KeyRead } from "./workload-references";

/** A workload as messages name it. */
export interface WorkloadIdentity {
    /** Its kind, e.g. `Deployment`. */
    readonly kind: string;
    /** Its Pulumi resource name, e.g. `worker-eu-west-1`. */
    readonly name: string;
}

/** A key some workload requires that one cluster's effective config does not have. */
export interface MissingKey {
    /** The cluster. */
    readonly cluster: string;
    /** The key. */
    readonly key: string;
    /** Where the workload reads it. */
    readonly path: string;
    /** Why the cluster lacks it: the override that removed it, or that no layer ever set it. */
    readonly why: string;
}

/**
 * The required keys among `reads` that `cluster`'s effective config lacks, each with the reason. `has`
 * tells whether the effective config has a key.
 */
export function missingKeys(source: ConfigSource, cluster: ClusterIdentity, has: (key: string) => boolean, reads: readonly KeyRead[]): MissingKey[] {
    return reads
        .filter((read) => read.required && !has(read.key))
        .map((read) => ({ cluster: cluster.name, key: read.key, path: read.path, why: whyMissing(source, cluster, read.key) }));
}

/**
 * Why `cluster`'s effective config lacks `key`: the last layer that removed it (`overrides.clusters["x"].remove[0]
 * removes it`), or that no layer sets it for this cluster.
 */
export function whyMissing(source: ConfigSource, cluster: ClusterIdentity, key: string): string {
    const hasKey = (record: Record<string, unknown> | undefined) => record !== undefined && Object.prototype.hasOwnProperty.call(record, key);
    let setBy: string | undefined = hasKey(source.data) ? fieldPath(["data", key]) : hasKey(source.binaryData) ? fieldPath(["binaryData", key]) : undefined;
    let removedBy: string | undefined;
    const layers = patchesFor(cluster, {
        regions: source.overrides?.regions && Object.fromEntries(Object.entries(source.overrides.regions).map(([r, p]) => [r, { patch: p, path: ["overrides", "regions", r] }])),
        clusters: source.overrides?.clusters && Object.fromEntries(Object.entries(source.overrides.clusters).map(([c, p]) => [c, { patch: p, path: ["overrides", "clusters", c] }])),
    });
    const checked = ["`data`", "`binaryData`", ...layers.map((l) => `\`${fieldPath(l.path)}\``)];
    for (const { patch, path } of layers) {
        const index = (patch.remove ?? []).indexOf(key);
        if (index >= 0 && setBy !== undefined) {
            removedBy = fieldPath([...path, "remove", index]);
            setBy = undefined;
        }
        if (hasKey(patch.data)) setBy = fieldPath([...path, "data", key]);
        else if (hasKey(patch.binaryData)) setBy = fieldPath([...path, "binaryData", key]);
    }
    if (setBy !== undefined) return `the key is set by \`${setBy}\``; // not missing; kept total for callers
    if (removedBy !== undefined) return `\`${removedBy}\` removes it`;
    return `no layer of this cluster sets it (checked ${checked.join(", ")}); the key ${quote(key)} never existed here`;
}

/**
 * One message for the missing keys of one reader: `subject` names it (`StatefulSet "db-eu-central-1"`,
 * or `podAnnotations("eu-central-1", { keys })`), and each line the cluster, the key, where it is read and
 * why it is missing.
 */
export function missingKeyMessage(subject: string, configMap: string, missing: readonly MissingKey[]): string {
    const lines = missing.map(
        (m) => `  - cluster ${quote(m.cluster)}: ${subject} reads key ${quote(m.key)} (\`${m.path}\`), which that cluster's effective config does not have: ${m.why}`,
    );
    return (
        `${subject} reads keys of ConfigMap ${configMap} that are missing, so its new pods would stay in ` +
        `CreateContainerConfigError:\n${lines.join("\n")}\n` +
        "Keep the key in that cluster's config, stop reading it there, or mark the reference `optional: true`."
    );
}

/** How messages name a workload: `StatefulSet "db-eu-central-1"`. */
export function workloadSubject(workload: WorkloadIdentity): string {
    return `${workload.kind} ${quote(workload.name)}`;
}
