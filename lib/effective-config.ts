import * as pulumi from "@pulumi/pulumi";
import { ConfigMapContent } from "./hash";
import { applyPatches, ConfigLayout, ConfigOverrides, ConfigPatch, LayoutPatch, patchesFor } from "./overrides";
import { fieldPath, Problem } from "./problems";
import { ClusterIdentity, contentProblems, ResolvedEntry, secretProblem } from "./validation";

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
            message: `key "${key}" ends up in both \`data\` (from \`${plan.layout.data[key].field}\`) and \`binaryData\`; a ConfigMap key may appear in only one`,
        }));
}

/** The entries of a layout whose values are all plain strings, or undefined if any is still an Input. */
export function plainEntries(layout: ConfigLayout<SourcedValue>): ResolvedEntry[] | undefined {
    const entries = layoutEntries(layout);
    if (!entries.every((e) => typeof e.value.value === "string")) return undefined;
    return entries.map(({ kind, key, value }) => ({ kind, key, value: value.value as string, field: value.field }));
}

/**
 * Resolves one cluster's layout to the content the cluster will store, and checks it once values are
 * known: any secret value is refused and the 1 MiB limit is enforced. Plain layouts resolve without
 * creating Outputs, so a large fleet of literal config costs no more than writing the maps by hand.
 */
export function resolveContent(plan: ClusterPlan, fail: (problems: Problem[]) => Error): pulumi.Input<ConfigMapContent> {
    const plain = plainEntries(plan.layout);
    if (plain) return toContent(plain);
    const entries = layoutEntries(plan.layout);
    // Secretness is known even while a value is not, so a secret is refused at preview too.
    const secretFields = Promise.all(
        entries.map(async (e) => (pulumi.Output.isInstance(e.value.value) && (await pulumi.isSecret(e.value.value as pulumi.Output<string>)) ? e.value.field : undefined)),
    );
    const refused = pulumi.output(secretFields).apply((fields) => {
        const problems = fields.filter((f): f is string => f !== undefined).map((f) => secretProblem(f, plan.name));
        if (problems.length > 0) throw fail(problems);
        return true;
    });
    const values = pulumi.all(entries.map((e) => e.value.value));
    return pulumi.all([refused, values]).apply(([, resolved]) => {
        const resolvedEntries = entries.map((e, i) => ({ kind: e.kind, key: e.key, value: resolved[i], field: e.value.field }));
        const problems = contentProblems(plan.name, resolvedEntries);
        if (problems.length > 0) throw fail(problems);
        return toContent(resolvedEntries);
    });
}

function toContent(entries: readonly ResolvedEntry[]): ConfigMapContent {
    const data: [string, string][] = [];
    const binaryData: [string, string][] = [];
    for (const e of entries) (e.kind === "data" ? data : binaryData).push([e.key, e.value]);
    return { data: Object.fromEntries(data), binaryData: Object.fromEntries(binaryData) };
}

function layoutEntries(layout: ConfigLayout<SourcedValue>) {
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
