/**
 * The real parts the end-to-end tests drive: the toolchain's `pulumi` and `kubectl`, the local fleet of
 * kwok clusters, and one Pulumi stack per scenario on a local file backend.
 */
import { EngineEvent, LocalWorkspace, OpType, PulumiCommand, Stack, StepEventMetadata } from "@pulumi/pulumi/automation";
import { ChildProcess, execFileSync, spawn } from "child_process";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EnginePhases, startSpan, timed } from "./timing";

export const ROOT = path.resolve(__dirname, "../..");
const PROGRAM_DIR = path.join(__dirname, "program");

/** The fleet's clusters as the program names them, and the local kwok cluster behind each. */
export const CLUSTERS = { "us-east-1": "fleet-1", "eu-west-1": "fleet-2", "eu-central-1": "fleet-3" } as const;
export type Cluster = keyof typeof CLUSTERS;
export const ALL_CLUSTERS = Object.keys(CLUSTERS) as Cluster[];
export const EU_CLUSTERS: Cluster[] = ["eu-west-1", "eu-central-1"];

/** The workloads the program puts in every cluster: those that read app-config, and one that does not. */
export const CONSUMERS = [
    { kind: "deployment", name: "web" },
    { kind: "deployment", name: "worker" },
    { kind: "statefulset", name: "db" },
    { kind: "daemonset", name: "agent" },
] as const;

let cachedEnv: Record<string, string> | undefined;

/**
 * The environment of scripts/pulumi-env.sh (the toolchain first on PATH, Pulumi fully offline), with a
 * fresh file backend of its own under the system temp dir, so no run sees another's stacks.
 */
export function pulumiEnv(name: string, passphrase: string): Record<string, string> {
    const out = execFileSync("bash", ["-c", "source scripts/pulumi-env.sh >&2 && env -0"], { cwd: ROOT, encoding: "utf8" });
    const vars = Object.fromEntries(
        out
            .split("\0")
            .filter(Boolean)
            .map((line) => [line.slice(0, line.indexOf("=")), line.slice(line.indexOf("=") + 1)]),
    );
    const backend = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-state-`));
    return { ...vars, PULUMI_BACKEND_URL: `file://${backend}`, PULUMI_CONFIG_PASSPHRASE: passphrase };
}

/**
 * The environment every e2e command runs with. The scenarios' programs are type-checked once, by
 * `npm run typecheck` (tsconfig.json includes tests/), so their stacks compile them without checking
 * again, as the rollout command runs a fleet's stacks: about 7 s of CPU saved on each of some 60
 * previews and ups. The rollout and explain suites take {@link pulumiEnv} without it, so the command's
 * own type-check still runs there.
 */
export function env(): Record<string, string> {
    cachedEnv ??= { ...pulumiEnv("fleet-e2e", "e2e-only-passphrase"), PULUMI_NODEJS_TRANSPILE_ONLY: process.env.PULUMI_NODEJS_TRANSPILE_ONLY ?? "true" };
    return cachedEnv;
}

/** The toolchain's `pulumi`, for the Automation API (which would otherwise look only on this process's PATH). */
export function pulumiCommand(vars: Record<string, string>): Promise<PulumiCommand> {
    const binDir = vars.PATH.split(":")[0];
    return PulumiCommand.get({ root: path.dirname(binDir) });
}

/**
 * Removes the stack settings files (`Pulumi.<stack>.yaml`) from a program's folder: an earlier
 * scenario's (another backend, another salt) must not leak into the next one.
 */
export function removeStackSettings(program: string): void {
    for (const f of fs.readdirSync(program)) if (/^Pulumi\..+\.yaml$/.test(f)) fs.rmSync(path.join(program, f));
}

