import { boundedQuotedList, MAX_LISTED } from "../../errors/bounded-list";
import { PreflightCheck, PreflightFinding } from "./preflight-checks";

/** One failed check, with every cluster it failed on the same way. */
export interface PreflightFailure {
    /** The check. */
    readonly check: PreflightCheck;
    /** What is wrong. */
    readonly detail: string;
    /** How to fix it. */
    readonly fix: string;
    /** The clusters, in the order they were checked. */
    readonly clusters: readonly string[];
}

/**
 * The failed checks, clusters that failed one the same way (same detail, same fix) together: a
 * thousand clusters without one right make one line, not a thousand. In the order first found.
 */
export function preflightFailures(findings: readonly PreflightFinding[]): PreflightFailure[] {
    const groups = new Map<string, { check: PreflightCheck; detail: string; fix: string; clusters: string[] }>();
    for (const f of findings) {
        if (f.ok) continue;
        const key = `${f.check}\0${f.detail}\0${f.fix ?? ""}`;
        const group = groups.get(key);
        if (group) group.clusters.push(f.cluster);
        else groups.set(key, { check: f.check, detail: f.detail, fix: f.fix ?? "", clusters: [f.cluster] });
    }
    return [...groups.values()];
}

/**
 * The refusal a failed preflight prints: a headline counting the clusters, then one line per
 * failure, `cluster "a": access: the credentials may not …; fix: …`, at most {@link MAX_LISTED} of
 * them and each naming at most {@link MAX_LISTED} clusters. Empty when every check passed.
 */
export function preflightLines(findings: readonly PreflightFinding[], clusterCount: number): string[] {
    const failures = preflightFailures(findings);
    if (failures.length === 0) return [];
    const failed = new Set(failures.flatMap((f) => f.clusters));
    const lines = [`preflight failed on ${failed.size} of ${clusterCount} cluster${clusterCount === 1 ? "" : "s"}; nothing was changed (--skip-preflight skips these checks):`];
    for (const f of failures.slice(0, MAX_LISTED)) {
        const who = f.clusters.length === 1 ? `cluster ${JSON.stringify(f.clusters[0])}` : `clusters ${boundedQuotedList(f.clusters)}`;
        lines.push(`  - ${who}: ${f.check}: ${f.detail}; fix: ${f.fix}`);
    }
    if (failures.length > MAX_LISTED) lines.push(`  - and ${failures.length - MAX_LISTED} more failures`);
    return lines;
}
