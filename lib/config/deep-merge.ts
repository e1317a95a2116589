/**
 * How layers combine the value of one typed key, and which layer each part of the result comes from.
 *
 * The first layer that gives a key a value (base `data`, or an override when no lower layer has the
 * key) sets it as a whole. Every later layer's value is a patch on it, in the manner of JSON Merge
 * Patch (RFC 7386):
 *
 * - a plain object merges into an inherited plain object field by field, recursively;
 * - `null` as a field of such a patch deletes that field;
 * - anything else (a string, number, boolean, an array, or an object over a non-object) replaces the
 *   inherited value. Arrays are never merged element by element: an override that sets an array sets
 *   all of it.
 *
 * To replace a whole object value instead of merging into it, remove the key and set it in the same
 * patch (`remove` applies first).
 */
import { isPlainObject } from "./render-value";

/** One layer's value for a key, with where that layer is. */
export interface LayerValue<O> {
    /** The value the layer gives, as written. */
    readonly value: unknown;
    /** Where it was written (the layer and the argument path). */
    readonly origin: O;
}

/** A part of an object value that a later layer set or deleted. */
export interface FieldOrigin<O> {
    /** The path inside the value, e.g. `["db", "host"]`. */
    readonly path: readonly string[];
    /** The layer that set it. */
    readonly origin: O;
    /** True when that layer deleted the field (a `null` in its patch). */
    readonly deleted?: boolean;
}

/** The merged value of one key. */
export interface MergedValue<O> {
    /** The effective value. */
    readonly value: unknown;
    /** The layer that set the value as a whole. */
    readonly origin: O;
    /** The parts later layers set or deleted inside it, in path order; empty for a value set as a whole. */
    readonly fields: readonly FieldOrigin<O>[];
}

/**
 * Merges the values layers give one key, lowest precedence first. Pure: the inputs are not modified.
 * Needs at least one layer.
 */
export function mergeLayers<O>(layers: readonly LayerValue<O>[]): MergedValue<O> {
    let value = layers[0].value;
    let origin = layers[0].origin;
    // Keyed by the JSON of the path, so that a later layer can drop what it overwrites.
    let fields = new Map<string, FieldOrigin<O>>();
    for (const layer of layers.slice(1)) {
        if (isPlainObject(layer.value) && isPlainObject(value)) {
            value = mergeObject(value, layer.value, [], layer.origin, fields);
        } else {
            value = withoutNulls(layer.value);
            origin = layer.origin;
            fields = new Map();
        }
    }
    const sorted = [...fields.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, f]) => f);
    return { value, origin, fields: sorted };
}

function mergeObject<O>(
    target: Record<string, unknown>,
    patch: Record<string, unknown>,
    path: readonly string[],
    origin: O,
    fields: Map<string, FieldOrigin<O>>,
): Record<string, unknown> {
    const result: Record<string, unknown> = { ...target };
    for (const [key, item] of Object.entries(patch)) {
        if (item === undefined) continue;
        const at = [...path, key];
        if (item === null) {
            delete result[key];
            setOrigin(fields, { path: at, origin, deleted: true });
        } else if (isPlainObject(item) && isPlainObject(result[key])) {
            result[key] = mergeObject(result[key] as Record<string, unknown>, item, at, origin, fields);
        } else {
            result[key] = withoutNulls(item);
            setOrigin(fields, { path: at, origin });
        }
    }
    return result;
}

/** Records that `field` set everything at and under its path, forgetting what lower layers set there. */
function setOrigin<O>(fields: Map<string, FieldOrigin<O>>, field: FieldOrigin<O>) {
    for (const [key, existing] of fields) {
        if (isPrefix(field.path, existing.path)) fields.delete(key);
    }
    fields.set(JSON.stringify(field.path), field);
}

function isPrefix(prefix: readonly string[], path: readonly string[]): boolean {
    return prefix.length <= path.length && prefix.every((segment, i) => segment === path[i]);
}

/** A patch applied where there is nothing to merge into is applied to an empty object: its nulls go (RFC 7386). */
function withoutNulls(value: unknown): unknown {
    if (!isPlainObject(value)) return value;
    return Object.fromEntries(
        Object.entries(value)
            .filter(([, item]) => item !== null && item !== undefined)
            .map(([key, item]) => [key, withoutNulls(item)]),
    );
}

/**
 * The layer responsible for the part of a merged value at `path` (e.g. where a schema found a bad
 * value): the deepest recorded field at or above it, else the layer that set the whole value.
 */
export function originAt<O>(merged: MergedValue<O>, path: readonly (string | number)[]): { origin: O; path: readonly string[] } {
    const wanted = path.map(String);
    let best: FieldOrigin<O> | undefined;
    for (const field of merged.fields) {
        if (isPrefix(field.path, wanted) && (best === undefined || field.path.length > best.path.length)) best = field;
    }
    return best ? { origin: best.origin, path: best.path } : { origin: merged.origin, path: [] };
}
