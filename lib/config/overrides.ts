import * as pulumi from "@pulumi/pulumi";
import { layerKeys } from "./provenance";

/**
 * Changes that one layer makes to the ConfigMap below it. Within a patch, `remove` applies first and
 * the new entries second, so `remove: ["X"]` with `data: { X: … }` moves a key from `binaryData` to `data`.
 *
 * @example
 * ```ts
 * { data: { LOG_LEVEL: "debug" }, remove: ["FEATURE_X"] }
 * ```
 */
export interface ConfigPatch {
    /** Entries to set in `data`, replacing any inherited value of the same key. */
    readonly data?: Record<string, pulumi.Input<string>>;
    /** Base64-encoded entries to set in `binaryData`, replacing any inherited value of the same key. */
    readonly binaryData?: Record<string, pulumi.Input<string>>;
    /** Keys to delete from both `data` and `binaryData`. Removing a key that is not there is allowed. */
    readonly remove?: string[];
}

/**
 * Per-region and per-cluster patches. Precedence is fixed: base `data` < `regions[region]` <
 * `clusters[name]`. Naming a region or cluster the fleet does not have is an error, so a typo is never
 * silently ignored.
 */
export interface ConfigOverrides {
    /** Patches keyed by region, applied to every cluster of that region. */
    readonly regions?: Record<string, ConfigPatch>;
    /** Patches keyed by cluster name, applied last. */
    readonly clusters?: Record<string, ConfigPatch>;
}

/** The keys and values of one ConfigMap, before or after overrides. `V` is a plain or an Input string. */
export interface ConfigLayout<V> {
    /** Entries of `data`. */
    readonly data: Readonly<Record<string, V>>;
    /** Entries of `binaryData` (base64). */
    readonly binaryData: Readonly<Record<string, V>>;
}

/** A patch in the shape {@link applyPatches} works on, whatever its value type. */
export interface LayoutPatch<V> {
    /** Entries to set in `data`. */
    readonly data?: Readonly<Record<string, V>>;
    /** Entries to set in `binaryData`. */
    readonly binaryData?: Readonly<Record<string, V>>;
    /** Keys to delete from both maps before setting. */
    readonly remove?: readonly string[];
}

/** The patches that apply to one cluster, lowest precedence first: its region's, then its own. */
export function patchesFor<P>(
    cluster: { readonly name: string; readonly region: string },
    overrides: { readonly regions?: Record<string, P>; readonly clusters?: Record<string, P> } | undefined,
): P[] {
    const layers: P[] = [];
    const region = overrides?.regions?.[cluster.region];
    const own = overrides?.clusters?.[cluster.name];
    if (region) layers.push(region);
    if (own) layers.push(own);
    return layers;
}

/**
 * Applies patches in order to a base layout and returns the effective layout. Pure: neither the base
 * nor the patches are modified, and values are carried through untouched (they may still be Outputs).
 * The same layering as provenance records ({@link layerKeys}), keeping each key's last value.
 */
export function applyPatches<V>(base: ConfigLayout<V>, patches: readonly LayoutPatch<V>[]): ConfigLayout<V> {
    const layering = layerKeys<V>([{ layer: "base", path: [], ...base }, ...patches.map((patch, i) => ({ layer: `patch ${i}`, path: [i], ...patch }))]);
    const last = (record: Readonly<Record<string, readonly { value: V }[]>>) =>
        Object.fromEntries(Object.entries(record).map(([key, sets]) => [key, sets[sets.length - 1].value]));
    return { data: last(layering.data), binaryData: last(layering.binaryData) };
}
