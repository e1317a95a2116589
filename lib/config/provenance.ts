/**
 * Provenance: for each cluster, which layer set each key it has, and which layer removed each key it
 * does not have. The layers are the ones error messages name: base `data`/`binaryData`,
 * `overrides.regions.<region>`, then `overrides.clusters.<cluster>`.
 *
 * It holds no value, only key names, layers and argument paths: the values are already in the state,
 * in each cluster's ConfigMap, and a copy here would grow every stack's state (which the engine
 * rewrites after each step) by as much again. `fleet-rollout explain` reads the values from there.
 */
import { fieldPath } from "../errors/problems";
import { FieldOrigin, MergedValue } from "./deep-merge";

/** Which layer a key, field or removal comes from, as recorded in provenance. */
export interface LayerOrigin {
    /**
     * The layer: `base`, `overrides.regions.<region>` or `overrides.clusters.<cluster>`
     * (names as they are, unquoted), e.g. `overrides.regions.eu`.
     */
    readonly layer: string;
    /**
     * The argument that did it, written as error messages write it, e.g.
     * `overrides.clusters["eu-central-1"].data.LOG_LEVEL` or `overrides.regions.eu.remove[0]`.
     */
    readonly field: string;
}

/** A part of an object value (a typed key) that a higher layer set or deleted. */
export interface FieldProvenance extends LayerOrigin {
    /** True when the layer deleted this field (a `null` in its patch). @default false (absent) */
    readonly deleted?: boolean;
}

/** Where one key a cluster has comes from. */
export interface KeyProvenance extends LayerOrigin {
    /** The map the key is in. */
    readonly kind: "data" | "binaryData";
    /**
     * For an object value that overrides patched field by field: each field a layer above `layer` set or
     * deleted, by its path inside the value (`db.host`, `["a.b"].c`, `servers[0]` for paths written as
     * error messages write them). Absent when one layer set the whole value.
     * @default absent
     */
    readonly fields?: Readonly<Record<string, FieldProvenance>>;
}

/** One cluster's provenance. */
export interface ClusterProvenance {
    /** Every key the cluster's ConfigMap has, with the layer that set it. Keys sorted. */
    readonly keys: Readonly<Record<string, KeyProvenance>>;
    /**
     * Every key some layer removed that the cluster does not have, with the layer that removed it: the
     * last `remove` that took the key away (or, if no layer ever set it, the first that named it).
     * A key removed and then set again by a higher layer is in `keys`, not here.
     */
    readonly removed: Readonly<Record<string, LayerOrigin>>;
}

/**
 * A FleetConfigMap's provenance, by cluster name: plain JSON, kept in the stack's state as the
 * component's `provenance` output, so it can be read (e.g. from `stack.exportStack()`) without
 * running the program.
 */
export type FleetProvenance = Readonly<Record<string, ClusterProvenance>>;

/** Where a layer's value or removal was written: the layer and the argument path. */
export interface Origin {
    /** The layer, as in {@link LayerOrigin.layer}. */
    readonly layer: string;
    /** The argument path, e.g. `["overrides", "regions", "eu", "data", "API_URL"]`. */
    readonly path: readonly PropertyKey[];
}

/** One layer's patch, in the order layers apply. The base is a layer with only `data` and `binaryData`. */
export interface Layer<V> {
    /** The layer's name, as in {@link LayerOrigin.layer}. */
    readonly layer: string;
    /** The argument path of the layer, e.g. `["overrides", "regions", "eu"]`, empty for the base. */
    readonly path: readonly PropertyKey[];
    /** Entries set in `data`. */
    readonly data?: Readonly<Record<string, V>>;
    /** Entries set in `binaryData`. */
    readonly binaryData?: Readonly<Record<string, V>>;
    /** Keys removed from both maps before this layer sets its entries. */
    readonly remove?: readonly string[];
}

/** A value a layer gave a key. */
export interface LayerSet<V> {
    /** The value. */
    readonly value: V;
    /** Where it was written. */
    readonly origin: Origin;
}

/**
 * The layers' effect on one cluster, before values are combined: for each key it has, every value
 * given to it since it was last removed (lowest layer first), and the keys it does not have because a
 * layer removed them.
 */
