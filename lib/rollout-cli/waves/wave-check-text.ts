import { boundedList } from "../../errors/bounded-list";
import { formatDuration } from "../../fleet/durations";
import { WaveResult } from "../run/run";

/**
 * The lines that say how a wave's soak and gate went and why it failed, for the rollout's text under
 * the wave's header: `soak 10m: passed (4 wired workloads in 2 clusters)`, each soak problem (at
 * most ten), `gate ./smoke.sh: exited 3`, its last lines of output, and the wave's failure.
 */
export function waveCheckLines(wave: WaveResult): string[] {
    const lines: string[] = [];
    const { soak, gate } = wave;
    if (soak) {
        const watched = `${soak.workloads} wired workload${soak.workloads === 1 ? "" : "s"} in ${soak.clusters} cluster${soak.clusters === 1 ? "" : "s"}`;
        const how = soak.status === "passed" ? "passed" : soak.status === "failed" ? `failed after ${formatDuration(soak.elapsedMs)}` : `stopped after ${formatDuration(soak.elapsedMs)}`;
        lines.push(`soak ${formatDuration(soak.durationMs)}: ${how} (${watched})`);
        for (const p of soak.problems.slice(0, 10)) lines.push(`  ${p.cluster}${p.workload ? ` ${p.workload}` : ""}: ${p.message}`);
        if (soak.problems.length > 10) lines.push(`  and ${soak.problems.length - 10} more`);
    }
    if (gate) {
        const how = gate.status === "passed" ? "passed" : gate.status === "stopped" ? "stopped" : gate.exitCode !== undefined ? `exited ${gate.exitCode}` : gate.signal ? `killed by ${gate.signal}` : "could not start";
        lines.push(`gate ${gate.command}: ${how} after ${formatDuration(gate.elapsedMs)}`);
        if (gate.status !== "passed") lines.push(...gate.output.slice(-5).map((l) => `  | ${l}`));
    }
    if (wave.failure) lines.push(`failed: ${wave.failure}`);
    return lines;
}

/** The clusters a wave's soak found unhealthy, for the rollout's summary of failed clusters. */
export function soakFailedClusters(wave: WaveResult): string[] {
    return [...new Set((wave.soak?.problems ?? []).map((p) => p.cluster))];
}

/** One line for the rollout's summary when a wave failed by its soak, gate or timeout: `failed: …`. */
export function waveFailureSummary(wave: WaveResult): string | undefined {
    if (!wave.failure) return undefined;
    const clusters = soakFailedClusters(wave);
    return `wave "${wave.name}" ${wave.failure}${clusters.length ? ` (clusters ${boundedList(clusters)})` : ""}`;
}
