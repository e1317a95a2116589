/**
 * `npm run bench`: measures what a fleet costs and writes docs/BENCHMARKS.md, docs/bench-results.json
 * and docs/bench-scaling.svg. Every figure is a median of RUNS runs with min and max, and every
 * comparison is a ratio of runs made side by side, alternating which variant goes first.
 *
 *   npm run bench                      everything (needs the toolchain and starts the local fleet)
 *   npm run bench -- --only program    one part (or several: --only program,typed): program | typed | program-heap | micro | engine | legacy | shards | stack-cost | review | rollout-scale | yaml | import | shard-balance
 *   npm run bench -- --runs 3          fewer runs, for a quick look (the page says how many)
 *   npm run bench -- --clusters 10,100 the program-cost fleet sizes (default 10,100,1000)
 *   npm run bench -- --shard-sizes 3,6 the local fleet sizes of the shard scaling runs (default 3,6,12)
 *   npm run bench -- --rollout-sizes 6,12 the local fleet sizes of the wave rollout runs (default 6,12,24)
 */
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { execFileSync, spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { contentHash } from "../lib/config/hash";
import { rolloutScale } from "./rollout-scale";
import { yamlPreview } from "./yaml-preview";
import { shardBalance } from "./shard-balance";
import { independence, scaling, stackCost } from "./shards";
import { stat } from "./stat";
import { contentProblems } from "../lib/config/validation";
import { pulumiCommand, pulumiEnv } from "../tests/e2e/harness";

const ROOT = path.resolve(__dirname, "..");
const args = process.argv.slice(2);
const only = args.includes("--only") ? args[args.indexOf("--only") + 1].split(",") : undefined;
/** Whether this run measures `part` (`--only a,b` names several). */
const want = (part: string) => !only || only.includes(part);
const RUNS = args.includes("--runs") ? Number(args[args.indexOf("--runs") + 1]) : 5;
const CLUSTER_COUNTS = args.includes("--clusters") ? args[args.indexOf("--clusters") + 1].split(",").map(Number) : [10, 100, 1000];
const SHARD_SIZES = args.includes("--shard-sizes") ? args[args.indexOf("--shard-sizes") + 1].split(",").map(Number) : [3, 6, 12];
const ROLLOUT_SIZES = args.includes("--rollout-sizes") ? args[args.indexOf("--rollout-sizes") + 1].split(",").map(Number) : [6, 12, 24];
/** How many one-cluster stacks the stack-cost part previews (`--only stack-cost`). */
const STACK_COST_STACKS = 6;
const ENGINE_CONFIGMAPS = 50;
const LARGE_HEAP_MIB = 8192;
const TYPED_CLUSTER_COUNTS = CLUSTER_COUNTS.filter((c) => c <= 100);
const LARGE_HEAP_CLUSTER_COUNTS = CLUSTER_COUNTS.filter((c) => c >= 100);
const RESULTS = path.join(ROOT, "docs", "bench-results.json");

function log(line: string) {
    process.stderr.write(`[bench] ${line}\n`);
}

/** Both variants, alternating which goes first so drift on a shared machine falls on both. */
function order<T>(run: number, a: T, b: T): [T, T] {
    return run % 2 === 0 ? [a, b] : [b, a];
}

// ---------------------------------------------------------------- program cost (mocks, no engine)

/**
 * `variant` against `against` (bench/program-cost.ts variants), side by side at each size. The row of
 * `variant` carries the per-run ratios; `ours` against `baseline` is the program-cost section, `typed`
 * against `ours` the typed-config one.
 */
function programCost(clusterCounts: number[], nodeFlags: string[] = [], variant0 = "ours", against = "baseline") {
    const rows = [];
    for (const clusters of clusterCounts) {
        const samples: Record<string, { ms: number; rss: number; gcMs: number }[]> = { [variant0]: [], [against]: [] };
        for (let run = 0; run < RUNS; run++) {
            for (const variant of order(run, variant0, against)) {
                const child = spawnSync(process.execPath, [...nodeFlags, "-r", "ts-node/register/transpile-only", "bench/program-cost.ts", variant, String(clusters)], {
                    cwd: ROOT,
                    encoding: "utf8",
                    maxBuffer: 64 * 1024 * 1024,
                });
                if (child.status !== 0) throw new Error(`program-cost ${variant} ${clusters} failed:\n${child.stderr}`);
                const lines = child.stdout.split("\n");
                const result = JSON.parse(lines.find((line) => line.startsWith("{"))!);
                const gcMs = gcPauseMs(lines);
                samples[variant].push({ ms: result.ms, rss: result.maxRssMiB, gcMs });
                log(`program ${variant} C=${clusters} run ${run + 1}: ${(result.ms / 1000).toFixed(2)} s (GC ${(gcMs / 1000).toFixed(2)} s), ${result.maxRssMiB.toFixed(0)} MiB`);
            }
        }
        for (const variant of [variant0, against]) {
            rows.push({
                clusters,
                variant,
                resources: clusters * 21,
                seconds: stat(samples[variant].map((s) => s.ms / 1000)),
                rssMiB: stat(samples[variant].map((s) => s.rss)),
                gcSeconds: stat(samples[variant].map((s) => s.gcMs / 1000)),
                // The time left once GC pauses are taken out: the program's own work.
                workSeconds: stat(samples[variant].map((s) => (s.ms - s.gcMs) / 1000)),
                // Per-run ratios against the baseline run beside it.
                timeRatio: variant === variant0 ? stat(samples[variant0].map((s, i) => s.ms / samples[against][i].ms)) : undefined,
                rssRatio: variant === variant0 ? stat(samples[variant0].map((s, i) => s.rss / samples[against][i].rss)) : undefined,
            });
        }
    }
    return rows;
}

/** The sum of the pauses in V8's `--trace-gc` lines ("Scavenge 232.2 (253.1) -> 221.2 (254.3) MB, 7.88 / 0.00 ms"). */
function gcPauseMs(lines: string[]): number {
    return lines.map((line) => /MB, ([\d.]+) \/ [\d.]+ ms/.exec(line)).reduce((sum, m) => sum + (m ? Number(m[1]) : 0), 0);
}

// ---------------------------------------------------------------- one 1 MiB ConfigMap, in process

function micro() {
    const content = { data: { BIG: "x".repeat(1024 * 1024 - 64), SMALL: "y".repeat(64) }, binaryData: {} };
    const entries = Object.entries(content.data).map(([key, value]) => ({ kind: "data" as const, key, value, field: `data.${key}` }));
    const repetitions = Math.max(RUNS, 5) * 4;
    const time = (fn: () => unknown) => {
        const samples = [];
        for (let i = 0; i < repetitions; i++) {
            const start = process.hrtime.bigint();
            fn();
            samples.push(Number(process.hrtime.bigint() - start) / 1e6);
        }
        return stat(samples);
    };
    return { hashMs: time(() => contentHash(content)), validateMs: time(() => contentProblems("c", entries)), repetitions };
}

// ---------------------------------------------------------------- adopting a drifted fleet (issue 30)

/** Clusters and keys of the synthetic drifted fleet `import` adopts (bench/import-adoption.ts). */
const IMPORT_CLUSTERS = 1000;
const IMPORT_KEYS = 50;

/** `fleet-rollout import` of 1,000 drifted clusters, reading mocked: each run a process of its own. */
function importAdoption() {
    const samples = [];
    for (let run = 0; run < RUNS; run++) {
        const child = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "bench/import-adoption.ts", String(IMPORT_CLUSTERS), String(IMPORT_KEYS)], { cwd: ROOT, encoding: "utf8" });
        if (child.status !== 0) throw new Error(`import-adoption failed:\n${child.stderr}`);
        const result = JSON.parse(child.stdout.split("\n").find((line) => line.startsWith("{"))!);
        samples.push(result);
        log(`import C=${IMPORT_CLUSTERS} run ${run + 1}: ${(result.ms / 1000).toFixed(2)} s (derive ${(result.deriveMs / 1000).toFixed(2)} s), ${result.maxRssMiB.toFixed(0)} MiB`);
    }
    return {
        clusters: IMPORT_CLUSTERS,
        keys: IMPORT_KEYS,
        found: samples[0].found,
        divergentKeys: samples[0].divergentKeys,
        seconds: stat(samples.map((x) => x.ms / 1000)),
        deriveSeconds: stat(samples.map((x) => x.deriveMs / 1000)),
        rssMiB: stat(samples.map((x) => x.maxRssMiB)),
        targetSeconds: 2,
    };
}

