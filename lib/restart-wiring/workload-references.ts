/**
 * Deciding, from a workload's properties alone, which ConfigMaps its pods read. Pure, so it is tested
 * without the engine; the rollout transform applies it to every workload the engine registers.
 */

/** The Pulumi types of the workloads whose pod templates the rollout transform annotates. */
export const WORKLOAD_TYPES: readonly string[] = [
    "kubernetes:apps/v1:Deployment",
    "kubernetes:apps/v1:StatefulSet",
    "kubernetes:apps/v1:DaemonSet",
];

/** The namespace a workload lives in: its `metadata.namespace`, or `default`. */
export function workloadNamespace(props: unknown): string {
    const namespace = get(props, "metadata", "namespace");
    return typeof namespace === "string" && namespace !== "" ? namespace : "default";
}

/** One key a workload reads from a ConfigMap on its own (not through the whole map). */
export interface KeyRead {
    /** The key. */
    readonly key: string;
    /** Whether the pod fails to start when the key is missing: the reference is not marked `optional`. */
    readonly required: boolean;
    /** Where in the workload, e.g. `spec.template.spec.containers[0].env[1].valueFrom.configMapKeyRef`. */
    readonly path: string;
}

/** How a workload reads one ConfigMap. */
export interface ConfigMapReads {
    /**
     * Whether some reference takes every key: `envFrom`, or a `configMap` volume or projected source
     * without `items`. Such a workload depends on the whole content; otherwise only on {@link keys}.
     */
    readonly whole: boolean;
    /** The keys read one by one: `env[].valueFrom.configMapKeyRef`, and the `items` of volumes and projected sources. */
    readonly keys: readonly KeyRead[];
}

/**
 * Every ConfigMap the pod template of a workload references, by name, with how it reads each: through
 * `envFrom`, `env[].valueFrom.configMapKeyRef`, `volumes[].configMap` and projected volumes, in any
 * container, init container or ephemeral container. Names that are not yet known (preview) are left out.
 */
export function configMapReads(workloadProps: unknown): Map<string, ConfigMapReads> {
    const podSpec = get(workloadProps, "spec", "template", "spec");
    const reads = new Map<string, { whole: boolean; keys: KeyRead[] }>();
    const readOf = (name: unknown) => {
        if (typeof name !== "string" || name === "") return undefined;
        let read = reads.get(name);
        if (read === undefined) reads.set(name, (read = { whole: false, keys: [] }));
        return read;
    };
    const base = "spec.template.spec";
    for (const field of ["containers", "initContainers", "ephemeralContainers"]) {
        list(get(podSpec, field)).forEach((container, c) => {
            for (const source of list(get(container, "envFrom"))) {
                const read = readOf(get(source, "configMapRef", "name"));
                if (read) read.whole = true;
            }
            list(get(container, "env")).forEach((env, e) => {
                const ref = get(env, "valueFrom", "configMapKeyRef");
                const read = readOf(get(ref, "name"));
                const key = get(ref, "key");
                if (read && typeof key === "string") {
                    read.keys.push({ key, required: get(ref, "optional") !== true, path: `${base}.${field}[${c}].env[${e}].valueFrom.configMapKeyRef` });
                } else if (read) read.whole = true; // a key not known yet: assume the worst
            });
        });
    }
    const fromSource = (source: unknown, path: string) => {
        const read = readOf(get(source, "name"));
        if (!read) return;
        const items = get(source, "items");
        if (!Array.isArray(items)) {
            read.whole = true;
            return;
        }
        const required = get(source, "optional") !== true;
        items.forEach((item, i) => {
            const key = get(item, "key");
            if (typeof key === "string") read.keys.push({ key, required, path: `${path}.items[${i}]` });
            else read.whole = true;
        });
    };
    list(get(podSpec, "volumes")).forEach((volume, v) => {
        fromSource(get(volume, "configMap"), `${base}.volumes[${v}].configMap`);
        list(get(volume, "projected", "sources")).forEach((source, s) =>
            fromSource(get(source, "configMap"), `${base}.volumes[${v}].projected.sources[${s}].configMap`),
        );
    });
    return reads;
}

/** The names of every ConfigMap the pod template of a workload references; see {@link configMapReads}. */
export function referencedConfigMaps(workloadProps: unknown): Set<string> {
    return new Set(configMapReads(workloadProps).keys());
}

