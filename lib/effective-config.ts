import * as pulumi from "@pulumi/pulumi";
import { ConfigMapContent } from "./hash";
import { applyPatches, ConfigLayout, ConfigOverrides, ConfigPatch, LayoutPatch, patchesFor } from "./overrides";
import { fieldPath, Problem, quote } from "./problems";
import { ClusterIdentity, ResolvedEntry } from "./validation";

/** A value together with the argument it came from, so that errors can point at the right override. */
export interface SourcedValue {
    /** The value as the user gave it. */
    readonly value: pulumi.Input<string>;
    /** Where it was given, e.g. `overrides.clusters["ap-south-1"].data.LOG_LEVEL`. */
    readonly field: string;
}

/** One cluster's effective ConfigMap layout, after base, region and cluster layers. */
export interface ClusterPlan extends ClusterIdentity {
    /** The effective keys, each with its value and origin. */
    readonly layout: ConfigLayout<SourcedValue>;
}

/** The base layer of a `FleetConfigMap`: its `data` and `binaryData`, plus its overrides. */
export interface ConfigSource {
    /** Base entries of `data`. */
    readonly data?: Record<string, pulumi.Input<string>>;
    /** Base entries of `binaryData`. */
    readonly binaryData?: Record<string, pulumi.Input<string>>;
    /** Region and cluster patches. */
    readonly overrides?: ConfigOverrides;
}

/** Works out, for every cluster in order, which keys it gets and where each value comes from. */
export function planClusters(clusters: readonly ClusterIdentity[], source: ConfigSource): ClusterPlan[] {
    const base = {
        data: sourced(["data"], source.data),
        binaryData: sourced(["binaryData"], source.binaryData),
    };
    const overrides = {
        regions: sourcedPatches(["overrides", "regions"], source.overrides?.regions),
        clusters: sourcedPatches(["overrides", "clusters"], source.overrides?.clusters),
    };
    return clusters.map((cluster) => ({
        name: cluster.name,
        region: cluster.region,
        layout: applyPatches(base, patchesFor(cluster, overrides)),
    }));
}

/** A key that ends up in both maps of one cluster, which the API server would reject. */
export function overlapProblems(plan: ClusterPlan): Problem[] {
    return Object.keys(plan.layout.data)
        .filter((key) => Object.prototype.hasOwnProperty.call(plan.layout.binaryData, key))
        .map((key) => ({
            field: plan.layout.binaryData[key].field,
            cluster: plan.name,
            message: `key ${quote(key)} ends up in both \`data\` (from \`${plan.layout.data[key].field}\`) and \`binaryData\`; a ConfigMap key may appear in only one`,
        }));
}

/** The entries of a layout whose values are all plain strings, or undefined if any is still an Input. */
export function plainEntries(layout: ConfigLayout<SourcedValue>): ResolvedEntry[] | undefined {
    const entries = layoutEntries(layout);
    if (!entries.every((e) => typeof e.value.value === "string")) return undefined;
    return entries.map(({ kind, key, value }) => ({ kind, key, value: value.value as string, field: value.field }));
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

function sourced(path: string[], record: Record<string, pulumi.Input<string>> | undefined): Record<string, SourcedValue> {
    return Object.fromEntries(Object.entries(record ?? {}).map(([key, value]) => [key, { value, field: fieldPath([...path, key]) }]));
}

function sourcedPatches(path: string[], patches: Record<string, ConfigPatch> | undefined): Record<string, LayoutPatch<SourcedValue>> {
    return Object.fromEntries(
        Object.entries(patches ?? {}).map(([target, patch]) => [
            target,
            {
                data: sourced([...path, target, "data"], patch.data),
                binaryData: sourced([...path, target, "binaryData"], patch.binaryData),
                remove: patch.remove,
            },
        ]),
    );
}