// ---------------------------------------------------------------- the real engine on the local fleet

function toolEnv(): Record<string, string> {
    return pulumiEnv("fleet-bench", "bench-only-passphrase");
}

function kubeconfig(cluster: string) {
    return path.join(execFileSync(path.join(ROOT, "scripts/fleet"), ["kubeconfig-dir"], { encoding: "utf8" }).trim(), `${cluster}.yaml`);
}

function kubectl(env: Record<string, string>, cluster: string, ...rest: string[]) {
    return execFileSync("kubectl", ["--kubeconfig", kubeconfig(cluster), ...rest], { env, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
}

const LOCAL = ["fleet-1", "fleet-2", "fleet-3"];

async function engine() {
    execFileSync(path.join(ROOT, "scripts/fleet"), ["up", "3"], { stdio: "inherit" });
    const env = toolEnv();
    const kubeconfigDir = path.dirname(kubeconfig("fleet-1"));
    const ops = ["preview", "first up", "one-region up", "no-op up"] as const;
    const samples: Record<string, Record<string, number[]>> = { ours: {}, baseline: {} };
    const restarted: Record<string, number> = {};
    for (let run = 0; run < RUNS; run++) {
        for (const variant of order(run, "ours", "baseline")) {
            const namespace = `bench-${variant}`;
            for (const c of LOCAL) kubectl(env, c, "delete", "namespace", namespace, "--ignore-not-found", "--wait=true");
            const stack = await LocalWorkspace.createOrSelectStack(
                { stackName: `${variant}-${run}`, workDir: path.join(ROOT, "bench", "engine-program") },
                { envVars: env, pulumiCommand: await pulumiCommand(env) },
            );
            await stack.setAllConfig({
                variant: { value: variant },
                configMaps: { value: String(ENGINE_CONFIGMAPS) },
                namespace: { value: namespace },
                kubeconfigDir: { value: kubeconfigDir },
                euValue: { value: "eu-1" },
            });
            const timed = async (op: (typeof ops)[number], fn: () => Promise<unknown>) => {
                const start = Date.now();
                const result = await fn();
                (samples[variant][op] ??= []).push((Date.now() - start) / 1000);
                log(`engine ${variant} run ${run + 1} ${op}: ${((Date.now() - start) / 1000).toFixed(1)} s`);
                return result;
            };
            try {
                await timed("preview", () => stack.preview());
                await timed("first up", () => stack.up());
                await stack.setConfig("euValue", { value: "eu-2" });
                let rolled = 0;
                await timed("one-region up", () =>
                    stack.up({
                        onEvent: (e) => {
                            const step = e.resourcePreEvent?.metadata;
                            if (step?.op === "update" && step.type === "kubernetes:apps/v1:Deployment") rolled++;
                        },
                    }),
                );
                restarted[variant] = rolled;
                await timed("no-op up", () => stack.up());
            } finally {
                await stack.destroy();
                await stack.workspace.removeStack(`${variant}-${run}`);
            }
        }
    }
    const rows = ops.map((op) => ({
        op,
        ours: stat(samples.ours[op]),
        baseline: stat(samples.baseline[op]),
        ratio: stat(samples.ours[op].map((v, i) => v / samples.baseline[op][i])),
    }));
    return { rows, restarted };
}

// ---------------------------------------------------------------- the legacy kubectl loop

function legacyManifests(euValue: string, cluster: string, withDeployments: boolean): string {
    const region = cluster === "fleet-1" ? "us" : "eu";
    const docs: object[] = [];
    for (let i = 0; i < ENGINE_CONFIGMAPS; i++) {
        const name = `cfg-${i}`;
        const data: Record<string, string> = { LOG_LEVEL: "info", NAME: name, BODY: name.padEnd(1024, "x"), ...(region === "eu" ? { REGION_VALUE: euValue } : {}) };
        docs.push({ apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "bench-legacy" }, data });
        if (withDeployments) {
            docs.push({
                apiVersion: "apps/v1",
                kind: "Deployment",
                metadata: { name, namespace: "bench-legacy" },
                spec: {
                    replicas: 1,
                    selector: { matchLabels: { app: name } },
                    template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: "app", image: "app:1", envFrom: [{ configMapRef: { name } }] }] } },
                },
            });
        }
    }
    const file = path.join(os.tmpdir(), `legacy-${cluster}-${euValue}-${withDeployments}.json`);
    fs.writeFileSync(file, JSON.stringify({ apiVersion: "v1", kind: "List", items: docs }));
    return file;
}

