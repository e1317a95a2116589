import { EngineEvent, LocalWorkspace, Stack, StepEventMetadata } from "@pulumi/pulumi/automation";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { SELECTION_CONFIG_KEY } from "../../fleet/fleet-selection";
import { projectName } from "../pulumi-project";
import { atMost } from "./at-most";
import { clusterOfStep, clusterProviders, FLEET_TYPE } from "../review/attribution";
import { clusterChanges } from "../review/changes";
import { PlannedStack } from "../plan/plan";
import { StackOutcome, StackRunner } from "./run";

/** Where the program is and how its stacks run. */
export interface EngineOptions {
    /** The Pulumi project directory (where `Pulumi.yaml` is). */
    readonly workDir: string;
    /**
     * The config every stack runs with besides its `fleetSelection`: the fleet file's `config`, then
     * `preview --config`. It is handed to each run in a temporary config file and never written to the
     * stack's settings file, so a preview changes nothing and every checkout runs the same config.
     */
    readonly config: Readonly<Record<string, string>>;
    /** Refresh each stack's state from its clusters first (`--refresh`). */
    readonly refresh: boolean;
    /** The region of a cluster, for a cluster the plan does not give the stack whose steps name it. */
    readonly regionOf?: (cluster: string) => string;
}

/** How long after Ctrl-C a stack's `pulumi` has to report that it is cancelling before it is sent SIGINT itself. */
const CANCEL_GRACE_MS = 1000;

/**
 * Runs previews and ups of shard stacks through the Automation API: one `LocalWorkspace` of the one
 * program, each stack created or selected in it, the stack's selector written to its config, and the
 * engine's event stream read for progress and per-cluster changes.
 */
export class Engine {
    private readonly running = new Map<string, { abort: AbortController; cancelling: boolean }>();
    private readonly stacks = new Map<string, Stack>();
    private readonly workspaces = new Map<string, Promise<LocalWorkspace>>();
    private interruptedAt: number | undefined;
    private configDir: string | undefined;

    constructor(private readonly options: EngineOptions) {}

    /** Whether {@link interrupt} was called. */
    interrupted(): boolean {
        return this.interruptedAt !== undefined;
    }

    /**
     * Cancels every running stack as `pulumi` cancels on its own Ctrl-C: it starts no new step, cancels
     * the steps in flight (a Deployment's wait for readiness is abandoned, not waited out; what was
     * already sent to a cluster stays there), saves the state and exits, within seconds (1.2 s in a
     * real run whose canary Deployment never became ready). A later run converges: it takes up the
     * cancelled steps again. Under a terminal, Ctrl-C already reached every `pulumi` of the process
     * group, and a second SIGINT would make it terminate at once, without saving what it was doing;
     * so a stack is sent SIGINT only if its `pulumi` has not reported cancelling within a second (as
     * when only this process was signalled, `kill -INT`).
     */
    interrupt(): void {
        if (this.interruptedAt !== undefined) return;
        this.interruptedAt = Date.now();
        setTimeout(() => {
            for (const run of this.running.values()) if (!run.cancelling) run.abort.abort();
        }, CANCEL_GRACE_MS).unref();
    }

    /**
     * Creates or selects every stack of the plan, before any of them runs. Nothing is written to the
     * stacks' config: each run gets its config from {@link configFile}. Each stack's `pulumi` gets `env`
     * on top of this process's environment (the one type-check's switch).
     */
    async prepare(stacks: readonly PlannedStack[], concurrency: number, env: Readonly<Record<string, string>> = {}): Promise<void> {
        const workspace = await this.workspace(env);
        await atMost(concurrency, stacks, async (next) => {
            this.stacks.set(next.name, await Stack.createOrSelect(next.name, workspace));
        });
    }

    /**
     * Selects stacks that already exist, creating none, for `drift`, which must not change anything.
     * Their config comes from {@link configFile} like every run's, so a fresh checkout checks the same;
     * `env` as for {@link prepare}.
     */
    async selectExisting(stacks: readonly PlannedStack[], concurrency: number, env: Readonly<Record<string, string>> = {}): Promise<void> {
        const workspace = await this.workspace(env);
        await atMost(concurrency, stacks, async (next) => {
            this.stacks.set(next.name, await Stack.select(next.name, workspace));
        });
    }

    /**
     * One workspace of the program for every stack run with `env`, not one per stack: creating a
     * workspace runs `pulumi version`, once per command is enough. Every run names its stack
     * (`--stack`), so the stacks share it as `pulumi` runs share a project directory.
     *
     * The workspace fetches no stack outputs: the Automation API reads them after each `up` (two more
     * `pulumi` runs per stack, one of them printing secrets in plaintext), and the rollout never uses
     * them; everything it reports comes from the engine's events.
     */
    private workspace(env: Readonly<Record<string, string>>): Promise<LocalWorkspace> {
        const key = JSON.stringify(Object.entries(env).sort());
        let workspace = this.workspaces.get(key);
        if (!workspace) {
            workspace = LocalWorkspace.create({ workDir: this.options.workDir, envVars: { ...env } }).then((w) => {
                w.stackOutputs = async () => ({});
                return w;
            });
            this.workspaces.set(key, workspace);
        }
        return workspace;
    }

