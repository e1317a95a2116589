/**
 * The consumers of a split config. Its keys live in several ConfigMaps (parts), and the only Kubernetes
 * object that joins several ConfigMaps back into one is a projected volume: so a workload that mounts the
 * config gets a projected volume over every part of its cluster, and one that reads it by `envFrom` or
 * `configMapKeyRef` (which name a single ConfigMap) is refused. Pure, like `workload-references.ts`.
 */
import { quote } from "../errors/problems";
import { workloadSubject, WorkloadIdentity } from "../config/key-checks";
import { get, list } from "../restart-wiring/workload-references";
import { bucketOf, partName, Split } from "./split";

/** Where a cluster's split config keeps each key: what a consumer's volume is rewritten from. */
export interface SplitLayout {
    /** The config's name, the base of its parts' names. */
    readonly base: string;
    /** N, the number of buckets the keys are hashed into. */
    readonly buckets: number;
    /** The buckets that have a part (a ConfigMap), in order. */
    readonly present: readonly number[];
}

/** The layout of `split`, a split of the config called `base`. */
export function splitLayout(base: string, split: Split): SplitLayout {
    return { base, buckets: split.buckets, present: split.parts.map((p) => p.bucket) };
}

/** The names of the parts' ConfigMaps, in order. */
export function partNames(layout: SplitLayout): string[] {
    return layout.present.map((bucket) => partName(layout.base, bucket));
}

/** One way a workload reads a split config that a projected volume cannot serve. */
export interface UnmountedRead {
    /** Where, e.g. `spec.template.spec.containers[0].envFrom[0].configMapRef`. */
    readonly path: string;
    /** How, e.g. `envFrom`, or `configMapKeyRef of key "LOG_LEVEL"`. */
    readonly how: string;
}

/**
 * Every place the workload reads ConfigMap `name` other than by mounting it: `envFrom` and
 * `env[].valueFrom.configMapKeyRef` in any container, init container or ephemeral container; and volume
 * `items` whose key is not known yet, since the part that holds a key is chosen by its name.
 */
export function unmountedReads(workloadProps: unknown, name: string): UnmountedRead[] {
    const podSpec = get(workloadProps, "spec", "template", "spec");
    const base = "spec.template.spec";
    const reads: UnmountedRead[] = [];
    for (const field of ["containers", "initContainers", "ephemeralContainers"]) {
        list(get(podSpec, field)).forEach((container, c) => {
            list(get(container, "envFrom")).forEach((source, s) => {
                if (get(source, "configMapRef", "name") === name) reads.push({ path: `${base}.${field}[${c}].envFrom[${s}].configMapRef`, how: "envFrom" });
            });
            list(get(container, "env")).forEach((env, e) => {
                const ref = get(env, "valueFrom", "configMapKeyRef");
                if (get(ref, "name") !== name) return;
                const key = get(ref, "key");
                reads.push({ path: `${base}.${field}[${c}].env[${e}].valueFrom.configMapKeyRef`, how: `configMapKeyRef${typeof key === "string" ? ` of key ${quote(key)}` : ""}` });
            });
        });
    }
    const unknownItems = (ref: unknown, path: string) => {
        if (get(ref, "name") !== name) return;
        list(get(ref, "items")).forEach((item, i) => {
            if (typeof get(item, "key") !== "string") reads.push({ path: `${path}.items[${i}]`, how: "a volume item whose key is not known when the program runs, so the part that holds it cannot be chosen" });
        });
    };
    list(get(podSpec, "volumes")).forEach((volume, v) => {
        unknownItems(get(volume, "configMap"), `${base}.volumes[${v}].configMap`);
        list(get(volume, "projected", "sources")).forEach((source, s) => unknownItems(get(source, "configMap"), `${base}.volumes[${v}].projected.sources[${s}].configMap`));
    });
    return reads;
}

/**
 * Why a workload may not read the split config of `layout` (in `configMap`, `namespace/name`) as it
 * does, or undefined when it only mounts it.
 */
export function splitConsumerRefusal(workloadProps: unknown, workload: WorkloadIdentity, cluster: string, configMap: string, layout: SplitLayout): string | undefined {
    const reads = unmountedReads(workloadProps, layout.base);
    return reads.length === 0 ? undefined : unmountedReadsMessage(workload, cluster, configMap, layout, reads);
}

