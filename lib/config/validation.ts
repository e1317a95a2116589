import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import {
    BASE64,
    CONFIGMAP_KEY,
    DNS1123_LABEL,
    DNS1123_SUBDOMAIN,
    entryBytes,
    FLEET_NAME,
    MAX_CONFIGMAP_BYTES,
    MAX_FLEET_NAME_LENGTH,
    MAX_KEY_LENGTH,
    MAX_LABEL_LENGTH,
    MAX_SUBDOMAIN_LENGTH,
    SPLIT_PART_BUDGET,
} from "./limits";
import { fleetSelectionSchema, FleetSelection, knownClusters, selectClusters, selectionProblems } from "../fleet/fleet-selection";
import { bytes, fieldPath, invalidValue, Problem, quote } from "../errors/problems";
import { ResolvedEntry } from "./resolved-entry";
import { StrategyChecks } from "./strategy-checks";
import { isConfigSchema } from "./typed-config";
import { externalConsumersSchema } from "../external-consumers/external-consumer";
import { adoptSchema } from "../adoption/adopt-existing";

// Shape checks are zod schemas; rules that span fields or clusters are plain functions below.

const inputString = z.custom<pulumi.Input<string>>(
    (v) => typeof v === "string" || pulumi.Output.isInstance(v) || v instanceof Promise,
    'must be a string or a pulumi.Input<string> (ConfigMap values are strings: write "8080", not 8080)',
);

const fleetName = (what: string) =>
    z
        .string(`a ${what} name must be a string`)
        .max(MAX_FLEET_NAME_LENGTH, `a ${what} name is at most ${MAX_FLEET_NAME_LENGTH} characters`)
        .regex(FLEET_NAME, `a ${what} name is letters, digits, '-', '_' and '.', starting and ending with a letter or digit`);

const fleetClusterSchema = z.strictObject({
    name: fleetName("cluster"),
    region: fleetName("region"),
    kubeconfig: inputString.optional(),
    context: z.string("must be a string").optional(),
    provider: z
        .custom<k8s.Provider>(
            (v) => k8s.Provider.isInstance(v),
            "must be a kubernetes provider (new k8s.Provider(...))",
        )
        .optional(),
    enableConfigMapMutable: z.boolean("must be a boolean").optional(),
    formerNames: z.array(fleetName("cluster"), "must be a list of cluster names").optional(),
});

const fleetArgsSchema = z.strictObject({
    clusters: z.array(fleetClusterSchema, "must be a list of clusters"),
    select: fleetSelectionSchema.optional(),
});

const stringRecord = z.record(z.string(), inputString, "must be an object of string keys to string values");

const patchSchema = z.strictObject({
    data: stringRecord.optional(),
    binaryData: stringRecord.optional(),
    remove: z.array(z.string("must be a key name"), "must be a list of key names").optional(),
});

// The strategies are the ones the caller hands in (check-stage.ts), so the schema is built per list of names.
const configMapArgsSchema = (strategies: readonly string[]) => z.strictObject({
    schema: z.custom(isConfigSchema, "must be a zod object schema (z.object({...}))").optional(),
    fleet: z.custom((v) => typeof v === "object" && v !== null, "must be a Fleet"),
    metadata: z
        .strictObject({
            name: z
                .string("must be a string")
                .max(MAX_SUBDOMAIN_LENGTH, `is at most ${MAX_SUBDOMAIN_LENGTH} characters (a DNS-1123 subdomain)`)
                .regex(DNS1123_SUBDOMAIN, "must be a DNS-1123 subdomain: lowercase letters, digits, '-' and '.', starting and ending with a letter or digit")
                .optional(),
            namespace: z
                .string("must be a string")
                .max(MAX_LABEL_LENGTH, `is at most ${MAX_LABEL_LENGTH} characters (a DNS-1123 label)`)
                .regex(DNS1123_LABEL, "must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit")
                .optional(),
            labels: stringRecord.optional(),
            annotations: stringRecord.optional(),
        })
        .optional(),
    data: stringRecord.optional(),
    binaryData: stringRecord.optional(),
    overrides: z
        .strictObject({
            regions: z.record(z.string(), patchSchema).optional(),
            clusters: z.record(z.string(), patchSchema).optional(),
        })
        .optional(),
    strategy: z.enum(strategies as [string, ...string[]], `must be one of ${strategies.map((s) => JSON.stringify(s)).join(", ")}`).optional(),
    externalConsumers: externalConsumersSchema.optional(),
    adopt: adoptSchema.optional(),
    takeOwnershipFrom: z.array(z.string("must be a field manager's name"), "must be a list of field managers' names").optional(),
});

