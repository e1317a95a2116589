import { ClusterAccess } from "../cluster-api/cluster-access";

/** The environment variables a gate gets besides the command's own environment. */
export const GATE_ENV = {
    /** The wave's name. */
    wave: "FLEET_WAVE",
    /** The path of the JSON file that lists the wave's clusters ({@link GateClustersFile}). */
    clusters: "FLEET_WAVE_CLUSTERS",
} as const;

/**
 * The JSON file a gate reads its clusters from (its path is in `FLEET_WAVE_CLUSTERS`): every cluster
 * of the wave, in plan order, with the kubeconfig and context the program's provider uses for it.
 *
 * @example
 * ```sh
 * # smoke.sh: one request per cluster of the wave
 * jq -r '.clusters[] | [.kubeconfig, .context // ""] | @tsv' "$FLEET_WAVE_CLUSTERS" |
 *   while IFS=$'\t' read -r kc ctx; do kubectl --kubeconfig "$kc" ${ctx:+--context "$ctx"} -n shop get configmap app-config; done
 * ```
 */
export interface GateClustersFile {
    /** The wave's name. */
    readonly wave: string;
    /** Its clusters. */
    readonly clusters: readonly GateCluster[];
}

/** One cluster of a {@link GateClustersFile}. */
export interface GateCluster {
    /** The cluster's name. */
    readonly name: string;
    /** Its region. */
    readonly region: string;
    /** The stack that manages it. */
    readonly stack: string;
    /** The absolute path of its kubeconfig. */
    readonly kubeconfig: string;
    /** The kubeconfig context, or `null` for the kubeconfig's current context. */
    readonly context: string | null;
}

/** The clusters file of a wave's gate. */
export function gateClustersFile(wave: string, clusters: readonly ClusterAccess[]): GateClustersFile {
    return { wave, clusters: clusters.map((c) => ({ name: c.name, region: c.region, stack: c.stack, kubeconfig: c.kubeconfig, context: c.context ?? null })) };
}

/** The gate's environment: the command's own, with the wave's name and the clusters file's path over it. */
export function gateEnvironment(base: Readonly<Record<string, string | undefined>>, wave: string, clustersFile: string): Record<string, string> {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(base)) if (v !== undefined) env[k] = v;
    return { ...env, [GATE_ENV.wave]: wave, [GATE_ENV.clusters]: clustersFile };
}
