import { boundedList } from "../../bounded-list";
import { WorkloadState } from "./workload-observation";

/** Something a soak saw go wrong: in which cluster, with which workload, and what. */
export interface SoakProblem {
    /** The cluster. */
    readonly cluster: string;
    /** The workload (`deployment shop/web`), or absent when the cluster itself could not be seen. @default absent */
    readonly workload?: string;
    /** What went wrong, with the numbers. */
    readonly message: string;
}

/** How a wave's soak ended. */
export interface SoakResult {
    /** `passed`: nothing went wrong for the whole soak; `failed`: see `problems`; `stopped`: by the wave's timeout or Ctrl-C. */
    readonly status: "passed" | "failed" | "stopped";
    /** The soak's length, as planned, in milliseconds. */
    readonly durationMs: number;
    /** How long it watched, in milliseconds. */
    readonly elapsedMs: number;
    /** How many clusters it watched. */
    readonly clusters: number;
    /** How many wired workloads it watched, in all clusters. */
    readonly workloads: number;
    /** Why it failed; empty unless `failed`. */
    readonly problems: readonly SoakProblem[];
}

/**
 * What is wrong with a cluster's wired workloads when a soak starts: a workload whose rollout had not
 * finished, as `kubectl rollout status` judges it (rollout-finished.ts), which also covers a
 * workload with fewer ready or available replicas than it wants. An `up` waits for its rollouts, so
 * after a change this should find nothing; it matters when Pulumi's wait let a stuck rollout through
 * (seen on freshly started clusters: the old pods still ready, the new one never scheduled, the
 * updated count already met), and on a re-run of an unchanged wave, where it keeps a wave that failed
 * its soak, and is still unhealthy, from passing it by re-running.
 */
export function soakStartProblems(cluster: string, start: readonly WorkloadState[]): SoakProblem[] {
    return start.flatMap((w) => (w.unfinished ? [{ cluster, workload: w.id, message: `its rollout had not finished when the soak started: ${w.unfinished}` }] : []));
}

/**
 * What went wrong with a cluster's wired workloads since the soak started: a workload gone, ready
 * replicas fallen below their number at the start, a rollout no longer finished (judged as at the
 * start: a change, a scale-up or a lost pod mid-soak is a wave not shown healthy), or a pod that
 * restarted (its containers' restart count rose). Workloads that appeared since are not judged: the
 * soak watches what the wave rolled out. A pod replaced by a new one is not a restart; a drop in
 * ready replicas shows it if it hurt.
 */
export function soakProblems(cluster: string, start: readonly WorkloadState[], now: readonly WorkloadState[]): SoakProblem[] {
    const current = new Map(now.map((w) => [w.id, w]));
    const problems: SoakProblem[] = [];
    for (const before of start) {
        const after = current.get(before.id);
        if (!after) {
            problems.push({ cluster, workload: before.id, message: "is gone; it was there when the soak started" });
            continue;
        }
        if (after.ready < before.ready) problems.push({ cluster, workload: before.id, message: `ready replicas fell from ${before.ready} to ${after.ready}` });
        if (after.unfinished) problems.push({ cluster, workload: before.id, message: `its rollout was no longer finished: ${after.unfinished}` });
        const restarted = Object.keys(before.pods)
            .filter((pod) => after.pods[pod] !== undefined && after.pods[pod] > before.pods[pod])
            .sort();
        if (restarted.length > 0) {
            const restarts = restarted.reduce((n, pod) => n + after.pods[pod] - before.pods[pod], 0);
            problems.push({ cluster, workload: before.id, message: `pod${restarted.length === 1 ? "" : "s"} ${boundedList(restarted)} restarted (${restarts} restart${restarts === 1 ? "" : "s"} during the soak)` });
        }
    }
    return problems;
}