// With a schema, `data` values may be of any type the schema allows: they are checked against it per
// cluster once layered (schema-check.ts), not here.
const typedPatchSchema = patchSchema.extend({ data: z.record(z.string(), z.unknown(), "must be an object of keys to values").optional() });
const typedConfigMapArgsSchema = (strategies: readonly string[]) => configMapArgsSchema(strategies).extend({
    data: z.record(z.string(), z.unknown(), "must be an object of keys to values").optional(),
    overrides: z
        .strictObject({
            regions: z.record(z.string(), typedPatchSchema).optional(),
            clusters: z.record(z.string(), typedPatchSchema).optional(),
        })
        .optional(),
});

/** The argument schemas (untyped, typed) for one list of strategies; a program hands in the same list every time. */
const argsSchemas = new Map<string, { readonly untyped: z.ZodType; readonly typed: z.ZodType }>();
function argsSchemasFor(strategies: readonly string[]): { readonly untyped: z.ZodType; readonly typed: z.ZodType } {
    const key = JSON.stringify(strategies);
    let schemas = argsSchemas.get(key);
    if (schemas === undefined) argsSchemas.set(key, (schemas = { untyped: configMapArgsSchema(strategies), typed: typedConfigMapArgsSchema(strategies) }));
    return schemas;
}

function shapeProblems(schema: z.ZodType, args: unknown, clusterOf?: (path: readonly PropertyKey[]) => string | undefined): Problem[] {
    const result = schema.safeParse(args, { reportInput: true });
    if (result.success) return [];
    return result.error.issues.map((issue) => {
        const path = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]] : issue.path;
        let message = issue.code === "unrecognized_keys" ? `is not a known field (${issue.keys.map((k) => `\`${k}\``).join(", ")})` : issue.message;
        if (issue.code !== "unrecognized_keys" && typeof issue.input === "string" && isNameField(path)) message = `${invalidValue(issue.input)}: ${message}`;
        return { field: fieldPath(path.length ? path : ["args"]), cluster: clusterOf?.(issue.path), message };
    });
}

/**
 * Whether the value at `path` is a name (of an object, namespace, cluster, region or context, or the
 * strategy), which a message may quote. Values of `data`, `binaryData`, labels, annotations and
 * kubeconfigs are never quoted: they may be sensitive.
 */
function isNameField(path: readonly PropertyKey[]): boolean {
    if (path.some((segment) => ["data", "binaryData", "labels", "annotations", "kubeconfig", "overrides"].includes(String(segment)))) return false;
    return ["name", "namespace", "region", "context", "strategy"].includes(String(path[path.length - 1]));
}

/** The clusters of a fleet as this module needs them. */
export interface ClusterIdentity {
    /** The cluster's name, unique in the fleet. */
    readonly name: string;
    /** The cluster's region. */
    readonly region: string;
}

/**
 * Everything wrong with a `Fleet`'s arguments: shape, names, duplicates, the selection, and provider
 * choice. Clusters outside the selection need no `kubeconfig` or `provider`: they are never reached.
 */
export function fleetArgsProblems(args: unknown): Problem[] {
    const clusters = (args as { clusters?: unknown })?.clusters;
    const nameAt = (i: PropertyKey) => {
        const name = Array.isArray(clusters) ? (clusters[i as number] as { name?: unknown })?.name : undefined;
        return typeof name === "string" ? name : undefined;
    };
    const problems = shapeProblems(fleetArgsSchema, args, (path) => (path[0] === "clusters" ? nameAt(path[1]) : undefined));
    if (!Array.isArray(clusters)) return problems;
    if (clusters.length === 0) {
        problems.push({ field: "clusters", message: "a fleet needs at least one cluster; the limit is 1 or more" });
    }
    const select = (args as { select?: FleetSelection }).select;
    let selected: Set<string> | undefined;
    if (problems.length === 0 && select !== undefined) {
        const identities = clusters as ClusterIdentity[];
        const wrong = selectionProblems(select, identities);
        problems.push(...wrong);
        if (wrong.length === 0) selected = new Set(selectClusters(identities, select).map((c) => c.name));
    }
    if (problems.length === 0) problems.push(...formerNameProblems(clusters as { name: string; formerNames?: string[] }[]));
    const seen = new Map<string, number>();
    clusters.forEach((cluster: Record<string, unknown>, i) => {
        if (typeof cluster !== "object" || cluster === null) return;
        const name = nameAt(i);
        if (name !== undefined) {
            const first = seen.get(name);
            if (first !== undefined) {
                problems.push({ field: `clusters[${i}].name`, cluster: name, message: `${invalidValue(name)}: duplicates clusters[${first}].name; cluster names must be unique` });
            } else seen.set(name, i);
        }
        const hasKubeconfig = cluster.kubeconfig !== undefined;
        const hasProvider = cluster.provider !== undefined;
        // Unselected clusters are never reached; with a wrong selection, which are selected is unknown.
        const reached = select === undefined || (selected !== undefined && selected.has(name!));
        if (hasKubeconfig === hasProvider && (reached || hasKubeconfig)) {
            problems.push({
                field: `clusters[${i}]`,
                cluster: name,
                message: hasProvider ? "sets both `kubeconfig` and `provider`; give exactly one" : "needs exactly one of `kubeconfig` or `provider`",
            });
        }
        if (hasProvider && cluster.context !== undefined) {
            problems.push({ field: `clusters[${i}].context`, cluster: name, message: "applies only with `kubeconfig`; set the context on your provider instead" });
        }
        if (hasKubeconfig && cluster.enableConfigMapMutable !== undefined) {
            problems.push({ field: `clusters[${i}].enableConfigMapMutable`, cluster: name, message: "applies only with `provider`; providers the Fleet creates always update ConfigMaps in place" });
        }
    });
    return problems;
}

/**
 * Former names that would make two clusters one: a former name that is a cluster's name now, or
 * that two clusters (or one, twice) claim. Checked for the `Fleet`'s clusters and for a fleet
 * definition's, with the same words.
 */
export function formerNameProblems(clusters: readonly { readonly name: string; readonly formerNames?: readonly string[] }[]): Problem[] {
    const problems: Problem[] = [];
    const current = new Map(clusters.map((c, i) => [c.name, i]));
    const claimed = new Map<string, string>();
    clusters.forEach((c, i) => {
        (c.formerNames ?? []).forEach((old, j) => {
            const field = `clusters[${i}].formerNames[${j}]`;
            const now = current.get(old);
            if (now !== undefined) problems.push({ field, cluster: c.name, message: `${invalidValue(old)} is the name of clusters[${now}] now; a former name must be no cluster's name` });
            else if (claimed.has(old)) problems.push({ field, cluster: c.name, message: `${invalidValue(old)} is already a former name of cluster "${claimed.get(old)}"; a former name is one cluster's` });
            else claimed.set(old, c.name);
        });
    });
    return problems;
}

