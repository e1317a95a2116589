/**
 * What a run over many stacks is and returns: the options, the runner of one stack, a wave's checks,
 * and each stack's and wave's result. A file of its own, so that run.ts, stack-run.ts and wave-run.ts
 * share these types without importing each other in a circle.
 */
import { ClusterChanges, ResourceChange } from "../review/changes";
import { GateResult } from "../gate/gate-command";
import { PlannedStack, PlannedWave } from "../plan/plan";
import { SoakResult } from "../soak/soak-verdict";

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
