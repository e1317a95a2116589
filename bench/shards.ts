/**
 * Shard benchmarks for the rollout command (issue 10, point 4), on the real engine and the local fleet,
 * run by `npm run bench -- --only shards` (bench/run.ts). Each figure is the wall time of one
 * `fleet-rollout` run and the peak memory of every process it started taken together (the command,
 * each `pulumi`, each program, each provider plugin; not the clusters).
 *
 * - independence: a 3-cluster shard of a 1,000-cluster definition against a 3-cluster fleet, a
 *   `preview` of the same 3 clusters in each (the target: equal cost).
 * - scaling: a one-region change on N clusters (3 regions), as one stack of N (`stacks: { shards: 1 }`)
 *   against one stack per cluster (`stacks: { by: cluster }`, run `--concurrency` at a time).
 * - stack cost (`--only stack-cost`): a no-change preview of one-cluster stacks, the program type-checked
 *   in every stack against once per run.
 *
 * The two sides of each comparison run side by side, alternating which goes first.
 */
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DEFAULT_CONCURRENCY } from "../lib/rollout-cli/arguments";
import { kubeconfigDir, pulumiEnv } from "../tests/e2e/harness";

const ROOT = path.resolve(__dirname, "..");
const PROGRAM = path.join(ROOT, "tests/e2e/rollout-program");
const SAMPLE_MS = 100;

/** One run of the command. */
export interface Measured {
    /** Wall time of the whole command. */
    readonly seconds: number;
    /** Peak of the summed proportional set size (PSS) of the command's process tree. */
    readonly peakMiB: number;
    /** The largest number of provider plugin processes alive at once. */
    readonly peakPlugins: number;
    /**
     * CPU time (user + system) of the whole process tree, from /proc every 100 ms: each process's last
     * reading, so a process loses at most its last 100 ms.
     */
    readonly cpuSeconds: number;
}

/**
 * Every process in `pid`'s tree with its command name, from /proc. Parent links are read afresh each
 * sample because `pulumi` starts its program and plugins as it goes.
 */
function tree(pid: number): { pid: number; comm: string }[] {
    const children = new Map<number, { pid: number; comm: string }[]>();
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        try {
            const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
            const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
            const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
            children.set(ppid, [...(children.get(ppid) ?? []), { pid: Number(entry), comm }]);
        } catch {
            // The process ended while we looked.
        }
    }
    const out: { pid: number; comm: string }[] = [];
    const walk = (p: number) => (children.get(p) ?? []).forEach((c) => (out.push(c), walk(c.pid)));
    walk(pid);
    return out;
}

/**
 * PSS, not RSS: the provider plugins share one ~200 MiB binary, which RSS would count once per plugin.
 * PSS splits shared pages between the processes that map them, so the sum is the memory they really take.
 */
function pssKiB(pid: number): number {
    try {
        const m = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, "utf8"));
        return m ? Number(m[1]) : 0;
    } catch {
        return 0;
    }
}

