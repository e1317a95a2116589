/**
 * Shard benchmarks for the rollout command (issue 10, point 4), on the real engine and the local fleet.
 * Each figure is the wall time of one `fleet-rollout` run and the peak memory of every process it
 * started taken together (the command, each `pulumi`, each program, each provider plugin; not the
 * clusters), sampled from /proc every 100 ms. Results go to .bench/shards.json.
 *
 *   ts-node --transpile-only bench/shards.ts independence   a 3-cluster shard of a 1,000-cluster
 *        definition against a 3-cluster fleet: `preview` of the same 3 clusters (the target: equal)
 *   ts-node --transpile-only bench/shards.ts scaling 3,6,12  a one-region change on N clusters, as
 *        one stack of N (`stacks: { shards: 1 }`) against one stack per cluster (`stacks: { by: cluster }`)
 *
 * Needs `scripts/fleet up N` first. Heavy: not part of any test.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { kubeconfigDir, pulumiEnv } from "../tests/e2e/harness";

const ROOT = path.resolve(__dirname, "..");
const PROGRAM = path.join(ROOT, "tests/e2e/rollout-program");
const RUNS = Number(process.env.RUNS ?? 3);

interface Measured {
    seconds: number;
    peakMiB: number;
    exitCode: number | null;
}

/** Every descendant of `pid`, from /proc. */
function descendants(pid: number): number[] {
    const children = new Map<number, number[]>();
    for (const entry of fs.readdirSync("/proc")) {
        if (!/^\d+$/.test(entry)) continue;
        try {
            const stat = fs.readFileSync(`/proc/${entry}/stat`, "utf8");
            const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
            children.set(ppid, [...(children.get(ppid) ?? []), Number(entry)]);
        } catch {
            // The process ended while we looked.
        }
    }
    const out: number[] = [];
    const walk = (p: number) => (children.get(p) ?? []).forEach((c) => (out.push(c), walk(c)));
    walk(pid);
    return out;
}

function rssKiB(pid: number): number {
    try {
        const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
        return m ? Number(m[1]) : 0;
    } catch {
        return 0;
    }
}

/** Runs the command and measures it with its whole process tree. */
function measure(vars: Record<string, string>, args: string[]): Promise<Measured> {
    const start = Date.now();
    const child = spawn(path.join(ROOT, "node_modules/.bin/ts-node"), ["--transpile-only", "lib/rollout-cli/main.ts", ...args], { cwd: ROOT, env: vars, stdio: ["ignore", "ignore", "inherit"] });
    let peak = 0;
    const timer = setInterval(() => {
        const total = [child.pid!, ...descendants(child.pid!)].reduce((sum, p) => sum + rssKiB(p), 0);
        peak = Math.max(peak, total);
    }, 100);
    return new Promise((resolve) =>
        child.on("close", (code) => {
            clearInterval(timer);
            resolve({ seconds: (Date.now() - start) / 1000, peakMiB: peak / 1024, exitCode: code });
        }),
    );
}

/** The name of cluster `i` (0-based): the program's overrides name region `eu` and cluster `us-west-2`. */
const clusterName = (i: number) => (i === 0 ? "us-west-2" : `c-${i + 1}`);

/** A definition of `total` clusters in regions us, eu and ap; the first `real` are the local kwok clusters fleet-1..real. */
function definition(dir: string, total: number, real: number, stacks: string): string {
    const file = path.join(dir, `fleet-${total}-${real}-${stacks.replace(/\W+/g, "")}.yaml`);
    const clusters = Array.from({ length: total }, (_, i) => `  - { name: ${clusterName(i)}, region: ${["us", "eu", "ap"][i % 3]}, kubeconfig: fleet-${i < real ? i + 1 : 1}.yaml }`);
    fs.writeFileSync(file, `kubeconfigDir: ${kubeconfigDir()}\nclusters:\n${clusters.join("\n")}\nstacks: ${stacks}\n`);
    return file;
}

async function independence(dir: string) {
    const rows = [];
    for (const [label, total] of [["3-cluster fleet", 3], ["3-cluster shard of 1,000", 1000]] as const) {
        const vars = pulumiEnv(`bench-shards-${total}`, "bench-only");
        const file = definition(dir, total, 3, "{ by: cluster }");
        const common = ["-f", file, "-C", PROGRAM, "--json", "--no-progress", "--config", "namespace=bench-shards", "--config", `fleetFile=${file}`];
        const only = [0, 1, 2].flatMap((i) => ["--stack", clusterName(i)]);
        await measure(vars, ["up", ...common, ...only]);
        const runs: Measured[] = [];
        for (let i = 0; i < RUNS; i++) runs.push(await measure(vars, ["preview", ...common, ...only]));
        rows.push({ label, total, runs });
        process.stderr.write(`[bench] ${label}: ${runs.map((r) => `${r.seconds.toFixed(1)} s ${r.peakMiB.toFixed(0)} MiB`).join(", ")}\n`);
    }
    return rows;
}

async function scaling(dir: string, sizes: number[]) {
    const rows = [];
    for (const n of sizes) {
        for (const [layout, stacks] of [["one stack", "{ shards: 1 }"], ["stack per cluster", "{ by: cluster }"]] as const) {
            const vars = pulumiEnv(`bench-scaling-${n}`, "bench-only");
            const file = definition(dir, n, n, stacks);
            const common = ["-f", file, "-C", PROGRAM, "--json", "--no-progress", "--config", "namespace=bench-scaling", "--config", `fleetFile=${file}`];
            await measure(vars, ["up", ...common]);
            const runs: Measured[] = [];
            for (let i = 0; i < RUNS; i++) runs.push(await measure(vars, ["up", ...common, "--config", `euApiUrl=https://api-${layout.length}-${i}.example.com`]));
            rows.push({ clusters: n, layout, runs });
            process.stderr.write(`[bench] N=${n} ${layout}: ${runs.map((r) => `${r.seconds.toFixed(1)} s ${r.peakMiB.toFixed(0)} MiB`).join(", ")}\n`);
        }
    }
    return rows;
}

async function main() {
    const [what, sizes] = process.argv.slice(2);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-shards-"));
    const result = what === "scaling" ? await scaling(dir, (sizes ?? "3,6,12").split(",").map(Number)) : await independence(dir);
    fs.mkdirSync(path.join(ROOT, ".bench"), { recursive: true });
    fs.writeFileSync(path.join(ROOT, ".bench", `shards-${what ?? "independence"}.json`), JSON.stringify({ date: new Date().toISOString(), runs: RUNS, result }, null, 2));
}

main().catch((err) => {
    process.stderr.write(`${err.stack ?? err}\n`);
    process.exitCode = 1;
});
