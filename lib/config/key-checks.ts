/**
 * Per-cluster key checks: a workload that reads a key on its own (a non-optional `configMapKeyRef`, or
 * the `items` of a non-optional volume) cannot start in a cluster whose effective config lacks that key;
 * Kubernetes leaves its new pods in `CreateContainerConfigError`. Keys are known at preview even while
 * values are not, so this is told before anything changes.
 */
import { ClusterPlan } from "./effective-config";
import { fieldPath, quote } from "../errors/problems";
import { Layering } from "./provenance";
import { KeyRead } from "../restart-wiring/workload-references";

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
 * The required keys among `reads` that the cluster's effective config lacks, each with the reason. `has`
 * tells whether the effective config has a key.
 */
export function missingKeys(plan: ClusterPlan, has: (key: string) => boolean, reads: readonly KeyRead[]): MissingKey[] {
    return reads
        .filter((read) => read.required && !has(read.key))
        .map((read) => ({ cluster: plan.name, key: read.key, path: read.path, why: whyMissing(plan.layering, read.key) }));
}

/**
 * Why a cluster's effective config lacks `key`, from the same layering its provenance records: the
 * `remove` that took it away (`overrides.clusters["x"].remove[0]` removes it), or that no layer of the
 * cluster ever set it.
 */
export function whyMissing(layering: Pick<Layering<unknown>, "removed" | "layers">, key: string): string {
    const removal = layering.removed[key];
    if (removal?.existed) return `\`${fieldPath(removal.path)}\` removes it`;
    const checked = ["`data`", "`binaryData`", ...layering.layers.filter((path) => path.length > 0).map((path) => `\`${fieldPath(path)}\``)];
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