/** Clock ticks of CPU time (user + system) `pid` has used so far, from /proc/PID/stat (fields 14 and 15). */
function cpuTicks(pid: number): number {
    try {
        const stat = fs.readFileSync(`/proc/${pid}/stat`, "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        return Number(fields[11]) + Number(fields[12]);
    } catch {
        return 0;
    }
}

/** Linux's USER_HZ, which /proc's CPU times count in. */
const TICKS_PER_SECOND = 100;

/** Runs `fleet-rollout` with `args` and measures it with its whole process tree; fails on a non-zero exit. */
export function measure(vars: Record<string, string>, args: string[]): Promise<Measured> {
    const start = Date.now();
    const child = spawn(path.join(ROOT, "node_modules/.bin/ts-node"), ["--transpile-only", "lib/rollout-cli/main.ts", ...args], {
        cwd: ROOT,
        env: vars,
        stdio: ["ignore", "pipe", "pipe"],
    });
    // --json puts a failed stack's error on stdout; keep both for the error message.
    let output = "";
    child.stdout.on("data", (chunk) => (output += chunk));
    child.stderr.on("data", (chunk) => (output += chunk));
    let peak = 0;
    let peakPlugins = 0;
    const ticks = new Map<number, number>();
    const timer = setInterval(() => {
        const processes = [{ pid: child.pid!, comm: "node" }, ...tree(child.pid!)];
        peak = Math.max(peak, processes.reduce((sum, p) => sum + pssKiB(p.pid), 0));
        peakPlugins = Math.max(peakPlugins, processes.filter((p) => p.comm.startsWith("pulumi-resource")).length);
        for (const p of processes) ticks.set(p.pid, Math.max(ticks.get(p.pid) ?? 0, cpuTicks(p.pid)));
    }, SAMPLE_MS);
    return new Promise((resolve, reject) =>
        child.on("close", (code) => {
            clearInterval(timer);
            if (code !== 0) reject(new Error(`fleet-rollout ${args[0]} exited ${code}:\n${output.slice(-3000)}`));
            else resolve({ seconds: (Date.now() - start) / 1000, peakMiB: peak / 1024, peakPlugins, cpuSeconds: [...ticks.values()].reduce((a, b) => a + b, 0) / TICKS_PER_SECOND });
        }),
    );
}

/** The name of cluster `i` (0-based): the program's overrides name region `eu` and cluster `us-west-2`. */
export const clusterName = (i: number) => (i === 0 ? "us-west-2" : `c-${i + 1}`);

/**
 * A definition of `total` clusters in regions us, eu and ap; the first `real` are the local clusters
 * fleet-1..real. Its `config` (the program's namespace, the file's own path, and `values`) is what every
 * stack runs with, as a user commits it: `up` takes no `--config`.
 */
function definition(dir: string, total: number, real: number, stacks: string, namespace: string, values: Record<string, string> = {}): string {
    const file = path.join(dir, `fleet-${total}-${real}-${stacks.replace(/\W+/g, "")}-${namespace}.yaml`);
    writeDefinition(file, total, real, stacks, namespace, values);
    return file;
}

/** (Re)writes the definition `file`: see {@link definition}. */
export function writeDefinition(file: string, total: number, real: number, stacks: string, namespace: string, values: Record<string, string>): void {
    const clusters = Array.from({ length: total }, (_, i) => `  - { name: ${clusterName(i)}, region: ${["us", "eu", "ap"][i % 3]}, kubeconfig: fleet-${i < real ? i + 1 : 1}.yaml }`);
    const config = Object.entries({ namespace, fleetFile: file, ...values }).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`);
    fs.writeFileSync(file, `kubeconfigDir: ${kubeconfigDir()}\nclusters:\n${clusters.join("\n")}\nstacks: ${stacks}\nconfig:\n${config.join("\n")}\n`);
}

/**
 * Starts (or reuses) the local clusters fleet-1..n, and clears the program's stack settings files: an
 * e2e run leaves them with its own passphrase's salt, which a bench stack of the same name cannot use.
 */
export function localFleet(n: number) {
    execFileSync(path.join(ROOT, "scripts/fleet"), ["up", String(n)], { stdio: "inherit" });
    for (const f of fs.readdirSync(PROGRAM)) if (/^Pulumi\..+\.yaml$/.test(f)) fs.rmSync(path.join(PROGRAM, f));
}

function log(line: string) {
    process.stderr.write(`[bench] ${line}\n`);
}

/** One side of a comparison: its name, the environment (its own state backend) and its arguments. */
interface Side {
    readonly label: string;
    readonly vars: Record<string, string>;
    readonly args: string[];
}

function side(label: string, file: string, namespace: string, extra: string[] = [], env: Record<string, string> = {}): Side {
    const vars = { ...pulumiEnv(`bench-shards-${namespace}`, "bench-only"), ...env };
    return { label, vars, args: ["-f", file, "-C", PROGRAM, "--json", "--no-progress", ...extra] };
}

/**
 * Deploys each side once, then measures `runs` previews of each, the sides alternating which goes
 * first, so that a drift in the machine's load falls on both.
 */
async function previewsSideBySide(what: string, sides: readonly Side[], runs: number): Promise<{ label: string; runs: Measured[] }[]> {
    for (const s of sides) await measure(s.vars, ["up", ...s.args]);
    const samples: Record<string, Measured[]> = Object.fromEntries(sides.map((s) => [s.label, []]));
    for (let run = 0; run < runs; run++) {
        for (const s of run % 2 === 0 ? sides : [...sides].reverse()) {
            const m = await measure(s.vars, ["preview", ...s.args]);
            samples[s.label].push(m);
            log(`${what} ${s.label} run ${run + 1}: ${m.seconds.toFixed(1)} s, ${m.cpuSeconds.toFixed(1)} s CPU, ${m.peakMiB.toFixed(0)} MiB`);
        }
    }
    return sides.map((s) => ({ label: s.label, runs: samples[s.label] }));
}

/** Point 1's target: a 3-cluster shard of a 1,000-cluster definition costs what a 3-cluster fleet costs. */
export async function independence(runs: number) {
    localFleet(3);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-shards-"));
    const three = [0, 1, 2].flatMap((i) => ["--stack", clusterName(i)]);
    const sides = [
        side("3-cluster fleet", definition(dir, 3, 3, "{ by: cluster }", "bench-ind-3"), "bench-ind-3", three),
        side("3-cluster shard of 1,000", definition(dir, 1000, 3, "{ by: cluster }", "bench-ind-1000"), "bench-ind-1000", three),
    ];
    return previewsSideBySide("shards independence", sides, runs);
}

/** Point 4: a one-region change on one stack of N against a stack per cluster. Needs `scripts/fleet up max(sizes)`. */
export async function scaling(sizes: number[], runs: number) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-shards-"));
    localFleet(Math.max(...sizes));
    const rows = [];
    for (const n of sizes) {
        const layouts = [
            { label: "one stack", stacks: "{ shards: 1 }", namespace: `bench-one-${n}` },
            { label: "stack per cluster", stacks: "{ by: cluster }", namespace: `bench-per-${n}` },
        ].map((l) => ({ ...l, file: definition(dir, n, n, l.stacks, l.namespace) }));
        const sides = layouts.map((l) => side(l.label, l.file, l.namespace));
        for (const s of sides) await measure(s.vars, ["up", ...s.args]);
        const samples: Record<string, Measured[]> = Object.fromEntries(sides.map((s) => [s.label, []]));
        for (let run = 0; run < runs; run++) {
            for (const s of run % 2 === 0 ? sides : [...sides].reverse()) {
                // Each run changes only the eu region's ConfigMap, so a third of the clusters roll.
                const l = layouts.find((x) => x.label === s.label)!;
                writeDefinition(l.file, n, n, l.stacks, l.namespace, { euApiUrl: `https://api-${run}.eu.example.com` });
                const m = await measure(s.vars, ["up", ...s.args]);
                samples[s.label].push(m);
                log(`shards scaling N=${n} ${s.label} run ${run + 1}: ${m.seconds.toFixed(1)} s, ${m.peakMiB.toFixed(0)} MiB, ${m.peakPlugins} plugins at once`);
            }
        }
        for (const s of sides) rows.push({ clusters: n, layout: s.label, runs: samples[s.label] });
    }
    return { rows, concurrency: DEFAULT_CONCURRENCY };
}

/**
 * Issue 20, point 6: the fixed cost of a stack, with the program type-checked in every stack (as the
 * language host does by default: `PULUMI_NODEJS_TRANSPILE_ONLY=false` keeps it so) against once per run
 * (the command's default). A `preview` of `n` one-cluster stacks of a deployed fleet with nothing to
 * change, so each stack's cost is its fixed cost: the CLI, the language host, compiling and running
 * the program, the provider.
 */
export async function stackCost(n: number, runs: number) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-stack-cost-"));
    localFleet(n);
    const sides = [
        side("type-check in every stack", definition(dir, n, n, "{ by: cluster }", "bench-check-each"), "bench-check-each", [], { PULUMI_NODEJS_TRANSPILE_ONLY: "false" }),
        side("type-check once", definition(dir, n, n, "{ by: cluster }", "bench-check-once"), "bench-check-once"),
    ];
    return { stacks: n, concurrency: DEFAULT_CONCURRENCY, sides: await previewsSideBySide("stack cost", sides, runs) };
}
