/**
 * The split strategy's partition: a cluster's config over 1 MiB is spread by key over several parts,
 * each an ordinary ConfigMap under the limit, which consumers mount together as one projected volume.
 *
 * The partition is decided by key NAME, never by position or value: key `k` goes to bucket
 * `h(k) mod N`, where `h` is the first 8 hex digits of the SHA-256 of the name and N the smallest power
 * of two whose buckets all fit {@link SPLIT_PART_BUDGET}. So:
 * - the same keys and sizes give the same parts, in every cluster and on every run;
 * - a change to one value that needs no new N rewrites only the part that holds that key;
 * - when N doubles, a key in bucket `b` stays in `b` or moves to `b + N` (the next bit of its hash
 *   decides), so growth moves about half the keys and never shuffles the rest; when N halves, the
 *   reverse.
 *
 * Pure: the component turns each part into a ConfigMap, and the rollout transform turns each volume of
 * the config into a projected volume over the parts (`split-consumers.ts`).
 */
import { createHash } from "crypto";
import { ConfigMapContent } from "../config/hash";
import { entryBytes, MAX_CONFIGMAP_BYTES, MAX_SUBDOMAIN_LENGTH, SPLIT_MARGIN_BYTES, SPLIT_PART_BUDGET } from "../config/limits";
import { bytes, invalidValue, Problem, quote } from "../errors/problems";
import type { ResolvedEntry } from "../config/resolved-entry";
import type { StrategyChecks } from "../config/strategy-checks";

// The part budget is in limits.ts because the 1 MiB check names it too: one value over it fits no strategy.
export { SPLIT_MARGIN_BYTES, SPLIT_PART_BUDGET };

/**
 * The most parts a cluster's config is split into (so at most about 60 MiB of values). A config that
 * needs more is refused: that much data belongs in object storage, not in etcd.
 */
export const MAX_SPLIT_PARTS = 64;

/** The longest base name the split strategy accepts: the suffix `-<part>` (up to `-64`) must still fit a DNS-1123 subdomain. */
export const MAX_SPLIT_BASE_NAME = MAX_SUBDOMAIN_LENGTH - `-${MAX_SPLIT_PARTS}`.length;

/** One part of a cluster's split config: the keys of one bucket. */
export interface SplitPart {
    /** The bucket, from 0: the part's ConfigMap is named `<name>-<bucket + 1>` ({@link partName}). */
    readonly bucket: number;
    /** Its `data` and `binaryData`: the keys whose hash falls in this bucket. */
    readonly content: ConfigMapContent;
    /** The bytes its values count toward the 1 MiB limit. */
    readonly bytes: number;
}

/** A cluster's config split into parts. */
export interface Split {
    /** N: how many buckets the keys were hashed into, a power of two from 1 to {@link MAX_SPLIT_PARTS}. */
    readonly buckets: number;
    /**
     * The parts, in bucket order: every bucket that holds a key, and bucket 0 always (so that every
     * cluster has its first part, even for an empty config). Empty buckets other than 0 have no part, so
     * part numbers can have gaps (`-1`, `-3`, `-4`): a part's number is its bucket's, which is what keeps
     * every other key where it was when one bucket empties or fills.
     */
    readonly parts: readonly SplitPart[];
}

/** The limits a split works within; the defaults are the package's, tests pass smaller ones. */
export interface SplitLimits {
    /** The most bytes of values per part. @default {@link SPLIT_PART_BUDGET} */
    readonly budget?: number;
    /** The most parts (a power of two). @default {@link MAX_SPLIT_PARTS} */
    readonly maxParts?: number;
}

/** The first 8 hex digits of the SHA-256 of a key's name, as an unsigned 32-bit integer. */
export function keyHash(key: string): number {
    return parseInt(createHash("sha256").update(key, "utf8").digest("hex").slice(0, 8), 16);
}

/** The bucket of `key` among `buckets` (a power of two): the low bits of its {@link keyHash}. */
export function bucketOf(key: string, buckets: number): number {
    return keyHash(key) % buckets;
}

