/**
 * The types of a FleetConfigMap with a `schema`: TypeScript infers what `data` and every override may
 * hold from a zod object schema, so an unknown key or a value of the wrong type is a compile error in
 * the user's program, and `remove` names only keys the schema makes optional. Values are checked again
 * per cluster at preview (see `schema-check.ts`), after every layer.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";

/**
 * The schema of a typed FleetConfigMap's `data`: a zod object schema (`z.object`, `z.strictObject`,
 * `z.looseObject`), one property per ConfigMap key.
 *
 * @example
 * ```ts
 * z.object({
 *   LOG_LEVEL: z.enum(["debug", "info", "warn"]),
 *   PORT: z.number().int().min(1).max(65535),
 *   FEATURE_X: z.boolean().optional(),
 *   "config.json": z.object({ db: z.object({ host: z.string(), pool: z.number() }) }),
 * })
 * ```
 */
export type ConfigSchema = z.ZodObject<z.core.$ZodShape, z.core.$ZodObjectConfig>;

/** The keys and values a schema accepts, as written in a program. */
export type ConfigValues<S extends ConfigSchema> = z.input<S>;

/** The keys of `T` that are optional, which are the only ones `remove` may name. */
export type OptionalKeys<T> = { [K in keyof T]-?: {} extends Pick<T, K> ? K : never }[keyof T] & string;

/**
 * What a higher layer may give a value of type `T`: for an object, any subset of its fields, each
 * patched the same way, with `null` deleting a field the schema makes optional; anything else
 * (strings, numbers, booleans, arrays) whole.
 */
export type ValuePatch<T> = T extends readonly unknown[]
    ? T
    : T extends Record<string, unknown>
      ? { [K in keyof T]?: {} extends Pick<T, K> ? ValuePatch<Exclude<T[K], undefined>> | null : ValuePatch<T[K]> }
      : T;

/**
 * The base `data` of a typed FleetConfigMap: any of the schema's keys, each with a value of its type
 * (or an Output of one). A key the schema requires may be left to the overrides, as long as every
 * cluster ends up with it; that is checked per cluster at preview.
 */
export type TypedData<S extends ConfigSchema> = { [K in keyof ConfigValues<S>]?: pulumi.Input<ConfigValues<S>[K]> };

/** One region's or cluster's changes to a typed FleetConfigMap. */
export interface TypedConfigPatch<S extends ConfigSchema> {
    /**
     * Keys to set. An object value is merged field by field into the inherited one (a `null` field
     * deletes it); any other value replaces it.
     */
    readonly data?: { [K in keyof ConfigValues<S>]?: pulumi.Input<ValuePatch<ConfigValues<S>[K]>> };
    /** Base64-encoded entries to set in `binaryData`, which the schema does not cover. */
    readonly binaryData?: Record<string, pulumi.Input<string>>;
    /**
     * Keys to delete before this layer's `data` is set. Only keys the schema makes optional: a
     * required key cannot be removed. Removing and setting a key in one patch replaces its value whole.
     */
    readonly remove?: OptionalKeys<ConfigValues<S>>[];
}

/** Per-region and per-cluster patches of a typed FleetConfigMap, in the same order as untyped ones. */
export interface TypedConfigOverrides<S extends ConfigSchema> {
    /** Patches keyed by region, applied to every cluster of that region. */
    readonly regions?: Record<string, TypedConfigPatch<S>>;
    /** Patches keyed by cluster name, applied last. */
    readonly clusters?: Record<string, TypedConfigPatch<S>>;
}

/** Whether `value` is a zod object schema, from this package's zod or the user's own copy. */
export function isConfigSchema(value: unknown): value is ConfigSchema {
    const def = (value as { _zod?: { def?: { type?: unknown } } } | undefined)?._zod?.def;
    return typeof (value as { safeParse?: unknown })?.safeParse === "function" && def?.type === "object";
}
