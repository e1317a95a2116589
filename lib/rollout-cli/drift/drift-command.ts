/**
 * `fleet-rollout drift`: a refreshed preview of every shard stack, `--concurrency` at a time, through
 * the same machinery as `preview` (engine.ts, run.ts), reported per cluster (drift.ts). It selects
 * existing stacks as they are and runs no update: it changes nothing, in the clusters, the state or
 * the stacks' config.
 */
import type { EngineEvent, StepEventMetadata } from "@pulumi/pulumi/automation";
import { Invocation } from "../arguments";
import { FLEET_TYPE } from "../review/attribution";
import { readDeployedStacks } from "../explain/deployed-stacks";
import { clusterDrift, driftJson, driftResult, RefreshedPreview, renderDrift } from "./drift";
import { Engine } from "../run/engine";
import { errorTail } from "../run/error-tail";
import { EXIT } from "../exit-codes";
import { RolloutPlan } from "../plan/plan";
import { FleetShape } from "../review/fleet-shape";
import { previewAll, RunOptions } from "../run/run";
import { ProgramCheck } from "../type-check/type-check-once";

/** Where `drift` runs and writes to. */
export interface DriftContext {
    /** The Pulumi project directory of the program. */
    readonly workDir: string;
    /** The engine; `drift` only selects stacks and previews them. */
    readonly engine: Engine;
    /** Concurrency, interruption and progress, as for `preview`. */
    readonly options: RunOptions;
    /** Writes to stdout. */
    readonly print: (text: string) => void;
    /** Writes to stderr. */
    readonly error: (text: string) => void;
    /** The fleet, for naming whole regions. */
    readonly shape: Pick<FleetShape, "regions">;
    /** The one type-check of the program, run once every stack is known to be deployed. */
    readonly checkProgram: () => Promise<ProgramCheck>;
}

/**
 * Runs `drift`; resolves to its exit code: 0 in sync, 3 drifted, 1 when a stack could not be checked,
 * 130 when interrupted, 2 when the program does not type-check. Throws a `PlanError` (exit 2) before
 * any preview when a stack was never deployed. Each stack's config is derived as for every run, so a
 * fresh checkout checks the same.
 */
export async function drift(invocation: Invocation, plan: RolloutPlan, context: DriftContext): Promise<number> {
    await readDeployedStacks(context.workDir, plan.stacks, invocation.concurrency);
    const checked = await context.checkProgram();
    if ("exit" in checked) return checked.exit;
    try {
        await context.engine.selectExisting(plan.stacks, invocation.concurrency, checked.env);
    } catch (err) {
        context.error(`fleet-rollout: error: could not select the stacks; nothing was run: ${errorTail(err)}\n`);
        return EXIT.failed;
    }
    const seen = new Map<string, RefreshedPreview & { refreshed: StepEventMetadata[]; planned: StepEventMetadata[]; fleets: StepEventMetadata[] }>(
        plan.stacks.map((s) => [s.name, { refreshed: [], planned: [], fleets: [] }]),
    );
    const listen = (stack: { name: string }, event: EngineEvent) => {
        const into = seen.get(stack.name)!;
        const outputs = event.resOutputsEvent?.metadata;
        if (outputs?.op === "refresh") into.refreshed.push(outputs);
        const pre = event.resourcePreEvent?.metadata;
        if (pre && pre.op !== "refresh") into.planned.push(pre);
        for (const m of [pre, outputs]) if (m?.type === FLEET_TYPE) into.fleets.push(m);
    };
    const previews = await previewAll(plan, context.engine.refreshedPreviewRunner(listen), context.options);
    const result = driftResult(
        plan.stacks.map((stack, i) => ({ stack, result: previews.stacks[i], drift: clusterDrift(stack, seen.get(stack.name) as RefreshedPreview) })),
        previews.status === "interrupted",
    );
    context.print(invocation.json ? JSON.stringify(driftJson(result), null, 2) + "\n" : renderDrift(result, context.shape, { byCluster: invocation.byCluster }));
    return { "in sync": EXIT.ok, drifted: EXIT.drifted, failed: EXIT.failed, interrupted: EXIT.interrupted }[result.status];
}