function runAsync(env: Record<string, string>, command: string, argv: string[]): Promise<void> {
    return new Promise((resolve, reject) => {
        const child = spawn(command, argv, { env, stdio: ["ignore", "ignore", "pipe"] });
        let err = "";
        child.stderr.on("data", (d) => (err += d));
        child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`${command} ${argv.join(" ")}: ${err}`))));
    });
}

/** What a user without this package runs for one config change: apply everywhere, restart everything, wait. */
async function legacyChange(env: Record<string, string>, cluster: string, euValue: string) {
    const names = Array.from({ length: ENGINE_CONFIGMAPS }, (_, i) => `deployment/cfg-${i}`);
    const kc = ["--kubeconfig", kubeconfig(cluster), "-n", "bench-legacy"];
    await runAsync(env, "kubectl", [...kc, "apply", "-f", legacyManifests(euValue, cluster, false)]);
    await runAsync(env, "kubectl", [...kc, "rollout", "restart", ...names]);
    for (const name of names) await runAsync(env, "kubectl", [...kc, "rollout", "status", name, "--timeout=300s"]);
}

async function legacy() {
    execFileSync(path.join(ROOT, "scripts/fleet"), ["up", "3"], { stdio: "inherit" });
    const env = toolEnv();
    const samples: Record<string, number[]> = { sequential: [], parallel: [] };
    for (const c of LOCAL) {
        kubectl(env, c, "delete", "namespace", "bench-legacy", "--ignore-not-found", "--wait=true");
        kubectl(env, c, "create", "namespace", "bench-legacy");
        kubectl(env, c, "apply", "-f", legacyManifests("eu-0", c, true));
    }
    let value = 0;
    for (let run = 0; run < RUNS; run++) {
        for (const mode of order(run, "sequential", "parallel")) {
            const euValue = `eu-${++value}`;
            const start = Date.now();
            if (mode === "sequential") for (const c of LOCAL) await legacyChange(env, c, euValue);
            else await Promise.all(LOCAL.map((c) => legacyChange(env, c, euValue)));
            samples[mode].push((Date.now() - start) / 1000);
            log(`legacy ${mode} run ${run + 1}: ${samples[mode].at(-1)!.toFixed(1)} s`);
        }
    }
    for (const c of LOCAL) kubectl(env, c, "delete", "namespace", "bench-legacy", "--wait=false");
    return { sequential: stat(samples.sequential), parallel: stat(samples.parallel), restarted: LOCAL.length * ENGINE_CONFIGMAPS };
}