/** Runs a command with {@link env}; returns its stdout, or throws with its stderr. */
export function run(command: string, args: string[]): string {
    return execFileSync(command, args, { encoding: "utf8", env: env(), stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
}

/** Starts the three local clusters (idempotent) and waits until each answers. */
export function ensureFleet(): void {
    timed("fleet", "up 3", () => execFileSync(path.join(ROOT, "scripts/fleet"), ["up", "3"], { env: env(), stdio: ["ignore", "inherit", "inherit"] }));
}

/** Where `scripts/fleet` writes the clusters' kubeconfigs. */
export function kubeconfigDir(): string {
    return run(path.join(ROOT, "scripts/fleet"), ["kubeconfig-dir"]).trim();
}

/** `kubectl` against one cluster, as a user would check it. */
export function kubectl(cluster: Cluster, ...args: string[]): string {
    return run("kubectl", ["--kubeconfig", path.join(kubeconfigDir(), `${CLUSTERS[cluster]}.yaml`), "--request-timeout=10s", ...args]);
}

/** `kubectl get -o json`, parsed; undefined when the object does not exist. */
export function kubectlGet(cluster: Cluster, namespace: string, kind: string, name: string): any {
    try {
        return JSON.parse(kubectl(cluster, "-n", namespace, "get", kind, name, "-o", "json"));
    } catch (err) {
        if (/NotFound|not found/.test(String((err as { stderr?: string }).stderr ?? err))) return undefined;
        throw err;
    }
}

/** What one run of the engine did, step by step. */
export interface EngineRun {
    /** Every resource step the engine reported. */
    readonly steps: StepEventMetadata[];
    /** Warnings and errors the engine printed. */
    readonly diagnostics: string[];
    /** The CLI's whole output. */
    readonly stdout: string;
}

/** The names of the resources a run did `op` to (any change when `op` is omitted). */
export function touched(result: EngineRun, op?: OpType): string[] {
    const changes = result.steps.filter((s) => (op ? s.op === op : !["same", "read", "refresh"].includes(s.op)));
    return [...new Set(changes.map((s) => s.urn.split("::").pop()!))].sort();
}

/** One scenario's own stack of the e2e program, in its own namespace of every cluster. */
export class Scenario {
    private constructor(
        readonly name: string,
        readonly namespace: string,
        readonly stack: Stack,
    ) {}

    /**
     * Creates the scenario's stack with its config, after clearing anything an earlier crashed run left.
     * `programDir` picks another program than tests/e2e/program.
     */
    static async create(name: string, config: Record<string, string> = {}, programDir: string = PROGRAM_DIR): Promise<Scenario> {
        const namespace = `e2e-${name}`;
        timed("clear", "namespace left by an earlier run", () => {
            for (const cluster of ALL_CLUSTERS) {
                kubectl(cluster, "delete", "namespace", namespace, "--ignore-not-found", "--wait=true", "--timeout=120s");
            }
        });
        const stack = await LocalWorkspace.createOrSelectStack(
            { stackName: name, workDir: programDir },
            { envVars: env(), pulumiCommand: await pulumiCommand(env()) },
        );
        await stack.setAllConfig({
            namespace: { value: namespace },
            kubeconfigDir: { value: kubeconfigDir() },
            ...Object.fromEntries(Object.entries(config).map(([k, v]) => [k, { value: v }])),
        });
        return new Scenario(name, namespace, stack);
    }

    async setConfig(key: string, value: string | undefined): Promise<void> {
        if (value === undefined) await this.stack.removeConfig(key);
        else await this.stack.setConfig(key, { value });
    }

    async preview(opts: { refresh?: boolean; expectNoChanges?: boolean } = {}): Promise<EngineRun> {
        return this.engine("preview", (onEvent) => this.stack.preview({ ...opts, onEvent }));
    }

    async up(opts: { refresh?: boolean; expectNoChanges?: boolean; continueOnError?: boolean } = {}): Promise<EngineRun> {
        return this.engine("up", (onEvent) => this.stack.up({ ...opts, onEvent }));
    }

    /** Like {@link up}, but returns the failure instead of throwing it. */
    async upFailing(opts: { continueOnError?: boolean } = {}): Promise<EngineRun & { error: string }> {
        return this.failing("up", (onEvent) => this.stack.up({ ...opts, onEvent }));
    }

    /** Like {@link preview}, but returns the failure instead of throwing it. */
    async previewFailing(): Promise<EngineRun & { error: string }> {
        return this.failing("preview", (onEvent) => this.stack.preview({ onEvent }));
    }

    async destroy(): Promise<EngineRun> {
        return this.engine("destroy", (onEvent) => this.stack.destroy({ onEvent }));
    }

    /**
     * Clears the scenario away after it ends, pass or fail: deletes its namespace in every cluster, and
     * its stack. Every program of the suite puts nothing but its namespace outside that namespace, so
     * deleting it takes all the scenario made, without waiting as a destroy does (about 14 s a
     * scenario). `pulumi destroy` is proven on its own, by the fleet suite's "destroy" scenario.
     */
    async dispose(): Promise<void> {
        const span = startSpan("clear", "namespace and stack");
        for (const cluster of ALL_CLUSTERS) {
            try {
                kubectl(cluster, "delete", "namespace", this.namespace, "--ignore-not-found", "--wait=false");
            } catch {
                // A cluster a scenario stopped is cleared when the next scenario of this name starts.
            }
        }
        await this.stack.workspace.removeStack(this.name, { force: true });
        span.end();
    }

    /** Each resource's inputs and outputs in the stack's state, by URN (a digest, so no secret is printed). */
    async state(): Promise<Record<string, string>> {
        const resources: { urn: string; inputs?: unknown; outputs?: unknown }[] = (await this.stack.exportStack()).deployment.resources;
        return Object.fromEntries(
            resources.map((r) => [r.urn, createHash("sha256").update(JSON.stringify([r.inputs, r.outputs])).digest("hex").slice(0, 16)]),
        );
    }

    /** What the suite prints for each scenario: what changed and what it observed. */
    report(line: string): void {
        console.log(`      [${this.name}] ${line}`);
    }

    private async failing(what: string, go: (onEvent: (e: EngineEvent) => void) => Promise<unknown>): Promise<EngineRun & { error: string }> {
        const collected = collector(what);
        try {
            await go(collected.onEvent);
        } catch (err) {
            const error = String((err as Error).message ?? err);
            return { ...collected.result(error), error };
        }
        throw new Error(`expected pulumi ${what} to fail, but it succeeded`);
    }

    private async engine(what: string, go: (onEvent: (e: EngineEvent) => void) => Promise<{ stdout: string }>): Promise<EngineRun> {
        const collected = collector(what);
        const { stdout } = await go(collected.onEvent);
        return collected.result(stdout);
    }
}

function collector(what: string) {
    const steps: StepEventMetadata[] = [];
    const diagnostics: string[] = [];
    const span = startSpan("engine", what);
    const phases = new EnginePhases();
    return {
        onEvent(event: EngineEvent) {
            phases.saw(event);
            if (event.resourcePreEvent) steps.push(event.resourcePreEvent.metadata);
            if (event.diagnosticEvent && ["warning", "error"].includes(event.diagnosticEvent.severity)) {
                diagnostics.push(`${event.diagnosticEvent.severity}: ${event.diagnosticEvent.urn ?? ""} ${event.diagnosticEvent.message}`);
            }
        },
        result(stdout: string): EngineRun {
            span.end(phases.parts());
            return { steps, diagnostics, stdout };
        },
    };
}

/** The rollout revision of a workload: a Deployment's revision annotation, or the controller revision of a StatefulSet or DaemonSet. */
export function revisionOf(cluster: Cluster, namespace: string, kind: string, name: string): string {
    const obj = kubectlGet(cluster, namespace, kind, name);
    if (!obj) return "absent";
    if (kind === "deployment") return obj.metadata.annotations?.["deployment.kubernetes.io/revision"] ?? "?";
    if (kind === "statefulset") return obj.status?.updateRevision ?? "?";
    const revisions = JSON.parse(kubectl(cluster, "-n", namespace, "get", "controllerrevisions", "-l", `app=${name}`, "-o", "json")).items;
    return String(Math.max(0, ...revisions.map((r: { revision: number }) => r.revision)));
}

/** Every consumer's revision in every cluster, as `cluster/kind/name` → revision. */
export function revisions(namespace: string, workloads: readonly { kind: string; name: string }[] = [...CONSUMERS, { kind: "deployment", name: "static" }]): Record<string, string> {
    const result: Record<string, string> = {};
    for (const cluster of ALL_CLUSTERS) {
        for (const w of workloads) result[`${cluster}/${w.kind}/${w.name}`] = revisionOf(cluster, namespace, w.kind, w.name);
    }
    return result;
}

/** What one run of the rollout command gave: its exit code, its output, and stdout parsed when it is JSON. */
export interface CliRun {
    readonly code: number | null;
    readonly stdout: string;
    readonly stderr: string;
    readonly json: any;
}

/**
 * Starts the rollout command as a user runs the installed bin (`npx fleet-rollout …`): the compiled
 * `dist/rollout-cli/main.js`, which `npm run test:e2e` builds first (and which refuses to run if
 * lib/ changed since). `done` settles when it exits; `stderr` gives what it has printed so far (its
 * progress).
 */
export function startRollout(vars: Record<string, string>, args: readonly string[]): { child: ChildProcess; done: Promise<CliRun>; stderr: () => string } {
    const child = spawn(process.execPath, [path.join(ROOT, "dist/rollout-cli/main.js"), ...args], {
        cwd: ROOT,
        env: vars,
        stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout!.on("data", (d) => (stdout += d));
    child.stderr!.on("data", (d) => (stderr += d));
    const span = startSpan("cli", args[0]);
    const done = new Promise<CliRun>((resolve) =>
        child.on("close", (code) => {
            let json: any;
            try {
                json = JSON.parse(stdout);
            } catch {
                json = undefined;
            }
            span.end(cliParts(stderr, json));
            resolve({ code, stdout, stderr, json });
        }),
    );
    return { child, done, stderr: () => stderr };
}

/**
 * What a rollout command's own output says of its time: the one type-check, and each wave's soak and
 * gate. The rest of its time is its engine runs.
 */
function cliParts(stderr: string, json: any): Record<string, number> {
    const typeCheck = Number(stderr.match(/type-checked the program once \(\d+ files?, ([\d.]+) s\)/)?.[1] ?? 0) * 1000;
    const waves: any[] = Array.isArray(json?.waves) ? json.waves : [];
    const soak = waves.reduce((n, w) => n + (w.soak?.elapsedMs ?? 0), 0);
    const gate = waves.reduce((n, w) => n + (w.gate?.elapsedMs ?? 0), 0);
    return { typeCheck, soak, gate };
}
