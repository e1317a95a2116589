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
 * What is wrong with a cluster's wired workloads when a soak starts: a workload with fewer ready
 * replicas than it wants, or whose rollout has not finished. An `up` waits for readiness, so after a
 * change this should find nothing; it matters on a re-run of an unchanged wave, where it keeps a wave
 * that failed its soak, and is still unhealthy, from passing it by re-running, and when Pulumi's wait
 * let a stuck rollout through (seen on freshly started clusters: the old pods still ready, the new
 * one never scheduled).
 */
export function soakStartProblems(cluster: string, start: readonly WorkloadState[]): SoakProblem[] {
    return start.flatMap((w) => [
        ...(w.ready < w.desired ? [{ cluster, workload: w.id, message: `only ${w.ready} of ${w.desired} replicas were ready when the soak started` }] : []),
        ...(w.rolloutPending ? [{ cluster, workload: w.id, message: `its rollout had not finished when the soak started: ${w.rolloutPending}` }] : []),
    ]);
}

/**
 * What went wrong with a cluster's wired workloads since the soak started: a workload gone, ready
 * replicas fallen below their number at the start, or a pod that restarted (its containers' restart
 * count rose). Workloads that appeared since are not judged: the soak watches what the wave rolled
 * out. A pod replaced by a new one is not a restart; a drop in ready replicas shows it if it hurt.
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