export interface Layering<V> {
    /** `data` keys, sorted, each with its values, lowest layer first. */
    readonly data: Readonly<Record<string, readonly LayerSet<V>[]>>;
    /** `binaryData` keys, sorted, each with its values, lowest layer first. */
    readonly binaryData: Readonly<Record<string, readonly LayerSet<V>[]>>;
    /** Keys the cluster lacks because of a `remove`, with the removal's origin. */
    readonly removed: Readonly<Record<string, Removal>>;
    /** The argument path of every layer applied, lowest first (the base's is empty): the layers a cluster's keys can come from. */
    readonly layers: readonly (readonly PropertyKey[])[];
}

/** The `remove` that a cluster lacks a key by. */
export interface Removal extends Origin {
    /**
     * Whether some layer had set the key before this `remove` took it away. When none had, this is the
     * first `remove` that named it, and the key never existed in the cluster.
     */
    readonly existed: boolean;
}

/** Applies layers in order. Within a layer, `remove` applies first, then its entries. Pure. */
export function layerKeys<V>(layers: readonly Layer<V>[]): Layering<V> {
    const data = new Map<string, LayerSet<V>[]>();
    const binaryData = new Map<string, LayerSet<V>[]>();
    const removed = new Map<string, Removal>();
    for (const layer of layers) {
        (layer.remove ?? []).forEach((key, i) => {
            const present = data.has(key) || binaryData.has(key);
            data.delete(key);
            binaryData.delete(key);
            if (present || !removed.has(key)) removed.set(key, { layer: layer.layer, path: [...layer.path, "remove", i], existed: present });
        });
        const set = (kind: "data" | "binaryData", target: Map<string, LayerSet<V>[]>) => {
            for (const [key, value] of Object.entries(layer[kind] ?? {})) {
                const origin = { layer: layer.layer, path: [...layer.path, kind, key] };
                target.set(key, [...(target.get(key) ?? []), { value, origin }]);
                removed.delete(key);
            }
        };
        set("data", data);
        set("binaryData", binaryData);
    }
    return { data: sorted(data), binaryData: sorted(binaryData), removed: sorted(removed), layers: layers.map((layer) => layer.path) };
}

/**
 * One cluster's provenance, from its layering: the cluster has exactly the keys its layering leaves
 * (the content it gets is built from them). `merged` gives, for typed keys, the merge of their values
 * (so that fields set by higher layers are reported); a key without it was set as a whole by its last
 * value. No value is kept.
 */
export function clusterProvenance(layering: Layering<unknown>, merged: Readonly<Record<string, MergedValue<Origin>>> = {}): ClusterProvenance {
    const keys: Record<string, KeyProvenance> = {};
    const add = (kind: "data" | "binaryData") => {
        for (const [key, sets] of Object.entries(layering[kind])) {
            const m = kind === "data" ? merged[key] : undefined;
            const origin = m ? m.origin : sets[sets.length - 1].origin;
            const fields = m && m.fields.length > 0 ? fieldProvenance(m.fields) : undefined;
            keys[key] = { ...layerOrigin(origin), kind, ...(fields ? { fields } : {}) };
        }
    };
    add("data");
    add("binaryData");
    const removed = Object.fromEntries(Object.entries(layering.removed).map(([key, origin]) => [key, layerOrigin(origin)]));
    return { keys: sortedRecord(keys), removed };
}

/** An origin as provenance and error messages show it. */
export function layerOrigin(origin: Origin): LayerOrigin {
    return { layer: origin.layer, field: fieldPath(origin.path) };
}

function fieldProvenance(fields: readonly FieldOrigin<Origin>[]): Record<string, FieldProvenance> {
    return Object.fromEntries(
        fields.map((f) => [
            innerPath(f.path),
            { layer: f.origin.layer, field: fieldPath([...f.origin.path, ...f.path]), ...(f.deleted ? { deleted: true } : {}) },
        ]),
    );
}

/** A path inside a value, written as in error messages: `db.host`, `["a.b"].c`. */
export function innerPath(path: readonly PropertyKey[]): string {
    const written = fieldPath(["_", ...path]);
    return written.startsWith("_.") ? written.slice(2) : written.slice(1);
}

function sorted<V>(entries: Map<string, V>): Record<string, V> {
    return Object.fromEntries([...entries.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function sortedRecord<V>(record: Record<string, V>): Record<string, V> {
    return sorted(new Map(Object.entries(record)));
}
