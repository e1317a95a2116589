/**
 * The per-cluster schema check of a typed FleetConfigMap: each cluster's effective `data`, after every
 * layer, is parsed with the schema (required keys, enums, ranges, formats, refinements), and every
 * failure becomes a problem that names the cluster, the key (and the path inside an object value), the
 * offending value and the layer that set it, or removed it.
 */
import { z } from "zod";
import { MergedValue, originAt } from "./deep-merge";
import { fieldPath, Problem } from "../errors/problems";
import { innerPath, Origin } from "./provenance";
import { valueProblems } from "./render-value";
import { ConfigSchema } from "./typed-config";

/** The longest offending value a message quotes, in characters of its JSON. */
const MAX_QUOTED = 80;

/**
 * Everything wrong with one cluster's typed `data`. `merged` holds each key's value over the layers;
 * `removed` the keys layers removed, with the removal's origin.
 */
export function schemaProblems(
    cluster: string,
    schema: ConfigSchema,
    merged: Readonly<Record<string, MergedValue<Origin>>>,
    removed: Readonly<Record<string, Origin>>,
): Problem[] {
    const problems: Problem[] = [];
    const at = (key: string, path: readonly (string | number)[]) => {
        const { origin, path: setPath } = originAt(merged[key], path);
        return { field: fieldPath([...origin.path, ...setPath, ...path.slice(setPath.length)]), layer: origin.layer };
    };

    for (const [key, m] of Object.entries(merged)) {
        for (const p of valueProblems(m.value)) {
            const { field, layer } = at(key, p.path);
            problems.push({ field, cluster, message: `${where(key, p.path)} ${p.message} (set by ${layer})` });
        }
    }
    if (problems.length > 0) return problems;

    // A key the schema does not know would otherwise be dropped or let through silently, depending on
    // the schema's mode; only a schema that says so (`z.looseObject`, `.catchall(...)`) accepts extra keys.
    const def = schema._zod.def as { shape: Record<string, unknown>; catchall?: { _zod: { def: { type: string } } } };
    const acceptsExtra = def.catchall !== undefined && def.catchall._zod.def.type !== "never";
    if (!acceptsExtra) {
        const known = Object.keys(def.shape);
        for (const key of Object.keys(merged).filter((k) => !Object.prototype.hasOwnProperty.call(def.shape, k))) {
            const { field, layer } = at(key, []);
            problems.push({ field, cluster, message: `key ${JSON.stringify(key)} is not in the schema (set by ${layer}); its keys are ${known.map((k) => JSON.stringify(k)).join(", ")}` });
        }
    }

    const values = Object.fromEntries(Object.entries(merged).map(([key, m]) => [key, m.value]));
    const result = schema.safeParse(values);
    if (result.success) return problems;
    for (const issue of result.error.issues) {
        if (issue.code === "unrecognized_keys") continue;
        problems.push(issueProblem(cluster, issue, merged, removed, at));
    }
    return problems;
}

function issueProblem(
    cluster: string,
    issue: z.core.$ZodIssue,
    merged: Readonly<Record<string, MergedValue<Origin>>>,
    removed: Readonly<Record<string, Origin>>,
    at: (key: string, path: readonly (string | number)[]) => { field: string; layer: string },
): Problem {
    const path = issue.path.map((segment) => (typeof segment === "number" ? segment : String(segment)));
    if (path.length === 0) {
        // A refinement of the whole config, with no path of its own: no single layer is to blame.
        return { field: "data", cluster, message: `the effective config: ${issue.message}` };
    }
    const key = String(path[0]);
    const inner = path.slice(1);
    if (!Object.prototype.hasOwnProperty.call(merged, key)) {
        const removal = removed[key];
        if (removal) {
            return { field: fieldPath(removal.path), cluster, message: `key ${JSON.stringify(key)} is missing (removed by ${removal.layer}): ${issue.message}` };
        }
        return { field: fieldPath(["data", key]), cluster, message: `key ${JSON.stringify(key)} is missing (no layer sets it for this cluster): ${issue.message}` };
    }
    const { field, layer } = at(key, inner);
    const found = valueAt(merged[key].value, inner);
    const value = found.present ? `Invalid value: ${quoted(found.value)}` : "missing";
    return { field, cluster, message: `${where(key, inner)} ${value} (set by ${layer}): ${issue.message}` };
}

/** `key "PORT":` or `key "config.json", field db.port:`. */
function where(key: string, path: readonly (string | number)[]): string {
    return path.length === 0 ? `key ${JSON.stringify(key)}:` : `key ${JSON.stringify(key)}, field ${innerPath(path)}:`;
}

function valueAt(value: unknown, path: readonly (string | number)[]): { present: boolean; value?: unknown } {
    let current = value;
    for (const segment of path) {
        if (typeof current !== "object" || current === null || !Object.prototype.hasOwnProperty.call(current, segment)) return { present: false };
        current = (current as Record<string | number, unknown>)[segment];
    }
    return { present: current !== undefined, value: current };
}

/** The offending value as JSON, shortened when long. Values are never secret here: secrets are refused before any check. */
function quoted(value: unknown): string {
    const text = JSON.stringify(value) ?? String(value);
    return text.length > MAX_QUOTED ? `${text.slice(0, MAX_QUOTED)}…` : text;
}
