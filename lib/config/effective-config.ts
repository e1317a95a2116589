import * as pulumi from "@pulumi/pulumi";
import { mergeLayers, MergedValue } from "./deep-merge";
import { ConfigMapContent } from "./hash";
import { ConfigLayout, patchesFor } from "./overrides";
import { fieldPath } from "../errors/problems";
import { ClusterProvenance, clusterProvenance, Layer, LayerSet, Layering, layerKeys, Origin } from "./provenance";
import { renderValue } from "./render-value";
import { ConfigSchema } from "./typed-config";
import { ResolvedEntry } from "./resolved-entry";
import { ClusterIdentity } from "./validation";

/** A value together with the argument it came from, so that errors can point at the right override. */
export interface SourcedValue {
    /** The value as the cluster's ConfigMap will hold it (rendered, for a typed key). */
    readonly value: pulumi.Input<string>;
    /** Where it was given, e.g. `overrides.clusters["ap-south-1"].data.LOG_LEVEL`. */
    readonly field: string;
}

/** One cluster's effective ConfigMap layout, after base, region and cluster layers. */
export interface ClusterPlan extends ClusterIdentity {
    /** The effective keys, each with its value and origin. */
    readonly layout: ConfigLayout<SourcedValue>;
    /** Every value each layer gave each key, and the keys layers removed: what provenance is made of. */
    readonly layering: Layering<pulumi.Input<unknown>>;
    /** For a FleetConfigMap with a schema: the schema and each `data` key's merged value. */
    readonly typed?: TypedPlan;
}

/** One cluster's typed `data`, before rendering, for the schema check and provenance. */
export interface TypedPlan {
    /** The FleetConfigMap's schema. */
    readonly schema: ConfigSchema;
    /** Each `data` key's value merged over the layers, with the origin of each part; an Output while any layer's value is one. */
    readonly merged: Readonly<Record<string, pulumi.Input<MergedValue<Origin>>>>;
}

/** The patch of one region or cluster, as {@link planClusters} reads it. */
export interface SourcePatch {
    /** Entries to set in `data`: strings, or with a schema values of its types (or patches of them). */
    readonly data?: Record<string, pulumi.Input<unknown>>;
    /** Entries to set in `binaryData`. */
    readonly binaryData?: Record<string, pulumi.Input<string>>;
    /** Keys to delete first. */
    readonly remove?: readonly string[];
}

/** The base layer of a `FleetConfigMap`: its `data` and `binaryData`, plus its overrides and schema. */
export interface ConfigSource {
    /** The schema of `data`, if any. */
    readonly schema?: ConfigSchema;
    /** Base entries of `data`. */
    readonly data?: Record<string, pulumi.Input<unknown>>;
    /** Base entries of `binaryData`. */
    readonly binaryData?: Record<string, pulumi.Input<string>>;
    /** Region and cluster patches. */
    readonly overrides?: { readonly regions?: Record<string, SourcePatch>; readonly clusters?: Record<string, SourcePatch> };
}

/**
 * Works out, for every cluster in order, which keys it gets, where each value comes from, and (with a
 * schema) each `data` key's merged and rendered value.
 */
export function planClusters(clusters: readonly ClusterIdentity[], source: ConfigSource): ClusterPlan[] {
    const base: Layer<pulumi.Input<unknown>> = { layer: "base", path: [], data: source.data, binaryData: source.binaryData };
    const patchLayers = (kind: "regions" | "clusters") =>
        mapValues(source.overrides?.[kind] ?? {}, (patch, target): Layer<pulumi.Input<unknown>> => ({ layer: `overrides.${kind}.${target}`, path: ["overrides", kind, target], ...patch }));
    const overrides = { regions: patchLayers("regions"), clusters: patchLayers("clusters") };
    return clusters.map((cluster) => {
        const layers = [base, ...patchesFor(cluster, overrides)];
        const layering = layerKeys(layers);
        const last = (sets: readonly LayerSet<pulumi.Input<unknown>>[]) => sets[sets.length - 1];
        const untyped = (sets: readonly LayerSet<pulumi.Input<unknown>>[]): SourcedValue => ({
            value: last(sets).value as pulumi.Input<string>,
            field: fieldPath(last(sets).origin.path),
        });
        const binaryData = mapValues(layering.binaryData, untyped);
        if (!source.schema) return { name: cluster.name, region: cluster.region, layering, layout: { data: mapValues(layering.data, untyped), binaryData } };
        const merged = mapValues(layering.data, mergedValue);
        const data = mapValues(layering.data, (sets, key): SourcedValue => {
            const m = merged[key];
            const value = pulumi.Output.isInstance(m) ? m.apply((v) => renderValue(v.value)) : renderValue((m as MergedValue<Origin>).value);
            return { value, field: fieldPath(last(sets).origin.path) };
        });
        return { name: cluster.name, region: cluster.region, layering, layout: { data, binaryData }, typed: { schema: source.schema, merged } };
    });
}

/** A typed key's value merged over its layers: plain when every layer's value is, else one Output. */
function mergedValue(sets: readonly LayerSet<pulumi.Input<unknown>>[]): pulumi.Input<MergedValue<Origin>> {
    const isPlain = (v: unknown) => !pulumi.Output.isInstance(v) && !(v instanceof Promise);
    if (sets.every((s) => isPlain(s.value))) return mergeLayers(sets);
    return pulumi.all(sets.map((s) => s.value)).apply((values) => mergeLayers(values.map((value, i) => ({ value, origin: sets[i].origin }))));
}

/** The entries of a layout whose values are all plain strings, or undefined if any is still an Input. */
export function plainEntries(layout: ConfigLayout<SourcedValue>): ResolvedEntry[] | undefined {
    const entries = layoutEntries(layout);
    if (!entries.every((e) => typeof e.value.value === "string")) return undefined;
    return entries.map(({ kind, key, value }) => ({ kind, key, value: value.value as string, field: value.field }));
}

/**
 * One cluster's provenance, from its plan: plain, unless a typed key's merged value is still an Output
 * (provenance reports the fields each layer set in it). It holds no value, so nothing in it can be secret.
 */
export function provenanceOf(plan: ClusterPlan): pulumi.Input<ClusterProvenance> {
    const merged = plan.typed?.merged ?? {};
    if (Object.values(merged).every((m) => !pulumi.Output.isInstance(m))) return clusterProvenance(plan.layering, merged as Record<string, MergedValue<Origin>>);
    return pulumi.all(merged).apply((m) => clusterProvenance(plan.layering, m as Record<string, MergedValue<Origin>>));
}

/** The content a cluster stores, from its resolved entries. */
export function toContent(entries: readonly ResolvedEntry[]): ConfigMapContent {
    const data: [string, string][] = [];
    const binaryData: [string, string][] = [];
    for (const e of entries) (e.kind === "data" ? data : binaryData).push([e.key, e.value]);
    return { data: Object.fromEntries(data), binaryData: Object.fromEntries(binaryData) };
}

/** Every entry of a layout, `data` first, each with the map it is in. */
export function layoutEntries(layout: ConfigLayout<SourcedValue>) {
    return [
        ...Object.entries(layout.data).map(([key, value]) => ({ kind: "data" as const, key, value })),
        ...Object.entries(layout.binaryData).map(([key, value]) => ({ kind: "binaryData" as const, key, value })),
    ];
}

function mapValues<A, B>(record: Readonly<Record<string, A>>, f: (value: A, key: string) => B): Record<string, B> {
    return Object.fromEntries(Object.entries(record).map(([key, value]) => [key, f(value, key)]));
}
