import { EngineEvent, LocalWorkspace, Stack, StepEventMetadata } from "@pulumi/pulumi/automation";
import { SELECTION_CONFIG_KEY } from "../fleet-selection";
import { atMost } from "./at-most";
import { clusterChanges, clusterOfUrn } from "./changes";
import { PlannedStack } from "./plan";
import { StackOutcome, StackRunner } from "./run";

/** Where the program is and how its stacks run. */
export interface EngineOptions {
    /** The Pulumi project directory (where `Pulumi.yaml` is). */
    readonly workDir: string;
    /** Config set on every stack before it runs (`--config key=value`), besides its `fleetSelection`. */
    readonly config: Readonly<Record<string, string>>;
    /** Refresh each stack's state from its clusters first (`--refresh`). */
    readonly refresh: boolean;
}

/** How long after Ctrl-C a stack's `pulumi` has to report that it is cancelling before it is sent SIGINT itself. */
const CANCEL_GRACE_MS = 1000;

/**
 * Runs previews and ups of shard stacks through the Automation API: `LocalWorkspace.createOrSelectStack`
 * on the one program, the stack's selector written to its config, and the engine's event stream read
 * for progress and per-cluster changes.
 */
export class Engine {
    private readonly running = new Map<string, { abort: AbortController; cancelling: boolean }>();
    private readonly stacks = new Map<string, Stack>();
    private interruptedAt: number | undefined;

    constructor(private readonly options: EngineOptions) {}

    /** Whether {@link interrupt} was called. */
    interrupted(): boolean {
        return this.interruptedAt !== undefined;
    }

    /**
     * Stops every running stack cleanly, as `pulumi` does on Ctrl-C: it finishes the steps in flight,
     * saves the state and exits, so a later run converges. Under a terminal, Ctrl-C already reached
     * every `pulumi` of the process group, and a second SIGINT would make it terminate at once, which
     * can orphan resources; so a stack is sent SIGINT only if its `pulumi` has not reported cancelling
     * within a second (as when only this process was signalled, `kill -INT`).
     */
    interrupt(): void {
        if (this.interruptedAt !== undefined) return;
        this.interruptedAt = Date.now();
        setTimeout(() => {
            for (const run of this.running.values()) if (!run.cancelling) run.abort.abort();
        }, CANCEL_GRACE_MS).unref();
    }

    /**
     * Creates or selects every stack of the plan and writes its config (its selector and `--config`),
     * before any of them runs. So the config of a rollout is recorded on every stack, those of waves
     * that never start included: a re-run without `--config` resumes the same change.
     */
    async prepare(stacks: readonly PlannedStack[], concurrency: number): Promise<void> {
        await atMost(concurrency, stacks, async (next) => {
            const stack = await LocalWorkspace.createOrSelectStack({ stackName: next.name, workDir: this.options.workDir });
            await stack.setAllConfig({
                [SELECTION_CONFIG_KEY]: { value: next.selector },
                ...Object.fromEntries(Object.entries(this.options.config).map(([k, v]) => [k, { value: v }])),
            });
            this.stacks.set(next.name, stack);
        });
    }

    /**
     * Selects stacks that already exist, as they are: their config (selector and all) is the one their
     * last rollout recorded, and nothing is written. For `drift`, which must not change anything.
     * Resolves to each stack's `fleetSelection` config, undefined where it has none.
     */
    async selectExisting(stacks: readonly PlannedStack[], concurrency: number): Promise<Map<string, string | undefined>> {
        const selectors = new Map<string, string | undefined>();
        await atMost(concurrency, stacks, async (next) => {
            const stack = await LocalWorkspace.selectStack({ stackName: next.name, workDir: this.options.workDir });
            this.stacks.set(next.name, stack);
            const config = await stack.getAllConfig();
            const key = Object.keys(config).find((k) => k === SELECTION_CONFIG_KEY || k.endsWith(`:${SELECTION_CONFIG_KEY}`));
            selectors.set(next.name, key === undefined ? undefined : config[key].value);
        });
        return selectors;
    }

