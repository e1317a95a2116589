/**
 * Where the end-to-end suite's time goes. Every test, engine run, rollout command, fleet start and
 * clean-up appends one JSON line to `E2E_TIMING_FILE` (default `.e2e-timing/e2e.jsonl`, emptied when a
 * mocha run starts), read by `npm run test:timing` (tests/e2e/timing-report.ts).
 *
 * CPU is the whole machine's (`/proc/stat`), not this process's: the engine, the language hosts, the
 * providers and the local control planes are other processes, several of them not our children, and
 * the suite runs on a machine of its own, so the machine's busy time is the suite's.
 *
 * Loaded by mocha as a root hook plugin (tests/e2e/mocharc.json, which registers ts-node first: Node 24 would otherwise load this file as an ES module): its hooks
 * name the test each span belongs to.
 */
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");
const FILE = process.env.E2E_TIMING_FILE ?? path.join(ROOT, ".e2e-timing", "e2e.jsonl");
/** Clock ticks a second, as `/proc/stat` counts them (USER_HZ, 100 on Linux). */
const TICKS = 100;

/** What one span measured. */
export interface Span {
    /** The suite's file, relative to the repository. */
    readonly suite: string;
    /** The test's title, or `(hooks)` for time spent outside any test. */
    readonly test: string;
    /** What ran: `test`, `engine` (one preview, up or destroy), `cli` (one rollout command), `fleet` (bringing the local fleet up), `clear` (a scenario's clean-up). */
    readonly kind: "test" | "engine" | "cli" | "fleet" | "clear";
    /** For an engine run, `preview`, `up` or `destroy`; for a command, its sub-command. @default absent */
    readonly what?: string;
    readonly wallMs: number;
    /** The whole machine's busy CPU time during the span. */
    readonly cpuMs: number;
    /** The span's parts, in milliseconds, where it has some (see {@link EnginePhases}). @default absent */
    readonly parts?: Readonly<Record<string, number>>;
}

let current = { suite: "(none)", test: "(hooks)" };

/** The machine's busy CPU time so far, in milliseconds: every CPU's user, nice, system, irq, softirq and steal ticks. */
export function machineCpuMs(): number {
    const line = fs.readFileSync("/proc/stat", "utf8").split("\n", 1)[0];
    const [user, nice, system, , , irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number);
    return ((user + nice + system + irq + softirq + (steal || 0)) * 1000) / TICKS;
}

/** A running span: `end` writes it. */
export function startSpan(kind: Span["kind"], what?: string): { end(parts?: Record<string, number>): void } {
    const started = Date.now();
    const cpu = machineCpuMs();
    // A suite's before() hook runs outside any test: its spans belong to the suite file that called it.
    const at = current.test === "(hooks)" ? { suite: callerSuite() ?? current.suite, test: "(hooks)" } : { ...current };
    return {
        end(parts) {
            record({ ...at, kind, ...(what ? { what } : {}), wallMs: Date.now() - started, cpuMs: Math.round(machineCpuMs() - cpu), ...(parts ? { parts } : {}) });
        },
    };
}

/** Times a synchronous step. */
export function timed<T>(kind: Span["kind"], what: string | undefined, step: () => T): T {
    const span = startSpan(kind, what);
    try {
        return step();
    } finally {
        span.end();
    }
}

/** The test file on the call stack, if any. */
function callerSuite(): string | undefined {
    const frame = new Error().stack?.split("\n").find((l) => /tests\/e2e\/[^/]+\.test\.ts/.test(l));
    const file = frame?.match(/\(?((?:\/|[A-Za-z]:)[^:()]+\.test\.ts)/)?.[1];
    return file ? path.relative(ROOT, file) : undefined;
}

function record(span: Span): void {
    fs.mkdirSync(path.dirname(FILE), { recursive: true });
    fs.appendFileSync(FILE, `${JSON.stringify(span)}\n`);
}

/** When, in one engine run, each kind of event first and last arrived (as this process received them). */
export class EnginePhases {
    private readonly started = Date.now();
    private prelude?: number;
    private stack?: number;
    private firstProvider?: number;
    private lastProviderDone?: number;
    private firstWorkload?: number;
    private lastWorkloadDone?: number;
    private last?: number;

    /** Notes one engine event: its kind, and the resource type it is about. */
    saw(event: { preludeEvent?: unknown; resourcePreEvent?: { metadata: { type: string } }; resOutputsEvent?: { metadata: { type: string } } }): void {
        const now = Date.now();
        this.last = now;
        if (event.preludeEvent) this.prelude ??= now;
        const pre = event.resourcePreEvent?.metadata.type;
        const done = event.resOutputsEvent?.metadata.type;
        if (pre === "pulumi:pulumi:Stack") this.stack ??= now;
        if (pre?.startsWith("pulumi:providers:")) this.firstProvider ??= now;
        if (done?.startsWith("pulumi:providers:")) this.lastProviderDone = now;
        if (pre && WORKLOADS.test(pre)) this.firstWorkload ??= now;
        if (done && WORKLOADS.test(done)) this.lastWorkloadDone = now;
    }

    /**
     * The run's parts: `start` (the CLI and engine start, up to the prelude), `program` (the language
     * host starts and the program compiles and runs to its stack resource), `providers` (from the
     * first provider's registration to the last one configured: plugin start-up), `kube` (from the
     * first workload step to the last workload's outputs: the provider waiting on Kubernetes), and
     * `finish` (after the last event: the summary, the state written, the engine's exit).
     */
    parts(ended = Date.now()): Record<string, number> {
        const span = (a?: number, b?: number) => (a !== undefined && b !== undefined ? Math.max(0, b - a) : 0);
        return {
            start: span(this.started, this.prelude ?? this.stack),
            program: span(this.prelude ?? this.started, this.stack),
            providers: span(this.firstProvider, this.lastProviderDone),
            kube: span(this.firstWorkload, this.lastWorkloadDone),
            finish: span(this.last, ended),
        };
    }
}

const WORKLOADS = /^kubernetes:apps\/v1:(Deployment|StatefulSet|DaemonSet)$/;

/** mocha's root hooks: which test is running, each test's span, and an empty file at the start. */
export const mochaHooks = {
    beforeAll(): void {
        if (!process.env.E2E_TIMING_KEEP) fs.rmSync(FILE, { force: true });
    },
    beforeEach(this: { currentTest?: { title: string; file?: string } }): void {
        const t = this.currentTest;
        current = { suite: path.relative(ROOT, t?.file ?? "(none)"), test: t?.title ?? "(none)" };
        testSpan = startSpan("test");
    },
    afterEach(): void {
        testSpan?.end();
        testSpan = undefined;
        current = { ...current, test: "(hooks)" };
    },
};
let testSpan: ReturnType<typeof startSpan> | undefined;
