import { Listr, ListrLogger, ListrLogLevels, ListrTask, ProcessOutput } from "listr2";
import { changed, ClusterChanges, ResourceChange } from "./changes";
import { formatDuration } from "./durations";
import { GateResult } from "./gate/gate-command";
import { PlannedStack, PlannedWave, RolloutPlan } from "./plan";
import { SoakResult } from "./soak/soak-verdict";

/** How one stack's preview or up ended. */
export type StackStatus = "changed" | "unchanged" | "failed" | "cancelled" | "not started";

/** One stack's preview or up: its status, each cluster's changes, and why it failed. */
export interface StackResult {
    /** The stack. */
    readonly stack: string;
    /** How it ended. */
    readonly status: StackStatus;
    /** Each of its clusters' changes (done by `up`, or planned by `preview`). */
    readonly clusters: readonly ClusterChanges[];
    /** Its changes on no fleet provider (the stack itself, components, other providers' resources). */
    readonly outside: readonly ResourceChange[];
    /** The clusters whose resources failed; all of the stack's when the failure names none. */
    readonly failedClusters: readonly string[];
    /** The engine's error, prefixed with the stack's name. */
    readonly error?: string;
}

/** What the runner reports of a finished stack operation. */
export interface StackOutcome {
    /** Each cluster's changes. */
    readonly clusters: readonly ClusterChanges[];
    /** Changes on no fleet provider. */
    readonly outside: readonly ResourceChange[];
    /** Set when the operation failed. */
    readonly error?: string;
    /** The clusters whose resources failed, when the operation failed. */
    readonly failedClusters?: readonly string[];
    /** Whether the failure was a cancellation (Ctrl-C). */
    readonly cancelled?: boolean;
}

/**
 * Runs one stack operation; the Automation API implementation is in `engine.ts`. `progress` receives
 * one line per engine step, for the progress display. It must settle (not throw) on engine errors.
 * `cancel` is aborted when the stack's wave reaches its timeout: the runner then cancels the stack as
 * Ctrl-C does, and reports it `cancelled`.
 */
export type StackRunner = (stack: PlannedStack, progress: (line: string) => void, cancel?: AbortSignal) => Promise<StackOutcome>;

/**
 * What a wave does after its stacks' `up` succeeded: watch its workloads for its soak, then run its
 * gate. `wave-checks.ts` implements it on the clusters; tests give a stand-in. Each must settle (not
 * throw), and return soon after `stop` is aborted (the wave's timeout, or Ctrl-C) as `stopped`.
 */
export interface WaveChecks {
    /** Watches the wave's wired workloads for `wave.soakMs`. */
    soak(wave: PlannedWave, stop: AbortSignal, progress: (line: string) => void): Promise<SoakResult>;
    /** Runs `wave.gate`. */
    gate(wave: PlannedWave, stop: AbortSignal, progress: (line: string) => void): Promise<GateResult>;
}

/** Options of a run over many stacks. */
export interface RunOptions {
    /** How many stacks run at once. */
    readonly concurrency: number;
    /** Set once the user interrupts: stacks not yet started are not started. */
    readonly interrupted: () => boolean;
    /** Whether to draw progress (on stderr). */
    readonly progress: boolean;
}

/** A wave's outcome. */
export type WaveStatus = "succeeded" | "failed" | "interrupted" | "not started";

/** One wave of an `up`. */
export interface WaveResult {
    /** The wave's name. */
    readonly name: string;
    /** Its selector. */
    readonly selector: string;
    /** How it ended: it succeeded only if every one of its stacks did. */
    readonly status: WaveStatus;
    /** Each of its stacks. */
    readonly stacks: readonly StackResult[];
    /** Its soak, when it has one and its stacks succeeded. @default absent */
    readonly soak?: SoakResult;
    /** Its gate, when it has one and its soak passed. @default absent */
    readonly gate?: GateResult;
    /**
     * Why the wave failed, when it was not (only) its stacks' errors: its timeout, its soak, its gate;
     * one line, e.g. `its timeout of 30m was reached during its soak`. @default absent
     */
    readonly failure?: string;
}

/** The outcome of `up`: every wave, in order. */
export interface RolloutResult {
    /** `succeeded` when every wave did; `failed` at the first failed wave; `interrupted` on Ctrl-C. */
    readonly status: "succeeded" | "failed" | "interrupted";
    /** Every wave, those not started included. */
    readonly waves: readonly WaveResult[];
}