    /** A runner of `op` on one stack at a time, for `previewAll` and `rollOut`. */
    runner(op: "preview" | "up"): StackRunner {
        return (stack, progress) => this.run(op, stack, progress);
    }

    /**
     * A runner of refreshed previews (`pulumi preview --refresh`, whatever `--refresh` says) that also
     * hands every engine event of the stack to `listen`, for `drift`.
     */
    refreshedPreviewRunner(listen: (stack: PlannedStack, event: EngineEvent) => void): StackRunner {
        return (stack, progress) => this.run("preview", stack, progress, { refresh: true, listen: (event) => listen(stack, event) });
    }

    private async run(
        op: "preview" | "up",
        planned: PlannedStack,
        progress: (line: string) => void,
        extra: { refresh?: boolean; listen?: (event: EngineEvent) => void } = {},
    ): Promise<StackOutcome> {
        const steps: StepEventMetadata[] = [];
        const failedUrns: string[] = [];
        const errors: string[] = [];
        const state = { abort: new AbortController(), cancelling: false };
        this.running.set(planned.name, state);
        const onEvent = (event: EngineEvent) => {
            extra.listen?.(event);
            const pre = event.resourcePreEvent?.metadata;
            if (pre) {
                if (op === "preview") steps.push(pre);
                if (pre.op !== "same") progress(`${pre.op} ${pre.urn.split("::").pop()}`);
            }
            if (op === "up" && event.resOutputsEvent) steps.push(event.resOutputsEvent.metadata);
            if (event.resOpFailedEvent) failedUrns.push(event.resOpFailedEvent.metadata.urn);
            const diagnostic = event.diagnosticEvent;
            if (diagnostic?.severity === "error") {
                if (diagnostic.urn) failedUrns.push(diagnostic.urn);
                errors.push(`${diagnostic.urn ? `${diagnostic.urn.split("::").pop()}: ` : ""}${plain(diagnostic.message)}`);
            }
            if (event.stdoutEvent && /received; cancelling/.test(event.stdoutEvent.message)) state.cancelling = true;
        };
        try {
            const stack = this.stacks.get(planned.name);
            if (!stack) throw new Error(`stack ${planned.name} was not prepared`);
            if (this.interrupted()) return { clusters: clusterChanges(planned, []), error: `stack ${planned.name}: not started (interrupted)`, cancelled: true };
            const run = { onEvent, refresh: extra.refresh ?? this.options.refresh, signal: state.abort.signal, color: "never" as const };
            if (op === "preview") await stack.preview(run);
            else await stack.up(run);
            return { clusters: clusterChanges(planned, steps) };
        } catch (err) {
            const cancelled = state.cancelling || state.abort.signal.aborted || this.interrupted();
            const failedClusters = [...new Set(failedUrns.map((urn) => clusterOfUrn(urn, planned.clusters)?.name).filter((c): c is string => c !== undefined))];
            const detail = errors.find((e) => !/^update failed$|^preview failed$/.test(e)) ?? lastLine(String((err as Error).message ?? err));
            const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
            return { clusters: clusterChanges(planned, steps), error: `stack ${planned.name}: ${cancelled ? "cancelled: " : ""}${detail}${more}`, failedClusters, cancelled };
        } finally {
            this.running.delete(planned.name);
        }
    }
}

function plain(message: string): string {
    // eslint-disable-next-line no-control-regex
    return message.replace(/\u001b\[[0-9;]*m/g, "").replace(/<\{%reset%\}>|<\{%[a-z]+%\}>/g, "").trim().replace(/\s*\n\s*/g, " ");
}

function lastLine(message: string): string {
    const lines = plain(message).split(/(?<=\.)\s+/).filter(Boolean);
    return lines.slice(-1)[0] ?? "failed";
}
