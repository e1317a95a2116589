import { ClusterAccess } from "../cluster-api/cluster-access";
import { ClusterApi } from "../cluster-api/cluster-api";
import { runGate } from "../gate/gate-command";
import { PlannedGate, PlannedWave } from "../plan/plan";
import { WaveChecks } from "../run/run";
import { watchSoak } from "../soak/soak-watch";
import { SOAK_POLL_MS } from "../../fleet/wave-options";

/** What the wave checks need to reach the clusters and run gates. */
export interface ClusterWaveChecksOptions {
    /** The clusters' API. */
    readonly api: ClusterApi;
    /** Every cluster of the plan, by name ({@link clusterAccesses}). */
    readonly clusters: ReadonlyMap<string, ClusterAccess>;
    /** The fleet file's `namespaces`: where soaks watch. @default every namespace */
    readonly namespaces?: readonly string[];
    /** How many clusters a soak looks at at once (`--concurrency`). */
    readonly concurrency: number;
    /** The fleet file's directory, where a gate written there runs. */
    readonly fleetDirectory: string;
    /** The current directory, where a `--gate` runs. */
    readonly currentDirectory: string;
}

/** The {@link WaveChecks} of a real rollout: soaks through the clusters' API, gates as shell commands. */
export function clusterWaveChecks(options: ClusterWaveChecksOptions): WaveChecks {
    const clustersOf = (wave: PlannedWave) => wave.stacks.flatMap((s) => s.clusters.map((c) => options.clusters.get(c.name)!));
    const directoryOf = (gate: PlannedGate) => (gate.writtenIn === "fleet file" ? options.fleetDirectory : options.currentDirectory);
    return {
        soak: (wave, stop, progress) =>
            watchSoak(clustersOf(wave), options.api, {
                durationMs: wave.soakMs!,
                pollMs: SOAK_POLL_MS,
                concurrency: options.concurrency,
                ...(options.namespaces ? { namespaces: options.namespaces } : {}),
                signal: stop,
                progress,
            }),
        gate: (wave, stop, progress) => runGate(wave.gate!.command, { wave: wave.name, clusters: clustersOf(wave), cwd: directoryOf(wave.gate!), signal: stop, progress }),
    };
}