/** The refusal of a workload that reads a split config other than by mounting it: where, and why, and what to do instead. */
export function unmountedReadsMessage(workload: WorkloadIdentity, cluster: string, configMap: string, layout: SplitLayout, reads: readonly UnmountedRead[]): string {
    const parts = partNames(layout).map(quote);
    return [
        `${workloadSubject(workload)} in cluster ${quote(cluster)} reads ConfigMap ${configMap} other than through a volume, which a split config cannot serve:`,
        ...reads.map((r) => `  - \`${r.path}\`: ${r.how}`),
        `ConfigMap ${configMap} has \`strategy: "split"\`: in cluster ${quote(cluster)} its keys are spread over ${parts.length === 1 ? `ConfigMap ${parts[0]}` : `ConfigMaps ${parts.join(", ")}`} ` +
            "(more as it grows), and only a projected volume joins parts again, so a split config can only be mounted. " +
            `Mount it as a volume instead (\`{ name: "config", configMap: { name: ${quote(layout.base)} } }\` or \`volume()\`), which the rollout transform turns into a projected volume over every part; keep settings read as environment variables in a FleetConfigMap of their own.`,
    ].join("\n");
}

/**
 * A copy of the workload's properties in which every volume of ConfigMap `name` is a projected volume
 * over the parts of `layout`, and every projected source of `name` is one source per part:
 * - without `items`, one source per part, each with every key of its part;
 * - with `items`, each item goes to the source of the part that holds its key (an optional key that is
 *   missing goes where it would be, so it appears there when added), and parts that hold none of the
 *   items are left out;
 * - `optional` is kept on every source; a volume's `defaultMode` becomes the projected volume's, and
 *   items keep their `mode`.
 * Nothing else changes, and the input is not modified.
 */
export function withSplitVolumes<T>(workloadProps: T, name: string, layout: SplitLayout): T {
    const podSpec = get(workloadProps, "spec", "template", "spec");
    if (!isObject(podSpec) || !Array.isArray(podSpec.volumes)) return workloadProps;
    const volumes = podSpec.volumes.map((volume: unknown) => {
        if (!isObject(volume)) return volume;
        if (isObject(volume.configMap) && volume.configMap.name === name) {
            const { configMap, ...rest } = volume;
            return { ...rest, projected: projected(configMap, layout) };
        }
        if (isObject(volume.projected) && Array.isArray(volume.projected.sources)) {
            const sources = volume.projected.sources.flatMap((s: unknown) => (isObject(s) && isObject(s.configMap) && s.configMap.name === name ? partSources(s.configMap, layout) : [s]));
            return { ...volume, projected: { ...volume.projected, sources } };
        }
        return volume;
    });
    const props = workloadProps as Record<string, any>;
    return { ...props, spec: { ...props.spec, template: { ...props.spec.template, spec: { ...podSpec, volumes } } } } as T;
}

/**
 * A pod volume called `volumeName` that mounts every part of `layout` as one directory: what a workload
 * wired by hand uses in place of a `configMap` volume.
 */
export function splitVolume(volumeName: string, layout: SplitLayout): { name: string; projected: { sources: object[] } } {
    return { name: volumeName, projected: { sources: partSources({ name: layout.base }, layout) } };
}

function projected(configMap: Record<string, unknown>, layout: SplitLayout): { defaultMode?: unknown; sources: object[] } {
    return { ...(configMap.defaultMode !== undefined && { defaultMode: configMap.defaultMode }), sources: partSources(configMap, layout) };
}

/** The projected sources, one per part, that stand for one reference (`{ name, items?, optional? }`) to the split config. */
function partSources(ref: Record<string, unknown>, layout: SplitLayout): object[] {
    const optional = ref.optional !== undefined ? { optional: ref.optional } : {};
    if (!Array.isArray(ref.items)) return partNames(layout).map((name) => ({ configMap: { name, ...optional } }));
    const byBucket = new Map<number, unknown[]>();
    for (const item of ref.items) {
        // Items whose key is not a string are refused before (unmountedReads); part 1 is only a fallback.
        const key = get(item, "key");
        const bucket = typeof key === "string" ? bucketOf(key, layout.buckets) : 0;
        byBucket.set(bucket, [...(byBucket.get(bucket) ?? []), item]);
    }
    return [...byBucket.keys()].sort((a, b) => a - b).map((bucket) => ({ configMap: { name: partName(layout.base, bucket), items: byBucket.get(bucket), ...optional } }));
}

function isObject(value: unknown): value is Record<string, any> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
