import { Listr, ListrLogger, ListrLogLevels, ListrTask, ProcessOutput } from "listr2";
import { changed, ClusterChanges, ResourceChange } from "./changes";
import { PlannedStack, RolloutPlan } from "./plan";

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
 */
export type StackRunner = (stack: PlannedStack, progress: (line: string) => void) => Promise<StackOutcome>;

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
 * Runs `up` wave by wave. A wave's stacks run `concurrency` at a time; the wave succeeds only if every
 * one of them does. At the first failed wave no further stack starts, in that wave or any later one.
 */
export async function rollOut(plan: RolloutPlan, runner: StackRunner, options: RunOptions): Promise<RolloutResult> {
    const waves: WaveResult[] = [];
    let stopped: "failed" | "interrupted" | undefined;
    for (const wave of plan.waves) {
        if (stopped || options.interrupted()) {
            stopped ??= "interrupted";
            waves.push({ name: wave.name, selector: wave.selector, status: "not started", stacks: wave.stacks.map(notStarted) });
            continue;
        }
        const stacks = await runStacks(`up, wave ${wave.name}`, wave.stacks, runner, options, true);
        const status: WaveStatus = stacks.some((s) => s.status === "failed")
            ? "failed"
            : stacks.some((s) => s.status === "cancelled" || s.status === "not started") || options.interrupted()
              ? "interrupted"
              : "succeeded";
        if (status !== "succeeded") stopped = status === "failed" ? "failed" : "interrupted";
        waves.push({ name: wave.name, selector: wave.selector, status, stacks });
    }
    return { status: stopped ?? "succeeded", waves };
}

function notStarted(stack: PlannedStack): StackResult {
    return { stack: stack.name, status: "not started", clusters: [], outside: [], failedClusters: [] };
}

/** Runs stacks through the runner with listr2 (its concurrency limit and its per-stack progress). */
async function runStacks(title: string, stacks: readonly PlannedStack[], runner: StackRunner, options: RunOptions, stopOnFailure: boolean): Promise<StackResult[]> {
    const results = new Map<string, StackResult>();
    let failed = false;
    const tasks: ListrTask[] = stacks.map((stack) => ({
        title: stackTitle(stack),
        task: async (_ctx, task) => {
            if (options.interrupted() || (stopOnFailure && failed)) {
                results.set(stack.name, notStarted(stack));
                task.skip(`${stackTitle(stack)}: not started`);
                return;
            }
            const outcome = await runner(stack, (line) => (task.output = line));
            const result = toResult(stack, outcome);
            results.set(stack.name, result);
            if (result.status === "failed") failed = true;
            const n = result.clusters.filter(changed).length;
            task.title = `${stackTitle(stack)}: ${result.status}${result.status === "changed" ? ` (${n} cluster${n === 1 ? "" : "s"})` : ""}`;
            if (result.status === "failed" || result.status === "cancelled") throw new Error(result.error ?? result.status);
        },
    }));
    // Progress goes to stderr, so stdout keeps only the result (a table, or JSON for --json).
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- one logger serves both renderers' level enums
    const logger = new ListrLogger<any>({ processOutput: new ProcessOutput(process.stderr, process.stderr), toStderr: Object.values(ListrLogLevels) });
    const list = new Listr([{ title, task: (_ctx, task) => task.newListr(tasks, { concurrent: options.concurrency, exitOnError: false }) }], {
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
    return stacks.map((s) => results.get(s.name) ?? notStarted(s));
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