/** The outcome of `preview`: every stack. */
export interface PreviewResult {
    /** `succeeded` when every stack previewed; `failed` if any did not; `interrupted` on Ctrl-C. */
    readonly status: "succeeded" | "failed" | "interrupted";
    /** Every stack, in plan order. */
    readonly stacks: readonly StackResult[];
}

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

/** One wave: its stacks, its soak and its gate, within its timeout. */
async function runWave(wave: PlannedWave, runner: StackRunner, options: RunOptions, checks: WaveChecks): Promise<WaveResult> {
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

function notStarted(stack: PlannedStack): StackResult {
    return { stack: stack.name, status: "not started", clusters: [], outside: [], failedClusters: [] };
}

/**
 * Runs stacks through the runner with listr2 (its concurrency limit and its per-stack progress). No
 * stack starts once `cancel` is aborted (the wave's timeout); the runner cancels those running.
 */
async function runStacks(title: string, stacks: readonly PlannedStack[], runner: StackRunner, options: RunOptions, stopOnFailure: boolean, cancel?: AbortSignal): Promise<StackResult[]> {
    const results = new Map<string, StackResult>();
    let failed = false;
    const tasks: ListrTask[] = stacks.map((stack) => ({
        title: stackTitle(stack),
        task: async (_ctx, task) => {
            if (options.interrupted() || (stopOnFailure && failed) || cancel?.aborted) {
                results.set(stack.name, notStarted(stack));
                task.skip(`${stackTitle(stack)}: not started`);
                return;
            }
            const outcome = await runner(stack, (line) => (task.output = line), cancel);
            const result = toResult(stack, outcome);
            results.set(stack.name, result);
            if (result.status === "failed") failed = true;
            const n = result.clusters.filter(changed).length;
            task.title = `${stackTitle(stack)}: ${result.status}${result.status === "changed" ? ` (${n} cluster${n === 1 ? "" : "s"})` : ""}`;
            if (result.status === "failed" || result.status === "cancelled") throw new Error(result.error ?? result.status);
        },
    }));
    await runList([{ title, task: (_ctx, task) => task.newListr(tasks, { concurrent: options.concurrency, exitOnError: false }) }], options);
    return stacks.map((s) => results.get(s.name) ?? notStarted(s));
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

/** Runs listr2 tasks with the command's progress display, on stderr. */
async function runList(tasks: ListrTask[], options: RunOptions): Promise<void> {
    // Progress goes to stderr, so stdout keeps only the result (a table, or JSON for --json).
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one logger serves both renderers' level enums
    const logger = new ListrLogger<any>({ processOutput: new ProcessOutput(process.stderr, process.stderr), toStderr: Object.values(ListrLogLevels) });
    const list = new Listr(tasks, {
        renderer: options.progress ? "default" : "silent",
        rendererOptions: { logger, collapseSubtasks: false, collapseErrors: false },
        fallbackRenderer: "simple",
        fallbackRendererOptions: { logger },
        fallbackRendererCondition: () => !process.stderr.isTTY,
        silentRendererCondition: () => !options.progress,
        exitOnError: false,
        registerSignalListeners: false,
    });
    await list.run().catch(() => undefined);
}

function stackTitle(stack: PlannedStack): string {
    return `stack ${stack.name} (${stack.clusters.map((c) => c.name).join(", ")})`;
}

function toResult(stack: PlannedStack, outcome: StackOutcome): StackResult {
    if (outcome.error !== undefined) {
        const failedClusters = outcome.failedClusters && outcome.failedClusters.length > 0 ? outcome.failedClusters : stack.clusters.map((c) => c.name);
        return {
            stack: stack.name,
            status: outcome.cancelled ? "cancelled" : "failed",
            clusters: outcome.clusters,
            outside: outcome.outside,
            failedClusters: outcome.cancelled ? [] : failedClusters,
            error: outcome.error,
        };
    }
    const anyChange = outcome.clusters.some(changed) || outcome.outside.length > 0;
    return { stack: stack.name, status: anyChange ? "changed" : "unchanged", clusters: outcome.clusters, outside: outcome.outside, failedClusters: [] };
}