/**
 * The keys a workload's restart hash covers for one ConfigMap: undefined when it reads the whole map
 * (the full hash), otherwise the sorted distinct keys it reads one by one.
 */
export function hashedKeys(reads: ConfigMapReads): string[] | undefined {
    if (reads.whole) return undefined;
    return [...new Set(reads.keys.map((k) => k.key))].sort();
}

/**
 * A copy of the workload's properties in which every reference to ConfigMap `from` (envFrom,
 * configMapKeyRef, volumes, projected sources) names `to` instead. Nothing else changes, and the input
 * is not modified. `to` may be an Output, so a name known only once content is hashed can be used.
 */
export function withConfigMapRenamed<T>(workloadProps: T, from: string, to: unknown): T {
    const rename = (ref: unknown) => (isObject(ref) && ref.name === from ? { ...ref, name: to } : ref);
    const mapList = (value: unknown, fn: (item: any) => unknown) => (Array.isArray(value) ? value.map(fn) : value);
    const podSpec = get(workloadProps, "spec", "template", "spec");
    if (!isObject(podSpec)) return workloadProps;
    const spec: Record<string, unknown> = { ...podSpec };
    for (const field of ["containers", "initContainers", "ephemeralContainers"]) {
        spec[field] = mapList(spec[field], (container) =>
            !isObject(container)
                ? container
                : {
                      ...container,
                      ...(container.envFrom !== undefined && { envFrom: mapList(container.envFrom, (s) => (isObject(s) && s.configMapRef !== undefined ? { ...s, configMapRef: rename(s.configMapRef) } : s)) }),
                      ...(container.env !== undefined && {
                          env: mapList(container.env, (e) =>
                              isObject(e) && isObject(e.valueFrom) && e.valueFrom.configMapKeyRef !== undefined
                                  ? { ...e, valueFrom: { ...e.valueFrom, configMapKeyRef: rename(e.valueFrom.configMapKeyRef) } }
                                  : e,
                          ),
                      }),
                  },
        );
        if (spec[field] === undefined) delete spec[field];
    }
    if (spec.volumes !== undefined) {
        spec.volumes = mapList(spec.volumes, (v) => {
            if (!isObject(v)) return v;
            if (v.configMap !== undefined) return { ...v, configMap: rename(v.configMap) };
            if (isObject(v.projected) && Array.isArray(v.projected.sources)) {
                return { ...v, projected: { ...v.projected, sources: v.projected.sources.map((s: any) => (isObject(s) && s.configMap !== undefined ? { ...s, configMap: rename(s.configMap) } : s)) } };
            }
            return v;
        });
    }
    const props = workloadProps as Record<string, any>;
    return { ...props, spec: { ...props.spec, template: { ...props.spec.template, spec } } } as T;
}

/**
 * A copy of the workload's properties with `annotations` merged into its pod template's annotations.
 * Nothing else changes, and the input is not modified.
 */
export function withPodTemplateAnnotations<T>(workloadProps: T, annotations: Record<string, unknown>): T {
    const props = workloadProps as Record<string, any>;
    const spec = props.spec ?? {};
    const template = spec.template ?? {};
    const metadata = template.metadata ?? {};
    return {
        ...props,
        spec: {
            ...spec,
            template: {
                ...template,
                metadata: { ...metadata, annotations: { ...(metadata.annotations ?? {}), ...annotations } },
            },
        },
    } as T;
}

/** Whether the pod template's annotations can be merged into: absent, or a plain object. */
export function canAnnotate(workloadProps: unknown): boolean {
    for (const path of [["spec"], ["spec", "template"], ["spec", "template", "metadata"], ["spec", "template", "metadata", "annotations"]]) {
        const value = get(workloadProps, ...path);
        if (value !== undefined && (typeof value !== "object" || value === null || Array.isArray(value) || !isPlainObject(value))) return false;
    }
    return true;
}

function isPlainObject(value: object): boolean {
    const proto = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
}

function isObject(value: unknown): value is Record<string, any> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** @internal */
export function get(value: unknown, ...path: string[]): unknown {
    let current = value;
    for (const key of path) {
        if (typeof current !== "object" || current === null) return undefined;
        current = (current as Record<string, unknown>)[key];
    }
    return current;
}

/** @internal */
export function list(value: unknown): unknown[] {
    return Array.isArray(value) ? value : [];
}