/** Why a key is not a valid ConfigMap key, or undefined when it is. The key is quoted, as kubectl does. */
export function keyProblem(key: string): string | undefined {
    if (key.length > MAX_KEY_LENGTH) {
        return `${invalidValue(key.slice(0, 40))}… (${key.length} characters): a ConfigMap key is at most ${MAX_KEY_LENGTH} characters`;
    }
    if (!CONFIGMAP_KEY.test(key)) return `${invalidValue(key)}: a valid ConfigMap key consists of alphanumeric characters, '-', '_' or '.' ([-._a-zA-Z0-9]+)`;
    if (key === "." || key === "..") return `${invalidValue(key)}: a ConfigMap key may not be "." or ".."`;
    return undefined;
}

/**
 * Everything wrong with a `FleetConfigMap`'s arguments that can be told without the values: shape,
 * names, keys, and overrides that name a region or cluster the fleet does not have. `strategies` are
 * the strategies accepted, by name, each with its own checks; the chosen one's name rules apply here.
 */
export function configMapArgsProblems(args: unknown, clusters: readonly ClusterIdentity[], strategies: Readonly<Record<string, StrategyChecks>>): Problem[] {
    const typed = isConfigSchema((args as { schema?: unknown })?.schema);
    const schemas = argsSchemasFor(Object.keys(strategies));
    const problems = shapeProblems(typed ? schemas.typed : schemas.untyped, args, (path) =>
        path[0] === "overrides" && path[1] === "clusters" && typeof path[2] === "string" ? path[2] : undefined,
    );
    if (problems.length > 0) return problems;
    const a = args as {
        data?: Record<string, unknown>;
        binaryData?: Record<string, unknown>;
        overrides?: { regions?: Record<string, PatchKeys>; clusters?: Record<string, PatchKeys> };
    };
    const checkKeys = (path: string[], record: Record<string, unknown> | undefined, cluster?: string) => {
        for (const key of Object.keys(record ?? {})) {
            const why = keyProblem(key);
            if (why) problems.push({ field: fieldPath([...path, key]), cluster, message: why });
        }
    };
    const checkPatch = (path: string[], patch: PatchKeys, cluster?: string) => {
        checkKeys([...path, "data"], patch.data, cluster);
        checkKeys([...path, "binaryData"], patch.binaryData, cluster);
        (patch.remove ?? []).forEach((key, i) => {
            const why = keyProblem(key);
            if (why) problems.push({ field: fieldPath([...path, "remove", i]), cluster, message: why });
        });
    };
    checkKeys(["data"], a.data);
    checkKeys(["binaryData"], a.binaryData);
    for (const key of Object.keys(a.data ?? {})) {
        if (a.binaryData && Object.prototype.hasOwnProperty.call(a.binaryData, key)) {
            problems.push({ field: fieldPath(["binaryData", key]), message: `key ${quote(key)} is in both \`data\` and \`binaryData\`; a ConfigMap key may appear in only one` });
        }
    }
    // The names a strategy derives from `metadata.name` (a hash suffix, part numbers) are its own to check.
    const strategy = (args as { strategy?: string }).strategy ?? "in-place";
    const name = (args as { metadata?: { name?: string } }).metadata?.name;
    if (name !== undefined) problems.push(...(strategies[strategy].nameProblems?.(name) ?? []));
    const regions = [...new Set(clusters.map((c) => c.region))];
    const names = clusters.map((c) => c.name);
    for (const [region, patch] of Object.entries(a.overrides?.regions ?? {})) {
        if (!regions.includes(region)) {
            problems.push({ field: fieldPath(["overrides", "regions", region]), message: `the fleet has no region ${quote(region)}; its regions are ${quoteList(regions)}` });
        }
        checkPatch(["overrides", "regions", region], patch);
    }
    for (const [cluster, patch] of Object.entries(a.overrides?.clusters ?? {})) {
        if (!names.includes(cluster)) {
            problems.push({ field: fieldPath(["overrides", "clusters", cluster]), message: `the fleet has no cluster ${quote(cluster)}; ${knownClusters(clusters)}` });
        }
        checkPatch(["overrides", "clusters", cluster], patch, cluster);
    }
    return problems;
}

