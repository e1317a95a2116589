import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ClusterAccess } from "../cluster-api/cluster-access";
import { gateClustersFile, gateEnvironment } from "./gate-input";

/** How a wave's gate ended. */
export interface GateResult {
    /** The command, as written. */
    readonly command: string;
    /** `passed`: it exited 0; `failed`: it exited otherwise or could not start; `stopped`: by the wave's timeout or Ctrl-C. */
    readonly status: "passed" | "failed" | "stopped";
    /** Its exit code, when it exited. @default absent: it was killed by a signal or did not start */
    readonly exitCode?: number;
    /** The signal that ended it, when one did. @default absent */
    readonly signal?: string;
    /** How long it ran, in milliseconds. */
    readonly elapsedMs: number;
    /** Its last lines of output (stdout and stderr as they came), at most {@link GATE_OUTPUT_LINES}. */
    readonly output: readonly string[];
}

/** How many of a gate's last output lines are kept for the result. */
export const GATE_OUTPUT_LINES = 20;

/** How long a stopped gate has between SIGTERM and SIGKILL. */
export const GATE_KILL_GRACE_MS = 5000;

/** How a gate runs. */
export interface GateRunOptions {
    /** The wave. */
    readonly wave: string;
    /** Its clusters, for the clusters file. */
    readonly clusters: readonly ClusterAccess[];
    /** The directory it runs in. */
    readonly cwd: string;
    /** Stops it (the wave's timeout, Ctrl-C): SIGTERM to its process group, SIGKILL after {@link GATE_KILL_GRACE_MS}. */
    readonly signal: AbortSignal;
    /** Receives each line it prints. */
    readonly progress: (line: string) => void;
    /** The environment it starts from. @default this process's */
    readonly env?: Readonly<Record<string, string | undefined>>;
    /** Overrides {@link GATE_KILL_GRACE_MS}, for tests. */
    readonly killGraceMs?: number;
}

/**
 * Runs a wave's gate, `sh -c command`, with {@link gateEnvironment}: the clusters file is written to a
 * temporary directory first and removed after. Its output is shown as progress and its last lines
 * are kept; none of it goes to stdout, which holds only the rollout's result. It runs in its own
 * process group, so that stopping it stops whatever it started (a `kubectl` waiting, a test runner).
 */
export async function runGate(command: string, options: GateRunOptions): Promise<GateResult> {
    const started = Date.now();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-rollout-gate-"));
    const file = path.join(dir, "clusters.json");
    fs.writeFileSync(file, JSON.stringify(gateClustersFile(options.wave, options.clusters), null, 2) + "\n");
    const output: string[] = [];
    let partial = "";
    const take = (chunk: Buffer) => {
        const lines = (partial + chunk.toString("utf8")).split(/\r?\n/);
        partial = lines.pop() ?? "";
        for (const line of lines) keep(line);
    };
    const keep = (line: string) => {
        output.push(line.slice(0, 500));
        if (output.length > GATE_OUTPUT_LINES) output.shift();
        options.progress(line);
    };
    try {
        return await new Promise<GateResult>((resolve) => {
            const end = (status: GateResult["status"], extra: Partial<GateResult> = {}) => {
                if (partial) keep(partial);
                partial = "";
                resolve({ command, status, elapsedMs: Date.now() - started, output: [...output], ...extra });
            };
            if (options.signal.aborted) return end("stopped");
            const child = spawn(command, { shell: true, cwd: options.cwd, env: gateEnvironment(options.env ?? process.env, options.wave, file), detached: true, stdio: ["ignore", "pipe", "pipe"] });
            child.stdout.on("data", take);
            child.stderr.on("data", take);
            let stopping = false;
            let killTimer: NodeJS.Timeout | undefined;
            const group = (sig: NodeJS.Signals) => {
                try {
                    if (child.pid !== undefined) process.kill(-child.pid, sig);
                } catch {
                    // The group is gone already.
                }
            };
            const stop = () => {
                stopping = true;
                group("SIGTERM");
                killTimer = setTimeout(() => group("SIGKILL"), options.killGraceMs ?? GATE_KILL_GRACE_MS);
            };
            options.signal.addEventListener("abort", stop, { once: true });
            child.on("error", (err) => {
                options.signal.removeEventListener("abort", stop);
                keep(`the gate could not start: ${err.message}`);
                end("failed");
            });
            child.on("close", (code, signal) => {
                options.signal.removeEventListener("abort", stop);
                if (killTimer) clearTimeout(killTimer);
                const how = { ...(code !== null ? { exitCode: code } : {}), ...(signal ? { signal } : {}) };
                end(stopping ? "stopped" : code === 0 ? "passed" : "failed", how);
            });
        });
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}
