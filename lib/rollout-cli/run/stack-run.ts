/**
 * Runs stacks through a {@link StackRunner}, `concurrency` at a time, with each stack's progress on
 * stderr (listr2), and turns each outcome into a {@link StackResult}.
 */
import { Listr, ListrLogger, ListrLogLevels, ListrTask, ProcessOutput } from "listr2";
import { changed } from "../review/changes";
import { PlannedStack } from "../plan/plan";
import type { RunOptions, StackOutcome, StackResult, StackRunner } from "./run-types";

/** A stack that did not start. */
export function notStarted(stack: PlannedStack): StackResult {
    return { stack: stack.name, status: "not started", clusters: [], outside: [], failedClusters: [] };
}

/**
 * Runs stacks through the runner with listr2 (its concurrency limit and its per-stack progress). No
 * stack starts once `cancel` is aborted (the wave's timeout); the runner cancels those running.
 */
export async function runStacks(title: string, stacks: readonly PlannedStack[], runner: StackRunner, options: RunOptions, stopOnFailure: boolean, cancel?: AbortSignal): Promise<StackResult[]> {
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

/** Runs listr2 tasks with the command's progress display, on stderr. */
export async function runList(tasks: ListrTask[], options: RunOptions): Promise<void> {
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
