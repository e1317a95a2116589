/**
 * A run over many stacks: `previewAll` previews every stack, `rollOut` runs the waves in order and
 * stops at the first that fails. What a run is and returns is in run-types.ts (re-exported here for
 * the readers of results), running stacks in stack-run.ts, one wave (its stacks, soak, gate and
 * timeout) in wave-run.ts.
 */
import { RolloutPlan } from "../plan/plan";
import { PreviewResult, RolloutResult, RunOptions, StackRunner, WaveChecks, WaveResult } from "./run-types";
import { notStarted, runStacks } from "./stack-run";
import { runWave } from "../waves/wave-run";

export type { PreviewResult, RolloutResult, RunOptions, StackOutcome, StackResult, StackRunner, StackStatus, WaveChecks, WaveResult, WaveStatus } from "./run-types";

/** Previews every stack of the plan, `concurrency` at a time, whatever the waves. */
export async function previewAll(plan: RolloutPlan, runner: StackRunner, options: RunOptions): Promise<PreviewResult> {
    const stacks = await runStacks("preview", plan.stacks, runner, options, false);
    const status = options.interrupted() ? "interrupted" : stacks.some((s) => s.status === "failed") ? "failed" : "succeeded";
    return { status, stacks };
}

/**
 * Runs `up` wave by wave. A wave's stacks run `concurrency` at a time; then, if they all succeeded,
 * its soak, then its gate (`checks`). The wave succeeds only if every stack, the soak and the gate
 * do; a wave whose stacks were all unchanged (a re-run) still soaks and gates, so a gate that failed
 * must pass before the next wave starts. A wave's `timeoutMs` bounds all of it: when it is reached,
 * the running stacks are cancelled (and count as failed), no other starts, and the soak or gate is
 * stopped. At the first failed wave no further stack starts, in that wave or any later one.
 */
export async function rollOut(plan: RolloutPlan, runner: StackRunner, options: RunOptions, checks?: WaveChecks): Promise<RolloutResult> {
    const waves: WaveResult[] = [];
    let stopped: "failed" | "interrupted" | undefined;
    for (const wave of plan.waves) {
        if (stopped || options.interrupted()) {
            stopped ??= "interrupted";
            waves.push({ name: wave.name, selector: wave.selector, status: "not started", stacks: wave.stacks.map(notStarted) });
            continue;
        }
        if ((wave.soakMs !== undefined || wave.gate !== undefined) && !checks) throw new Error(`wave ${wave.name} has a soak or a gate, but the rollout was given no WaveChecks`);
        const result = await runWave(wave, runner, options, checks!);
        if (result.status !== "succeeded") stopped = result.status === "failed" ? "failed" : "interrupted";
        waves.push(result);
    }
    return { status: stopped ?? "succeeded", waves };
}