/**
 * The name of the ConfigMap that holds bucket `bucket` (from 0) of a split config called `base`.
 *
 * @example
 * partName("geoip", 0) === "geoip-1"
 */
export function partName(base: string, bucket: number): string {
    return `${base}-${bucket + 1}`;
}

/**
 * Whether ConfigMap `name` is one a split config called `base` may write as a part: `<base>-1` to
 * `<base>-64`. Which parts exist depends on the config's size, so every one of them is reserved.
 *
 * @example
 * isPartName("geoip-2", "geoip") === true; isPartName("geoip-65", "geoip") === false
 */
export function isPartName(name: string, base: string): boolean {
    if (!name.startsWith(`${base}-`)) return false;
    const suffix = name.slice(base.length + 1);
    return /^[1-9][0-9]*$/.test(suffix) && Number(suffix) <= MAX_SPLIT_PARTS;
}

/**
 * The split strategy's own checks, which it hands to the check stage (config/check-stage.ts): the name
 * leaves room for `-<part>`, every value is known when the program runs, the values fit the parts, and
 * no other FleetConfigMap of the fleet and namespace is called one of the parts.
 */
export const splitChecks: StrategyChecks = {
    nameProblems: (name) =>
        name.length <= MAX_SPLIT_BASE_NAME
            ? []
            : [
                  {
                      field: "metadata.name",
                      message: `${invalidValue(name.slice(0, 40))}… (${name.length} characters): with \`strategy: "split"\` the name is at most ${MAX_SPLIT_BASE_NAME} characters, so that \`-<part>\` (up to \`-${MAX_SPLIT_PARTS}\`) still fits ${MAX_SUBDOMAIN_LENGTH}`,
                  },
              ],
    unknownValueProblems: (cluster, entries) => unknownValueProblems(cluster, entries),
    sizeProblems: (cluster, entries) => splitProblems(cluster, entries),
    // A split config writes `<base>-1` to `<base>-64`, as many as its size needs, so every one of them is
    // reserved, whichever FleetConfigMap is declared first.
    nameClash: (namespace, base, name, whose) =>
        isPartName(name, base)
            ? `ConfigMap ${namespace}/${name} is one of ${whose} parts (strategy "split" writes ${base}-1 to ${base}-${MAX_SPLIT_PARTS}, as many as its size needs); two would overwrite each other, so rename one of them`
            : undefined,
};

/**
 * Splits `content` into the fewest buckets (a power of two) whose values each fit the budget. Throws
 * when it cannot; {@link splitProblems} tells why beforehand, with the fields at fault.
 */
export function splitContent(content: ConfigMapContent, limits: SplitLimits = {}): Split {
    const keys = sizedKeys(content);
    const buckets = bucketCount(keys, limits);
    if (buckets === undefined) throw new Error("the config does not fit the split strategy's limits; check it with splitProblems first");
    const byBucket = keys.reduce<SizedKey[][]>((all, k) => (all[bucketOf(k.key, buckets)].push(k), all), Array.from({ length: buckets }, () => []));
    const parts = byBucket.flatMap((inBucket, bucket): SplitPart[] => {
        if (inBucket.length === 0 && bucket > 0) return [];
        const pick = (record: Readonly<Record<string, string>>) => Object.fromEntries(inBucket.filter((k) => Object.prototype.hasOwnProperty.call(record, k.key)).map((k) => [k.key, record[k.key]]));
        return [{ bucket, content: { data: pick(content.data), binaryData: pick(content.binaryData) }, bytes: inBucket.reduce((sum, k) => sum + k.bytes, 0) }];
    });
    return { buckets, parts };
}

/**
 * Why one cluster's resolved values cannot be split: a single value over the per-part budget (which no
 * split helps; such data belongs in object storage), or values that do not fit even the most parts.
 * Values are never shown, only keys, fields and sizes.
 */
