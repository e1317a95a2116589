/**
 * One wave of an `up`: its stacks, then its soak, then its gate, all within its timeout. See
 * `rollOut` (run.ts) for the order of waves.
 */
import { formatDuration } from "../../fleet/durations";
import { GateResult } from "../gate/gate-command";
import { PlannedWave } from "../plan/plan";
import type { RunOptions, StackResult, StackRunner, WaveChecks, WaveResult } from "../run/run-types";
import { SoakResult } from "../soak/soak-verdict";
import { runList, runStacks } from "../run/stack-run";

/** One wave: its stacks, its soak and its gate, within its timeout. */
export async function runWave(wave: PlannedWave, runner: StackRunner, options: RunOptions, checks: WaveChecks): Promise<WaveResult> {
    // `deadline` cancels the stacks, which the engine does only for the timeout (Ctrl-C reaches them
    // on its own); `stop` also stops the soak and the gate on Ctrl-C.
    const deadline = new AbortController();
    const stop = new AbortController();
    const timer = wave.timeoutMs === undefined ? undefined : setTimeout(() => (deadline.abort(), stop.abort()), wave.timeoutMs);
    const watch = setInterval(() => options.interrupted() && stop.abort(), INTERRUPT_POLL_MS);
    const timedOut = () => deadline.signal.aborted && !options.interrupted();
    const reached = (during: string) => `its timeout of ${formatDuration(wave.timeoutMs ?? 0)} was reached during its ${during}`;
    const base = { name: wave.name, selector: wave.selector };
    try {
        const ran = await runStacks(`up, wave ${wave.name}`, wave.stacks, runner, options, true, deadline.signal);
        const stacks = timedOut() ? ran.map((s) => cancelledByTimeout(s, wave)) : ran;
        // A stack the timeout kept from starting fails the wave too, even if none was running to cancel.
        const unfinished = stacks.some((s) => s.status === "cancelled" || s.status === "not started");
        if (stacks.some((s) => s.status === "failed") || (timedOut() && unfinished)) return { ...base, status: "failed", stacks, ...(timedOut() ? { failure: reached("`up`") } : {}) };
        if (unfinished || options.interrupted()) return { ...base, status: "interrupted", stacks };

        let soak: SoakResult | undefined;
        if (wave.soakMs !== undefined) {
            const soakMs = wave.soakMs;
            soak = await runPhase(`soak, wave ${wave.name} (${formatDuration(soakMs)})`, options, (output) => checks.soak(wave, stop.signal, output), (r) =>
                r.status === "failed" ? `soak failed: ${r.problems[0]?.message ?? ""}` : undefined,
            );
            if (soak.status === "stopped") return { ...base, stacks, soak, ...(timedOut() ? { status: "failed", failure: reached("soak") } : { status: "interrupted" }) };
            if (soak.status === "failed") return { ...base, status: "failed", stacks, soak, failure: soakFailure(soak) };
        }
        let gate: GateResult | undefined;
        if (wave.gate !== undefined) {
            const command = wave.gate.command;
            gate = await runPhase(`gate, wave ${wave.name}: ${command}`, options, (output) => checks.gate(wave, stop.signal, output), (r) =>
                r.status === "failed" ? gateFailure(r) : undefined,
            );
            const done = { ...base, stacks, ...(soak ? { soak } : {}), gate };
            if (gate.status === "stopped") return { ...done, ...(timedOut() ? { status: "failed", failure: reached("gate") } : { status: "interrupted" }) };
            if (gate.status === "failed") return { ...done, status: "failed", failure: gateFailure(gate) };
        }
        return { ...base, status: "succeeded", stacks, ...(soak ? { soak } : {}), ...(gate ? { gate } : {}) };
    } finally {
        if (timer) clearTimeout(timer);
        clearInterval(watch);
    }
}

/** How often a soak or gate checks for Ctrl-C. */
const INTERRUPT_POLL_MS = 200;

/** A stack the wave's timeout cancelled: a failure of its clusters, not an interruption. */
function cancelledByTimeout(stack: StackResult, wave: PlannedWave): StackResult {
    if (stack.status !== "cancelled") return stack;
    const why = `the wave's timeout of ${formatDuration(wave.timeoutMs ?? 0)} was reached, so the stack was cancelled`;
    const clusters = wave.stacks.find((s) => s.name === stack.stack)?.clusters.map((c) => c.name) ?? [];
    return { ...stack, status: "failed", failedClusters: clusters, error: `${stack.error ?? `stack ${stack.stack}`} (${why})` };
}

/** The soak's failure, one line: its first problem, and how many more. */
function soakFailure(soak: SoakResult): string {
    const [first] = soak.problems;
    const more = soak.problems.length > 1 ? ` (and ${soak.problems.length - 1} more)` : "";
    return `its soak failed after ${formatDuration(soak.elapsedMs)}: cluster ${first.cluster}${first.workload ? `, ${first.workload}` : ""}: ${first.message}${more}`;
}

/** The gate's failure, one line: how it ended, and its last line of output. */
function gateFailure(gate: GateResult): string {
    const how = gate.exitCode !== undefined ? `exited ${gate.exitCode}` : gate.signal ? `was killed by ${gate.signal}` : "could not start";
    const last = gate.output.filter((l) => l.trim() !== "").pop();
    return `its gate \`${gate.command}\` ${how}${last ? `: ${last}` : ""}`;
}

/**
 * Runs one step of a wave (its soak, its gate) as a task of the progress display, its lines as the
 * task's output; `failure` says, for the display, why a result is a failure.
 */
async function runPhase<R>(title: string, options: RunOptions, work: (output: (line: string) => void) => Promise<R>, failure: (result: R) => string | undefined): Promise<R> {
    let result: R | undefined;
    let error: unknown;
    await runList(
        [
            {
                title,
                task: async (_ctx, task) => {
                    result = await work((line) => (task.output = line)).catch((err) => {
                        error = err;
                        throw err;
                    });
                    const why = failure(result);
                    if (why) throw new Error(why);
                },
            },
        ],
        options,
    );
    if (error !== undefined) throw error;
    return result!;
}
