/**
 * What stops an adoption before anything is written: a ConfigMap that a FleetConfigMap could not take
 * over unchanged (immutable, over 1 MiB), a key that looks like a credential, a cluster that could not
 * be read (the definition would be derived without it, and the first `up` would rewrite its copy), or a
 * name that matches nothing anywhere. Each problem names the field, the cluster and the limit, and never
 * a value.
 */
import { boundedList, boundedQuotedList } from "../bounded-list";
import { fieldPath, Problem, quote } from "../problems";
import { secretLikeReason } from "../secret-like";
import { sizeProblems } from "../validation";
import { managerSummaries } from "./field-managers";
import { FleetObservation } from "./observed-config-map";

/** How an adoption may go. */
export interface AdoptionOptions {
    /**
     * Take keys owned by other field managers (kubectl, Helm) without refusing: the user has taken
     * the ConfigMap out of those tools' hands. @default false: such keys refuse the adoption
     */
    readonly takeOwnership?: boolean;
    /** {@link secretLikeKeys} of the same observation, when the caller has it already. @default computed */
    readonly secretLike?: readonly SecretLikeKey[];
}

/** Every reason the observed ConfigMap cannot be adopted; empty when it can. */
export function adoptionProblems(observation: FleetObservation, clusterCount: number, options: AdoptionOptions = {}): Problem[] {
    const secretLike = options.secretLike ?? secretLikeKeys(observation);
    const configMap = `${observation.namespace}/${observation.name}`;
    const problems: Problem[] = [];
    if (observation.found.length === 0 && observation.unreadable.length === 0) {
        problems.push({
            field: "configmap",
            message: `ConfigMap ${configMap} exists in none of the fleet's ${clusterCount} clusters; check the namespace and the name (\`kubectl get configmaps -n ${observation.namespace}\`)`,
        });
    }
    for (const u of observation.unreadable) {
        problems.push({
            field: "clusters",
            cluster: u.cluster,
            message: `could not be read (${u.reason}: ${u.message}); adoption needs every cluster's copy, or the first \`up\` would rewrite the one it did not see. Fix the access, or leave the cluster out of the fleet file`,
        });
    }
    for (const cm of observation.found) {
        if (cm.immutable) {
            problems.push({
                field: "immutable",
                cluster: cm.cluster,
                message: `ConfigMap ${configMap} is \`immutable: true\`, so no FleetConfigMap can take it over in place (its data can never change); recreate it without \`immutable\`, or adopt it under a new name with \`strategy: "immutable"\``,
            });
        }
        const entries = [
            ...Object.entries(cm.data).map(([key, value]) => ({ kind: "data" as const, key, value, field: fieldPath(["data", key]) })),
            ...Object.entries(cm.binaryData).map(([key, value]) => ({ kind: "binaryData" as const, key, value, field: fieldPath(["binaryData", key]) })),
        ];
        problems.push(...sizeProblems(cm.cluster, entries));
    }
    problems.push(...secretLikeProblems(secretLike));
    if (!options.takeOwnership) problems.push(...ownershipProblems(observation));
    return problems;
}

/** One problem per field manager other than Pulumi's that owns keys somewhere, naming it, its keys and its clusters. */
function ownershipProblems(observation: FleetObservation): Problem[] {
    return managerSummaries(observation.found).map((m) => ({
        field: m.fields[0],
        cluster: m.clusters[0],
        message:
            `is owned by field manager ${quote(m.manager)} (${m.operation}), which owns ${m.fields.length} key${m.fields.length === 1 ? "" : "s"} (${boundedList(m.fields.map((f) => `\`${f}\``))}) ` +
            `in ${m.clusters.length} cluster${m.clusters.length === 1 ? "" : "s"} (${boundedQuotedList(m.clusters)}). A FleetConfigMap forces its own values over other managers' ` +
            `(\`pulumi.com/patchForce\`), so its first change would take these keys from ${quote(m.manager)}, and a tool that keeps managing the ConfigMap (a Helm release) would put its values back. ` +
            "Stop managing the ConfigMap with that tool, then import again with --take-ownership",
    }));
}

/** A key that looks like a credential in some cluster. */
export interface SecretLikeKey {
    /** The key. */
    readonly key: string;
    /** Where it is, as messages name fields: `data.DB_PASSWORD`. */
    readonly field: string;
    /** Why it looks like one, without the value. */
    readonly reason: string;
    /** The clusters where it does, in fleet order. */
    readonly clusters: readonly string[];
}

/**
 * The keys that look like credentials in some cluster, sorted: the import refuses them and shows
 * their values nowhere. Each distinct value is looked at once, however many clusters hold it.
 */
export function secretLikeKeys(observation: FleetObservation, notSecret: readonly string[] = []): SecretLikeKey[] {
    const cleared = new Set(notSecret);
    const byKey = new Map<string, { key: string; field: string; reason: string; clusters: string[] }>();
    const seen = new Map<string, Map<string, string | undefined>>();
    for (const cm of observation.found) {
        const check = (kind: "data" | "binaryData", key: string, value: string) => {
            if (cleared.has(key)) return;
            let values = seen.get(key);
            if (values === undefined) seen.set(key, (values = new Map()));
            const memo = kind[0] + value;
            let reason = values.get(memo);
            if (!values.has(memo)) {
                reason = secretLikeReason(key, kind === "binaryData" ? Buffer.from(value, "base64").toString("latin1") : value);
                values.set(memo, reason);
            }
            if (reason === undefined) return;
            let entry = byKey.get(key);
            if (entry === undefined) byKey.set(key, (entry = { key, field: fieldPath([kind, key]), reason, clusters: [] }));
            entry.clusters.push(cm.cluster);
        };
        for (const [key, value] of Object.entries(cm.data)) check("data", key, value);
        for (const [key, value] of Object.entries(cm.binaryData)) check("binaryData", key, value);
    }
    return [...byKey.values()].sort((a, b) => (a.key < b.key ? -1 : 1));
}

/** One problem per key that looks like a credential, naming the clusters but never the value. */
function secretLikeProblems(keys: readonly SecretLikeKey[]): Problem[] {
    return keys.map((e) => ({
        field: e.field,
        cluster: e.clusters[0],
        message:
            `looks like a credential (${e.reason}) in ${e.clusters.length === 1 ? "this cluster" : `${e.clusters.length} clusters: ${boundedQuotedList(e.clusters)}`}. ` +
            "A ConfigMap is plain text and the adopted file is committed: move the key to a Secret (read with `secretKeyRef`), remove it from the ConfigMap, then import again; " +
            `if it holds no credential, import again with --not-secret ${e.key}`,
    }));
}
