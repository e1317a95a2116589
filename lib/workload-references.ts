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

/**
 * The names of every ConfigMap the pod template of a workload references: through `envFrom`,
 * `env[].valueFrom.configMapKeyRef`, `volumes[].configMap` and projected volumes, in any container,
 * init container or ephemeral container. Names that are not yet known (preview) are left out.
 */
export function referencedConfigMaps(workloadProps: unknown): Set<string> {
    const podSpec = get(workloadProps, "spec", "template", "spec");
    const names = new Set<string>();
    const add = (name: unknown) => {
        if (typeof name === "string" && name !== "") names.add(name);
    };
    for (const field of ["containers", "initContainers", "ephemeralContainers"]) {
        for (const container of list(get(podSpec, field))) {
            for (const source of list(get(container, "envFrom"))) add(get(source, "configMapRef", "name"));
            for (const env of list(get(container, "env"))) add(get(env, "valueFrom", "configMapKeyRef", "name"));
        }
    }
    for (const volume of list(get(podSpec, "volumes"))) {
        add(get(volume, "configMap", "name"));
        for (const source of list(get(volume, "projected", "sources"))) add(get(source, "configMap", "name"));
    }
    return names;
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

function get(value: unknown, ...path: string[]): unknown {
    let current = value;
    for (const key of path) {
        if (typeof current !== "object" || current === null) return undefined;
        current = (current as Record<string, unknown>)[key];
    }
    return current;
}

function list(value: unknown): unknown[] {
    return Array.isArray(value) ? value : [];
}
