/**
 * What stops an adoption before anything is written: a ConfigMap that a FleetConfigMap could not take
 * over unchanged (immutable, over 1 MiB), a key that looks like a credential, a cluster that could not
 * be read (the definition would be derived without it, and the first `up` would rewrite its copy), or a
 * name that matches nothing anywhere. Each problem names the field, the cluster and the limit, and never
 * a value.
 */
import { boundedQuotedList } from "../bounded-list";
import { fieldPath, Problem } from "../problems";
import { secretLikeReason } from "../secret-like";
import { sizeProblems } from "../validation";
import { FleetObservation } from "./observed-config-map";

/** Every reason the observed ConfigMap cannot be adopted; empty when it can. */
export function adoptionProblems(observation: FleetObservation, clusterCount: number): Problem[] {
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
    problems.push(...secretLikeProblems(observation));
    return problems;
}

/** The keys that look like credentials in some cluster: their values are shown nowhere. */
export function secretLikeKeys(observation: FleetObservation): Set<string> {
    return new Set(secretLikeFindings(observation).keys());
}

/** One problem per key that looks like a credential in some cluster, naming the clusters but never the value. */
function secretLikeProblems(observation: FleetObservation): Problem[] {
    return [...secretLikeFindings(observation).entries()]
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([, e]) => ({
            field: e.field,
            cluster: e.clusters[0],
            message:
                `looks like a credential (${e.reason}) in ${e.clusters.length === 1 ? "this cluster" : `${e.clusters.length} clusters: ${boundedQuotedList(e.clusters)}`}. ` +
                "A ConfigMap is plain text and the adopted file is committed: move the key to a Secret (read with `secretKeyRef`), remove it from the ConfigMap, then import again",
        }));
}

function secretLikeFindings(observation: FleetObservation): Map<string, { field: string; reason: string; clusters: string[] }> {
    const byKey = new Map<string, { field: string; reason: string; clusters: string[] }>();
    for (const cm of observation.found) {
        const check = (kind: "data" | "binaryData", key: string, value: string) => {
            const text = kind === "binaryData" ? Buffer.from(value, "base64").toString("latin1") : value;
            const reason = secretLikeReason(key, text);
            if (reason === undefined) return;
            let entry = byKey.get(key);
            if (entry === undefined) byKey.set(key, (entry = { field: fieldPath([kind, key]), reason, clusters: [] }));
            entry.clusters.push(cm.cluster);
        };
        for (const [key, value] of Object.entries(cm.data)) check("data", key, value);
        for (const [key, value] of Object.entries(cm.binaryData)) check("binaryData", key, value);
    }
    return byKey;
}