export function splitProblems(cluster: string, entries: readonly ResolvedEntry[], limits: SplitLimits = {}): Problem[] {
    const budget = limits.budget ?? SPLIT_PART_BUDGET;
    const maxParts = limits.maxParts ?? MAX_SPLIT_PARTS;
    const sized = entries.map((e) => ({ key: e.key, field: e.field, bytes: entryBytes(e) }));
    const tooLarge = sized.filter((e) => e.bytes > budget);
    if (tooLarge.length > 0) {
        return tooLarge.map((e) => ({
            field: e.field,
            cluster,
            message:
                `key ${quote(e.key)} holds ${bytes(e.bytes)} bytes, over the limit of ${bytes(budget)} bytes for one part of a \`strategy: "split"\` config ` +
                `(1 MiB less ${bytes(MAX_CONFIGMAP_BYTES - budget)} bytes kept for keys and metadata); splitting by key cannot help one value that large: ` +
                "it belongs in object storage (an S3, GCS or Azure Blob bucket, say), fetched by the workload, not in a ConfigMap",
        }));
    }
    if (bucketCount(sized, limits) !== undefined) return [];
    // At the most parts, the fullest bucket names the keys that would not come apart.
    const buckets = Array.from({ length: maxParts }, () => [] as typeof sized);
    for (const e of sized) buckets[bucketOf(e.key, maxParts)].push(e);
    const fullest = buckets.reduce((best, keys, b) => (total(keys) > total(buckets[best]) ? b : best), 0);
    const keys = buckets[fullest].sort((a, b) => b.bytes - a.bytes);
    const shown = keys.slice(0, 3).map((k) => `${quote(k.key)} ${bytes(k.bytes)}`).join(", ") + (keys.length > 3 ? `, and ${keys.length - 3} more keys` : "");
    return [
        {
            field: keys[0].field,
            cluster,
            message:
                `the effective config holds ${bytes(total(sized))} bytes of values, which do not fit ${maxParts} parts of at most ${bytes(budget)} bytes each ` +
                `(the most \`strategy: "split"\` makes): with keys placed by a hash of their name, part ${fullest + 1} of ${maxParts} would hold ${bytes(total(keys))} bytes (${shown}). ` +
                "Rename one of its largest keys so that it lands in another part, or move large values to object storage",
        },
    ];
}

/**
 * The values of one cluster not known when the program runs (Outputs, Promises): the split strategy
 * refuses them, because which parts (and so which resources) exist depends on every value's size, and a
 * preview must know every resource.
 */
export function unknownValueProblems(cluster: string, entries: readonly { readonly field: string; readonly value: unknown }[]): Problem[] {
    return entries
        .filter((e) => typeof e.value !== "string")
        .map((e) => ({
            field: e.field,
            cluster,
            message:
                'is not known when the program runs (an Output or a Promise, as a secret is too); with `strategy: "split"` every value must be a plain string ' +
                "(a literal, or a file read with fs.readFileSync), because which part ConfigMaps exist depends on the values' sizes, and a preview must know every resource",
        }));
}

interface SizedKey {
    readonly key: string;
    readonly bytes: number;
}

function sizedKeys(content: ConfigMapContent): SizedKey[] {
    return [
        ...Object.keys(content.data).map((key) => ({ key, bytes: entryBytes({ kind: "data", value: content.data[key] }) })),
        ...Object.keys(content.binaryData).map((key) => ({ key, bytes: entryBytes({ kind: "binaryData", value: content.binaryData[key] }) })),
    ].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
}

/** The smallest power of two N whose buckets each fit the budget, or undefined when even the most parts do not. */
function bucketCount(keys: readonly SizedKey[], limits: SplitLimits): number | undefined {
    const budget = limits.budget ?? SPLIT_PART_BUDGET;
    const maxParts = limits.maxParts ?? MAX_SPLIT_PARTS;
    for (let buckets = 1; buckets <= maxParts; buckets *= 2) {
        const sizes = new Array<number>(buckets).fill(0);
        for (const k of keys) sizes[bucketOf(k.key, buckets)] += k.bytes;
        if (sizes.every((size) => size <= budget)) return buckets;
    }
    return undefined;
}

function total(keys: readonly { readonly bytes: number }[]): number {
    return keys.reduce((sum, k) => sum + k.bytes, 0);
}