    /**
     * Writes the config one run of `stack` gets to a temporary file, for `pulumi --config-file`: the
     * stack's own settings file as it is (its secrets provider and any values set with `pulumi config
     * set`), with the stack's selector and {@link EngineOptions.config} over it. Derived from committed
     * inputs alone, so a fresh checkout and a resumed rollout run exactly what the last run ran.
     */
    configFile(stack: PlannedStack): string {
        const settingsFile = path.join(this.options.workDir, `Pulumi.${stack.name}.yaml`);
        const settings = fs.existsSync(settingsFile) ? (parseYaml(fs.readFileSync(settingsFile, "utf8")) ?? {}) : {};
        const project = this.projectName();
        const qualified = (key: string) => (key.includes(":") ? key : `${project}:${key}`);
        settings.config = {
            ...(settings.config ?? {}),
            [qualified(SELECTION_CONFIG_KEY)]: stack.selector,
            ...Object.fromEntries(Object.entries(this.options.config).map(([k, v]) => [qualified(k), v])),
        };
        this.configDir ??= fs.mkdtempSync(path.join(os.tmpdir(), "fleet-rollout-config-"));
        const file = path.join(this.configDir, `Pulumi.${stack.name}.yaml`);
        fs.writeFileSync(file, stringifyYaml(settings));
        return file;
    }

    /** Removes the temporary config files. */
    dispose(): void {
        if (this.configDir) fs.rmSync(this.configDir, { recursive: true, force: true });
        this.configDir = undefined;
    }

    private projectName(): string {
        const name = projectName(this.options.workDir);
        if (name === undefined) throw new Error(`no Pulumi project in ${this.options.workDir} (Pulumi.yaml with a name)`);
        return name;
    }

    /**
     * A runner of `op` on one stack at a time, for `previewAll` and `rollOut`. When the runner's
     * `cancel` signal is aborted (the wave's timeout), the stack's `pulumi` is sent SIGINT at once and
     * cancels as on Ctrl-C ({@link interrupt}); the stack is reported `cancelled`.
     */
    runner(op: "preview" | "up"): StackRunner {
        return (stack, progress, cancel) => this.run(op, stack, progress, { cancel });
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
        extra: { refresh?: boolean; listen?: (event: EngineEvent) => void; cancel?: AbortSignal } = {},
    ): Promise<StackOutcome> {
        const steps: StepEventMetadata[] = [];
        // The Fleets' steps, whatever their op: their outputs say which provider is which cluster.
        const fleets: StepEventMetadata[] = [];
        const stepOf = new Map<string, StepEventMetadata>();
        const failedUrns: string[] = [];
        const errors: string[] = [];
        const state = { abort: new AbortController(), cancelling: false };
        this.running.set(planned.name, state);
        // The wave's timeout: nobody pressed Ctrl-C, so this SIGINT is the only one `pulumi` gets.
        const cancel = () => state.abort.abort();
        extra.cancel?.addEventListener("abort", cancel, { once: true });
        const changesOf = (from: readonly StepEventMetadata[]) => clusterChanges(planned, from, clusterProviders(fleets), this.options.regionOf);
        const onEvent = (event: EngineEvent) => {
            extra.listen?.(event);
            const pre = event.resourcePreEvent?.metadata;
            const outputs = event.resOutputsEvent?.metadata;
            for (const m of [pre, outputs]) {
                if (!m) continue;
                if (m.type === FLEET_TYPE) fleets.push(m);
                if (!stepOf.has(m.urn) || m.op !== "same") stepOf.set(m.urn, m);
            }
            if (pre) {
                if (op === "preview") steps.push(pre);
                if (pre.op !== "same") progress(`${pre.op} ${pre.urn.split("::").pop()}`);
            }
            if (op === "up" && outputs) steps.push(outputs);
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
            if (this.interrupted()) return { ...changesOf([]), error: `stack ${planned.name}: not started (interrupted)`, cancelled: true };
            if (extra.cancel?.aborted) return { ...changesOf([]), error: `stack ${planned.name}: not started (cancelled)`, cancelled: true };
            const run = { onEvent, refresh: extra.refresh ?? this.options.refresh, signal: state.abort.signal, color: "never" as const, configFile: this.configFile(planned) };
            if (op === "preview") await stack.preview(run);
            else await stack.up(run);
            return changesOf(steps);
        } catch (err) {
            const cancelled = state.cancelling || state.abort.signal.aborted || this.interrupted();
            const providers = clusterProviders(fleets);
            const clusterOf = (urn: string) => {
                const step = stepOf.get(urn);
                return step ? clusterOfStep(step, providers) : providers.get(urn);
            };
            const failedClusters = [...new Set(failedUrns.map(clusterOf).filter((c): c is string => c !== undefined))];
            const detail = errors.find((e) => !/^update failed$|^preview failed$/.test(e)) ?? lastLine(String((err as Error).message ?? err));
            const more = errors.length > 1 ? ` (and ${errors.length - 1} more)` : "";
            return { ...changesOf(steps), error: `stack ${planned.name}: ${cancelled ? "cancelled: " : ""}${detail}${more}`, failedClusters, cancelled };
        } finally {
            extra.cancel?.removeEventListener("abort", cancel);
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
