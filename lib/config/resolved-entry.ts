/**
 * A cluster's ConfigMap entry once its value is known: what the content and size checks (validation.ts)
 * and the split strategy's checks (strategies/split.ts) both read. A file of its own, so that neither
 * imports the other for it.
 */

/** One resolved entry of a cluster's effective ConfigMap, with the argument its value came from. */
export interface ResolvedEntry {
    /** Which map the entry is in. */
    readonly kind: "data" | "binaryData";
    /** The key. */
    readonly key: string;
    /** The resolved value (base64 for `binaryData`). */
    readonly value: string;
    /** The argument the value came from, e.g. `overrides.regions.eu.data.API_URL`. */
    readonly field: string;
}
