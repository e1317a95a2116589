import { createHash } from "crypto";

/**
 * The resolved content of one ConfigMap: exactly what the API server will store under `data` and
 * `binaryData`. Values are plain strings; `binaryData` values are base64, as in the Kubernetes API.
 */
export interface ConfigMapContent {
    /** UTF-8 entries, as in `ConfigMap.data`. */
    readonly data: Readonly<Record<string, string>>;
    /** Base64-encoded entries, as in `ConfigMap.binaryData`. */
    readonly binaryData: Readonly<Record<string, string>>;
}

/**
 * Serialises content with every object's keys sorted, so that two maps with the same entries give the
 * same bytes whatever order they were built in. Labels and annotations are deliberately not part of it:
 * relabelling a ConfigMap must not restart the pods that read it.
 */
export function canonicalContent(content: ConfigMapContent): string {
    return JSON.stringify({ binaryData: sortKeys(content.binaryData), data: sortKeys(content.data) });
}

/**
 * The SHA-256 (lowercase hex) of {@link canonicalContent}. Identical content gives an identical hash in
 * every cluster and on every run.
 */
export function contentHash(content: ConfigMapContent): string {
    return createHash("sha256").update(canonicalContent(content)).digest("hex");
}

function sortKeys(record: Readonly<Record<string, string>>): Record<string, string> {
    // fromEntries defines own properties, so a key such as `__proto__` stays data, not a prototype.
    return Object.fromEntries(Object.keys(record).sort().map((key) => [key, record[key]]));
}

/**
 * The part of `content` made of `keys` only, from whichever map holds each. A workload that reads just
 * these keys is restarted by a hash of this part, so a change to any other key leaves it running. A key
 * that is absent stays absent, so its later appearance changes the hash too.
 */
export function pickKeys(content: ConfigMapContent, keys: readonly string[]): ConfigMapContent {
    const pick = (record: Readonly<Record<string, string>>) =>
        Object.fromEntries(keys.filter((k) => Object.prototype.hasOwnProperty.call(record, k)).map((k) => [k, record[k]]));
    return { data: pick(content.data), binaryData: pick(content.binaryData) };
}