// ---------------------------------------------------------------- reviewing a fleet change

/**
 * Issue 18's target: grouping and rendering a preview of 1,000 clusters × 5 changed ConfigMaps (text,
 * markdown and JSON) in under 1 s. Each run is a process of its own (bench/review.ts), so its peak RSS
 * is its own; the per-cluster table of the same preview (`--by-cluster`) runs beside it as the baseline.
 */
function review(clusters = 1000, configMaps = 5) {
    const samples: Record<string, { ms: number; rss: number }[]> = { grouped: [], "by-cluster": [] };
    for (let run = 0; run < RUNS; run++) {
        for (const variant of order(run, "grouped", "by-cluster")) {
            const child = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "bench/review.ts", variant, String(clusters), String(configMaps)], { cwd: ROOT, encoding: "utf8" });
            if (child.status !== 0) throw new Error(`review ${variant} failed:\n${child.stderr}`);
            const result = JSON.parse(child.stdout.trim().split("\n").pop()!);
            samples[variant].push({ ms: result.ms, rss: result.maxRssMiB });
            log(`review ${variant} ${clusters}×${configMaps} run ${run + 1}: ${result.ms.toFixed(0)} ms, ${result.maxRssMiB.toFixed(0)} MiB`);
        }
    }
    const ratio = (key: "ms" | "rss") => stat(samples.grouped.map((g, i) => g[key] / samples["by-cluster"][i][key]));
    return {
        clusters,
        configMaps,
        grouped: { ms: stat(samples.grouped.map((x) => x.ms)), rssMiB: stat(samples.grouped.map((x) => x.rss)) },
        byCluster: { ms: stat(samples["by-cluster"].map((x) => x.ms)), rssMiB: stat(samples["by-cluster"].map((x) => x.rss)) },
        timeRatio: ratio("ms"),
        rssRatio: ratio("rss"),
    };
}

