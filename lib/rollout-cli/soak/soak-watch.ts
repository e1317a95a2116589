import { atMost } from "../at-most";
import { ClusterAccess } from "../cluster-api/cluster-access";
import { ClusterApi, KubeObject } from "../cluster-api/cluster-api";
import { formatDuration } from "../durations";
import { SoakProblem, soakProblems, SoakResult, soakStartProblems } from "./soak-verdict";
import { WIRED_WORKLOAD_RESOURCES, wiredWorkloads, WorkloadState } from "./workload-observation";

/** How a soak watches. */
export interface SoakWatchOptions {
    /** How long, in milliseconds. */
    readonly durationMs: number;
    /** How long between two looks at a cluster, in milliseconds (`SOAK_POLL_MS`). */
    readonly pollMs: number;
    /** How many clusters are looked at at once (`--concurrency`). */
    readonly concurrency: number;
    /** The namespaces to watch (the fleet file's `namespaces`). @default every namespace */
    readonly namespaces?: readonly string[];
    /** Stops the soak (the wave's timeout, Ctrl-C): it resolves as `stopped`. */
    readonly signal: AbortSignal;
    /** Receives one line per look: the time left and what is watched. */
    readonly progress: (line: string) => void;
    /** How many looks in a row a cluster may fail before the soak fails. @default 3 */
    readonly missesAllowed?: number;
}

/**
 * Watches the wired workloads of `clusters` for `durationMs` and fails at the first problem
 * ({@link soakStartProblems}, {@link soakProblems}): it looks at each cluster every `pollMs`, a
 * last time when the soak ends; every look, the first included, judges each workload's rollout as
 * kubectl does. A cluster that cannot be looked at `missesAllowed` times in a row fails the soak
 * too: a wave whose cluster cannot be seen has not shown that it is healthy.
 */
export async function watchSoak(clusters: readonly ClusterAccess[], api: ClusterApi, options: SoakWatchOptions): Promise<SoakResult> {
    const started = Date.now();
    const missesAllowed = options.missesAllowed ?? 3;
    const baseline = new Map<string, WorkloadState[]>();
    const misses = new Map<string, { count: number; message: string }>();
    const result = (status: SoakResult["status"], problems: readonly SoakProblem[] = []): SoakResult => ({
        status,
        durationMs: options.durationMs,
        elapsedMs: Date.now() - started,
        clusters: clusters.length,
        workloads: [...baseline.values()].reduce((n, w) => n + w.length, 0),
        problems,
    });

    for (;;) {
        const problems: SoakProblem[] = [];
        await atMost(options.concurrency, clusters, async (cluster) => {
            if (options.signal.aborted) return;
            let now: WorkloadState[];
            try {
                now = wiredWorkloads(await look(api, cluster, options.namespaces, options.signal));
            } catch (err) {
                if (options.signal.aborted) return;
                const missed = { count: (misses.get(cluster.name)?.count ?? 0) + 1, message: (err as Error).message };
                misses.set(cluster.name, missed);
                if (missed.count >= missesAllowed) problems.push({ cluster: cluster.name, message: `could not be looked at ${missed.count} times in a row: ${missed.message}` });
                return;
            }
            misses.delete(cluster.name);
            const start = baseline.get(cluster.name);
            if (start) problems.push(...soakProblems(cluster.name, start, now));
            else {
                baseline.set(cluster.name, now);
                problems.push(...soakStartProblems(cluster.name, now));
            }
        });
        if (options.signal.aborted) return result("stopped");
        if (problems.length > 0) return result("failed", problems);
        const left = options.durationMs - (Date.now() - started);
        if (left <= 0) {
            // A cluster never seen at all has shown nothing; its misses are below the limit only because the soak was short.
            const unseen = clusters.filter((c) => !baseline.has(c.name));
            if (unseen.length === 0) return result("passed");
            return result(
                "failed",
                unseen.map((c) => ({ cluster: c.name, message: `could not be looked at during the soak: ${misses.get(c.name)?.message ?? "no answer"}` })),
            );
        }
        const workloads = [...baseline.values()].reduce((n, w) => n + w.length, 0);
        options.progress(`${formatDuration(left)} left; ${workloads} wired workload${workloads === 1 ? "" : "s"} in ${baseline.size} of ${clusters.length} cluster${clusters.length === 1 ? "" : "s"} steady`);
        await sleep(Math.min(options.pollMs, left), options.signal);
        if (options.signal.aborted) return result("stopped");
    }
}

/**
 * One look at a cluster's workloads and their pods. With namespaces, one request per namespace;
 * without, the workloads of every namespace first, then the pods of only the namespaces that have a
 * wired workload, since listing every pod of a large cluster on every look is the costly part.
 */
async function look(api: ClusterApi, cluster: ClusterAccess, namespaces: readonly string[] | undefined, signal: AbortSignal): Promise<KubeObject[]> {
    if (namespaces) {
        const lists = [];
        for (const ns of namespaces) lists.push(await api.list(cluster, [...WIRED_WORKLOAD_RESOURCES, "pods"], ns, signal));
        return lists.flat();
    }
    const workloads = await api.list(cluster, WIRED_WORKLOAD_RESOURCES, undefined, signal);
    const wired = new Set(wiredWorkloads(workloads).map((w) => w.namespace));
    const pods = [];
    for (const ns of [...wired].sort()) pods.push(await api.list(cluster, ["pods"], ns, signal));
    return [...workloads, ...pods.flat()];
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
            clearTimeout(timer);
            signal.removeEventListener("abort", done);
            resolve();
        }
        signal.addEventListener("abort", done, { once: true });
    });
}