interface PatchKeys {
    readonly data?: Record<string, unknown>;
    readonly binaryData?: Record<string, unknown>;
    readonly remove?: string[];
}

// The split strategy counts its parts the same way; limits.ts is where both find it.
export { entryBytes };

/**
 * Checks one cluster's resolved ConfigMap: valid base64 in `binaryData`, and at most 1 MiB of values in
 * all, as the API server counts them.
 */
export function contentProblems(cluster: string, entries: readonly ResolvedEntry[]): Problem[] {
    const problems = valueProblems(cluster, entries);
    return problems.length > 0 ? problems : sizeProblems(cluster, entries);
}

/** Checks each resolved value on its own: a string, and valid base64 in `binaryData`. */
export function valueProblems(cluster: string, entries: readonly ResolvedEntry[]): Problem[] {
    const problems: Problem[] = [];
    for (const entry of entries) {
        if (typeof entry.value !== "string") {
            problems.push({ field: entry.field, cluster, message: `resolved to a ${typeof entry.value}, but ConfigMap values must be strings` });
        } else if (entry.kind === "binaryData" && !BASE64.test(entry.value)) {
            problems.push({ field: entry.field, cluster, message: "is not valid base64 (standard alphabet, padded); binaryData values are base64-encoded bytes" });
        }
    }
    return problems;
}

/**
 * Checks that one ConfigMap's values come to at most 1 MiB, as the API server counts them. The way out
 * for file-shaped data is the split strategy, which checks its parts instead (`strategies/split.ts`).
 */
export function sizeProblems(cluster: string, entries: readonly ResolvedEntry[]): Problem[] {
    const sizes = entries.map((e) => ({ field: e.field, size: entryBytes(e) }));
    const total = sizes.reduce((sum, e) => sum + e.size, 0);
    if (total <= MAX_CONFIGMAP_BYTES) return [];
    const largest = [...sizes].sort((a, b) => b.size - a.size).slice(0, 3);
    return [
        {
            field: largest[0].field,
            cluster,
            message:
                `the effective ConfigMap holds ${bytes(total)} bytes of values, over the limit of ${bytes(MAX_CONFIGMAP_BYTES)} bytes (1 MiB); ` +
                `largest: ${largest.map((e) => `\`${e.field}\` ${bytes(e.size)} bytes`).join(", ")}. ` +
                (largest[0].size > SPLIT_PART_BUDGET
                    ? `No ConfigMap holds a value that large (\`strategy: "split"\` spreads keys, not values): it belongs in object storage, fetched by the workload`
                    : 'For file-shaped data (many keys, each a file), `strategy: "split"` spreads it over several ConfigMaps mounted as one volume'),
        },
    ];
}

/** The problem for a value that is a Pulumi secret. */
export function secretProblem(field: string, cluster: string): Problem {
    return {
        field,
        cluster,
        message:
            "is a Pulumi secret. ConfigMaps are stored and shown in plain text, so secrets are refused: " +
            "put it in a k8s.core.v1.Secret and read it with `secretKeyRef` or `secretRef` instead",
    };
}

function quoteList(items: readonly string[]): string {
    return items.map(quote).join(", ");
}