// ---------------------------------------------------------------- the page

async function main() {
    const previous = fs.existsSync(RESULTS) ? JSON.parse(fs.readFileSync(RESULTS, "utf8")) : {};
    // Sections not run this time keep their last results; each records its own run count and date.
    // The machine block is the last full run's: a run of some sections (--only) says its machine in its own section.
    const results = { ...previous, machine: only && previous.machine ? previous.machine : machine() };
    // Each section records the versions it ran on, since a section not re-run keeps older figures.
    const measured = () => ({ runs: RUNS, date: new Date().toISOString().slice(0, 10), node: process.version, pulumiSdk: machine().pulumiSdk });
    if (want("program")) results.program = { rows: programCost(CLUSTER_COUNTS), ...measured() };
    // A diagnostic, not a target: the largest fleets again with V8's heap ceiling raised, to show how much of
    // their growth is the default ~4 GiB heap filling up rather than the program's own work.
    if (want("program-heap")) {
        results.programLargeHeap = { rows: programCost(LARGE_HEAP_CLUSTER_COUNTS, [`--max-old-space-size=${LARGE_HEAP_MIB}`]), heapMiB: LARGE_HEAP_MIB, ...measured() };
    }
    // Issue 13's target: a schema on every FleetConfigMap costs at most 1.10× the same fleet without one.
    if (want("typed")) results.typed = { rows: programCost(TYPED_CLUSTER_COUNTS, [], "typed", "ours"), ...measured() };
    if (want("micro")) results.micro = { ...micro(), ...measured() };
    if (want("engine")) results.engine = { ...(await engine()), ...measured() };
    if (want("legacy")) results.legacy = { ...(await legacy()), ...measured() };
    if (want("review")) results.review = { ...review(), ...measured() };
    if (want("shards")) results.shards = { independence: await independence(RUNS), scaling: await scaling(SHARD_SIZES, RUNS), ...measured() };
    // Issue 20, point 6: the program type-checked in each of 6 stacks against once per run.
    if (want("stack-cost")) results.stackCost = { ...(await stackCost(STACK_COST_STACKS, RUNS)), ...measured() };
    // Issue 20, point 4: waves over 4 shard stacks at 6, 12 and 24 clusters, against section 3's projection line.
    if (want("rollout-scale")) results.rolloutScale = { ...(await rolloutScale(ROLLOUT_SIZES, RUNS)), ...measured() };
    // Issue 19: the YAML example's preview against its TypeScript twin on the same 3 clusters.
    if (want("yaml")) results.yamlPreview = { ...(await yamlPreview(RUNS)), ...measured() };
    // Issue 31: planning 1,000 clusters in 20 and 40 shards, the shards' sizes and the moves.
    if (want("shard-balance")) results.shardBalance = { ...shardBalance(RUNS), ...measured() };
    // Issue 30: deriving the definition of a drifted 1,000-cluster fleet, reading mocked, in under 2 s.
    if (want("import")) results.importAdoption = { ...importAdoption(), ...measured() };
    fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
    fs.writeFileSync(RESULTS, JSON.stringify(results, null, 2) + "\n");
    if (results.program) {
        const chartRows = results.program.rows.map((r: any) => ({ clusters: r.clusters, variant: r.variant, ...r.seconds }));
        const chartData = path.join(os.tmpdir(), "bench-chart.json");
        fs.writeFileSync(chartData, JSON.stringify(chartRows));
        execFileSync(process.execPath, [path.join(ROOT, "bench", "chart.mjs"), chartData, path.join(ROOT, "docs", "bench-scaling.svg")]);
    }
    execFileSync(process.execPath, ["-r", "ts-node/register/transpile-only", path.join(ROOT, "bench", "report.ts")], { cwd: ROOT, stdio: "inherit" });
}

function machine() {
    const versions = fs.readFileSync(path.join(ROOT, "toolchain", "versions.env"), "utf8").split("\n").filter((l) => /^[A-Z_]+=/.test(l));
    return {
        date: new Date().toISOString().slice(0, 10),
        cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}`,
        memoryGiB: Math.round(os.totalmem() / 2 ** 30),
        node: process.version,
        pulumiSdk: require("@pulumi/pulumi/package.json").version,
        pulumiKubernetes: require("@pulumi/kubernetes/package.json").version,
        toolchain: versions,
    };
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
