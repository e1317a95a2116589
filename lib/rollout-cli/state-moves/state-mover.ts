/**
 * Makes a plan's moves with the engine's own state operations: `pulumi state move` takes a cluster's
 * resources (and their children) from one stack's state to another's, copying the providers they
 * use; `pulumi state delete` then removes the cluster's providers, which nothing uses any more, from
 * the stack it left. No state file is edited by hand, and no cluster is contacted.
 */
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { execFile } from "child_process";
import { boundedList } from "../../errors/bounded-list";
import { errorTail } from "../run/error-tail";
import { ClusterMove, LeftProviders, movesByStacks, StateMovePlan } from "./move-plan";

/** The two state operations a move takes; {@link PulumiStateOperations} runs them, tests stand in. */
export interface StateOperations {
    /** Moves the resources `urns` (URNs in `from`), with their children, from `from`'s state to `to`'s. */
    move(from: string, to: string, urns: readonly string[]): Promise<void>;
    /** Removes the resources `urns` from `stack`'s state, changing nothing in any cluster. */
    remove(stack: string, urns: readonly string[]): Promise<void>;
}

/** What {@link applyStateMoves} did, and where it stopped if it failed. */
export interface StateMoveResult {
    /** The clusters moved, in order. */
    readonly moved: readonly ClusterMove[];
    /** The providers left behind by an earlier move that were removed. */
    readonly removed: readonly LeftProviders[];
    /** Why it stopped, naming the stacks; absent when every move was made. */
    readonly error?: string;
}

/**
 * Makes the moves: first removes the providers an earlier move left behind, then, for each pair of
 * stacks, moves its clusters' resources in one operation and removes their providers from the stack
 * they left. Stops at the first failure: a run of the same command plans again from the states, so
 * it makes only what is left (a move the engine made is not made again; a provider it left is removed).
 */
export async function applyStateMoves(plan: StateMovePlan, ops: StateOperations, progress: (line: string) => void = () => undefined): Promise<StateMoveResult> {
    const moved: ClusterMove[] = [];
    const removed: LeftProviders[] = [];
    const resume = "Nothing has run; run the same command again to finish the moves (those made are not made again)";
    for (const left of plan.leftovers) {
        try {
            await ops.remove(left.stack, left.providers);
            removed.push(left);
        } catch (err) {
            return { moved, removed, error: `removing the provider of cluster ${left.cluster} that an earlier move left in stack ${left.stack} failed: ${errorTail(err)}. ${resume}` };
        }
    }
    for (const group of movesByStacks(plan.moves)) {
        const clusters = group.moves.map((m) => m.cluster);
        progress(`moving ${boundedList(clusters)} from stack ${group.from} to stack ${group.to}`);
        try {
            await ops.move(group.from, group.to, unique(group.moves.flatMap((m) => m.resources)));
        } catch (err) {
            return { moved, removed, error: `moving clusters ${boundedList(clusters)} from stack ${group.from} to stack ${group.to} failed: ${errorTail(err)}. ${resume}` };
        }
        try {
            await ops.remove(group.from, unique(group.moves.flatMap((m) => m.providers)));
        } catch (err) {
            return { moved: [...moved, ...group.moves], removed, error: `clusters ${boundedList(clusters)} moved to stack ${group.to}, but removing their providers from stack ${group.from} failed: ${errorTail(err)}. ${resume}` };
        }
        moved.push(...group.moves);
    }
    return { moved, removed };
}

/** How long one state operation may take: it reads and writes two states, no cluster. */
const STATE_OPERATION_TIMEOUT_MS = 10 * 60 * 1000;

/**
 * Runs the state operations with the `pulumi` the Automation API uses, in the project directory (a
 * destination stack without a secrets manager gets one there), with the workspace's environment.
 */
export class PulumiStateOperations implements StateOperations {
    private command: Promise<string> | undefined;

    constructor(
        private readonly workDir: string,
        private readonly envVars: Readonly<Record<string, string>> = {},
    ) {}

    async move(from: string, to: string, urns: readonly string[]): Promise<void> {
        await this.run(["state", "move", "--source", from, "--dest", to, "--yes", ...urns]);
    }

    async remove(stack: string, urns: readonly string[]): Promise<void> {
        // Providers nothing uses any more: `state delete` refuses any resource something still depends on.
        if (urns.length > 0) await this.run(["state", "delete", "--stack", stack, "--yes", ...urns]);
    }

    private async run(args: readonly string[]): Promise<string> {
        this.command ??= LocalWorkspace.create({ workDir: this.workDir, envVars: { ...this.envVars } }).then((w) => w.pulumiCommand.command);
        const command = await this.command;
        return new Promise((resolve, reject) =>
            execFile(
                command,
                [...args, "--non-interactive", "--color", "never"],
                { cwd: this.workDir, env: { ...process.env, ...this.envVars }, maxBuffer: 64 * 1024 * 1024, timeout: STATE_OPERATION_TIMEOUT_MS },
                (error, stdout, stderr) => (error ? reject(new Error(`pulumi ${args.slice(0, 2).join(" ")}: ${(stderr || stdout || error.message).trim()}`)) : resolve(stdout)),
            ),
        );
    }
}

function unique(items: readonly string[]): string[] {
    return [...new Set(items)];
}
