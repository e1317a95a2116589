/** Writes docs/BENCHMARKS.md from docs/bench-results.json (run by bench/run.ts after measuring). */
import * as fs from "fs";
import * as path from "path";
import { Stat, stat } from "./stat";

const ROOT = path.resolve(__dirname, "..");
const r = JSON.parse(fs.readFileSync(path.join(ROOT, "docs", "bench-results.json"), "utf8"));

const s = (x: Stat, digits = 2, unit = "") => `${x.median.toFixed(digits)}${unit} (${x.min.toFixed(digits)}–${x.max.toFixed(digits)})`;
const x = (v: Stat) => `${v.median.toFixed(2)}× (${v.min.toFixed(2)}–${v.max.toFixed(2)})`;
const verdict = (value: number, target: number) => (value <= target ? `met (≤ ${target}×)` : `**missed** by ${((value / target - 1) * 100).toFixed(0)}% (target ≤ ${target}×)`);

/** The versions a section ran on; sections measured before they were recorded ran on the previous default. */
const on = (section: any) =>
    section.node ? `Node ${section.node}, @pulumi/pulumi ${section.pulumiSdk}` : "the previous default, Node v20.20.2, @pulumi/pulumi 3.248.0 and Pulumi CLI 3.248.0";

/** Least squares fit of y = a + b·x. */
/** The median (min–max) wall time and peak memory of a list of measured command runs. */
const sec = (runs: any[]) => stat(runs.map((m) => m.seconds));
const mib = (runs: any[]) => stat(runs.map((m) => m.peakMiB));

function fit(points: [number, number][]): { a: number; b: number } {
    const n = points.length;
    const mx = points.reduce((t, [x]) => t + x, 0) / n;
    const my = points.reduce((t, [, y]) => t + y, 0) / n;
    const sxx = points.reduce((t, [x]) => t + (x - mx) ** 2, 0);
    const b = sxx === 0 ? 0 : points.reduce((t, [x, y]) => t + (x - mx) * (y - my), 0) / sxx;
    return { a: my - b * mx, b };
}

const share = (row: any) => `${((row.gcSeconds.median / row.seconds.median) * 100).toFixed(0)}%`;

const lines: string[] = [];
const out = (line = "") => lines.push(line);

function programTable(rows: any[], variant = "ours", against = "baseline") {
    out(`| clusters | resources | ${variant} s | ${against} s | time ratio | ${variant} peak MiB | ${against} peak MiB | memory ratio | GC share ${variant} / ${against} |`);
    out("| ---: | ---: | --- | --- | --- | --- | --- | --- | --- |");
    for (const c of [...new Set(rows.map((row) => row.clusters))]) {
        const ours = rows.find((row) => row.clusters === c && row.variant === variant);
        const base = rows.find((row) => row.clusters === c && row.variant === against);
        out(`| ${c} | ${ours.resources} | ${s(ours.seconds)} | ${s(base.seconds)} | ${x(ours.timeRatio)} | ${s(ours.rssMiB, 0)} | ${s(base.rssMiB, 0)} | ${x(ours.rssRatio)} | ${share(ours)} / ${share(base)} |`);
    }
    out();
}

/** The 100 → 1000 growth of both variants; `target` says whether to judge it against the 11× target. */
function growthLine(rows: any[], target: boolean) {
    const at = (c: number, v: string) => rows.find((row) => row.clusters === c && row.variant === v);
    if (!at(1000, "ours") || !at(100, "ours")) {
        out("- Growth from 100 to 1000 clusters: **not measured in this run** (C = 100 and 1000 were not both in `--clusters`).");
        return;
    }
    const growth = (v: string, key: string) => at(1000, v)[key].median / at(100, v)[key].median;
    const ours = growth("ours", "seconds");
    out(
        `- Growth from 100 to 1000 clusters: ours ${ours.toFixed(1)}×, baseline ${growth("baseline", "seconds").toFixed(1)}×` +
            (target ? `: ${verdict(ours, 11).replace("×)", "×, linear)")}.` : "."),
    );
    out(`  Without GC pauses: ours ${growth("ours", "workSeconds").toFixed(1)}×, baseline ${growth("baseline", "workSeconds").toFixed(1)}×.`);
}

out("Produced by `npm run bench` (bench/run.ts); do not edit between these markers. Every figure is the median of the");
out("runs each section names, with (min–max). Ours and the baseline run side by side, alternating which goes first, and");
out("every ratio is the median of per-run ratios against the baseline run beside it. The machine is shared and");
out("noisy: read medians and ratios, not single times.");
out();
out("## Machine and versions");
out();
out("The machine and versions of the latest run; each section names the Node and SDK versions it ran on.");
out();
out(`- ${r.machine.date}; ${r.machine.cpus}; ${r.machine.memoryGiB} GiB; Node ${r.machine.node}`);
out(`- @pulumi/pulumi ${r.machine.pulumiSdk}, @pulumi/kubernetes ${r.machine.pulumiKubernetes}`);
out(`- toolchain: ${r.machine.toolchain.map((v: string) => `\`${v}\``).join(", ")}`);
out();

if (r.program) {
    out("## 1. Program cost at scale (Pulumi mocks, no engine)");
    out();
    out("C clusters × 10 FleetConfigMaps (5 keys of ~1 KiB, a patch per region for 4 regions, a patch for every");
    out("tenth cluster) plus one consuming Deployment per ConfigMap per cluster wired with `podAnnotations`, against a");
    out("hand-written loop that registers exactly the same resources with the same final data and hash annotations");
    out("(bench/program-cost.ts). Each run is a fresh `node` process; time is from the first resource to the last");
    out("registration, memory is the process's peak RSS, and GC share is the part of the time V8 spent in");
    out("garbage-collection pauses (its `--trace-gc` log of the same window).");
    out();
    out(`Command: \`npm run bench -- --only program\`; ${r.program.runs} runs per variant and size, ${r.program.date}, on ${on(r.program)}.`);
    out();
    const rows = r.program.rows;
    programTable(rows);
    const worstTime = Math.max(...rows.filter((row: any) => row.variant === "ours").map((row: any) => row.timeRatio.median));
    const worstRss = Math.max(...rows.filter((row: any) => row.variant === "ours").map((row: any) => row.rssRatio.median));
    out(`- Time, worst median ratio: ${worstTime.toFixed(2)}×: ${verdict(worstTime, 1.1)}.`);
    out(`- Peak memory, worst median ratio: ${worstRss.toFixed(2)}×: ${verdict(worstRss, 1.2)}.`);
    growthLine(rows, true);
    out();
    out("![time against cluster count](bench-scaling.svg)");
    out();
}

if (r.typed) {
    out("### Typed config: a schema on every FleetConfigMap");
    out();
    out("The same fleet with a zod `schema` on each of the 10 FleetConfigMaps (five string keys, one optional), so each");
    out("cluster's effective config is also parsed with the schema, against the same program without one (`typed`");
    out("against `ours` in bench/program-cost.ts). The target is at most 1.10× the time at 100 clusters.");
    out(`Command: \`npm run bench -- --only typed\`; ${r.typed.runs} runs per variant and size, ${r.typed.date}, on ${on(r.typed)}.`);
    out();
    programTable(r.typed.rows, "typed", "ours");
    const at100 = r.typed.rows.find((row: any) => row.clusters === 100 && row.variant === "typed");
    if (at100) out(`- Time at 100 clusters: ${at100.timeRatio.median.toFixed(2)}×: ${verdict(at100.timeRatio.median, 1.1)}. Peak memory: ${at100.rssRatio.median.toFixed(2)}×.`);
    out();
}

if (r.programLargeHeap) {
    out(`### The largest fleets again, with the heap limit at ${r.programLargeHeap.heapMiB / 1024} GiB (a diagnostic, not a target)`);
    out();
    out("The same runs with `node --max-old-space-size=" + r.programLargeHeap.heapMiB + "`. If V8's default heap limit (about 4 GiB");
    out("here) were what bends the curves at 1000 clusters, these runs would grow more slowly.");
    out(`Command: \`npm run bench -- --only program-heap\`; ${r.programLargeHeap.runs} runs per variant and size, ${r.programLargeHeap.date}, on ${on(r.programLargeHeap)}.`);
    out();
    programTable(r.programLargeHeap.rows);
    growthLine(r.programLargeHeap.rows, false);
    out();
}

if (r.micro) {
    out("## One 1 MiB ConfigMap");
    out();
    out("Hash (canonical JSON + SHA-256) and validation (sizes, keys) of one ConfigMap of 1 MiB, in process:");
    out(`hash ${s(r.micro.hashMs, 2, " ms")}, validation ${s(r.micro.validateMs, 2, " ms")}, over ${r.micro.repetitions} repetitions.`);
    out(`Command: \`npm run bench -- --only micro\`; on ${on(r.micro)}.`);
    out();
}

if (r.engine) {
    out("## 2. Real engine on the local fleet");
    out();
    out("3 local clusters (kwok) × 50 FleetConfigMaps (~1 KiB each, one EU override) and one Deployment per ConfigMap");
    out("per cluster (300 resources + namespaces and providers), against the same program written by hand");
    out("(bench/engine-program, `variant: baseline`). Wall time of the Automation API call, which includes starting");
    out("the CLI and the TypeScript program. The one-region change edits the EU override.");
    out();
    out(`Command: \`npm run bench -- --only engine\`; ${r.engine.runs} run(s) per variant, ${r.engine.date}, on ${on(r.engine)}${r.engine.runs < 5 ? " (**fewer than the 5 the targets call for**: a first look, not a verdict)" : ""}.`);
    out();
    out("| operation | ours s | baseline s | ratio | target |");
    out("| --- | --- | --- | --- | --- |");
    for (const row of r.engine.rows) out(`| ${row.op} | ${s(row.ours, 1)} | ${s(row.baseline, 1)} | ${x(row.ratio)} | ${verdict(row.ratio.median, 1.05)} |`);
    out();
    out(`Deployments restarted by the one-region change: ours ${r.engine.restarted.ours}, baseline ${r.engine.restarted.baseline}.`);
    out();
}

if (r.legacy) {
    out("## The legacy loop: `kubectl apply` + `rollout restart`");
    out();
    out("The same one-region change made the way it is done without this package: `kubectl apply` of every cluster's");
    out("50 ConfigMaps, `kubectl rollout restart` of every consumer (the loop cannot tell which ones changed), and");
    out("`kubectl rollout status` of each, as `pulumi up` also waits for rollouts.");
    out(`Command: \`npm run bench -- --only legacy\`; ${r.legacy.runs} run(s) per mode, ${r.legacy.date}, on ${on(r.legacy)}.`);
    out();
    out("| path | wall time s | Deployments restarted |");
    out("| --- | --- | ---: |");
    if (r.engine) out(`| ours, \`pulumi up\` | ${s(r.engine.rows.find((row: any) => row.op === "one-region up").ours, 1)} | ${r.engine.restarted.ours} |`);
    out(`| kubectl, one cluster after another | ${s(r.legacy.sequential, 1)} | ${r.legacy.restarted} |`);
    out(`| kubectl, clusters in parallel | ${s(r.legacy.parallel, 1)} | ${r.legacy.restarted} |`);
    out();
}

if (r.shards) {
    out("## 3. Shard stacks on the real engine (the rollout command)");
    out();
    out("Wall time of one `fleet-rollout` run, and the peak memory of every process it started taken together: the");
    out("command, each `pulumi`, each program and each provider plugin, not the clusters. Memory is the summed");
    out("proportional set size (PSS) sampled every 100 ms, so the plugins' shared binary counts once, not once per");
    out("plugin as summed RSS would. The program is tests/e2e/rollout-program (one FleetConfigMap and one");
    out("Deployment of 2 replicas per cluster); bench/shards.ts writes the definitions. Both sides of a comparison");
    out("run side by side, alternating which goes first.");
    out(`Command: \`npm run bench -- --only shards\`; ${r.shards.runs} runs per side, ${r.shards.date}, on ${on(r.shards)}.`);
    out();
    out("### A shard's cost does not depend on the fleet's size");
    out();
    out("`fleet-rollout preview` of the same three local clusters (three stacks of one cluster), in a definition of 3");
    out("clusters and in one of 1,000 (the other 997 are never contacted: they are in other shards).");
    out();
    out("| definition | wall s | peak MiB |");
    out("| --- | --- | --- |");
    for (const row of r.shards.independence) out(`| ${row.label} | ${s(sec(row.runs), 1)} | ${s(mib(row.runs), 0)} |`);
    const [small, large] = r.shards.independence;
    const ratio = (key: string) => stat(large.runs.map((m: any, i: number) => m[key] / small.runs[i][key]));
    out();
    out(`- 1,000-cluster definition against 3-cluster fleet: time ${x(ratio("seconds"))}, memory ${x(ratio("peakMiB"))}.`);
    out();
    out("### One stack of N clusters against a stack per cluster");
    out();
    out(`A one-region change (the \`eu\` region's ConfigMap, a third of the clusters, whose Deployments roll) by`);
    out(`\`fleet-rollout up\` on N local clusters in 3 regions: one stack holding all N, or N stacks of one cluster`);
    out(`run ${r.shards.scaling.concurrency} at a time (the default \`--concurrency\`).`);
    out();
    out("| N | layout | wall s | peak MiB | plugins at once |");
    out("| ---: | --- | --- | --- | ---: |");
    const rows = r.shards.scaling.rows;
    for (const row of rows) out(`| ${row.clusters} | ${row.layout} | ${s(sec(row.runs), 1)} | ${s(mib(row.runs), 0)} | ${Math.max(...row.runs.map((m: any) => m.peakPlugins))} |`);
    out();
    const layouts = [...new Set(rows.map((row: any) => row.layout))] as string[];
    const fits = layouts.map((layout) => {
        const mine = rows.filter((row: any) => row.layout === layout);
        return {
            layout,
            time: fit(mine.map((row: any) => [row.clusters, sec(row.runs).median])),
            memory: fit(mine.map((row: any) => [row.clusters, mib(row.runs).median])),
        };
    });
    out("Per-cluster cost (the slope of a least-squares line through the medians) and what the same line gives at");
    out("1,000 clusters. A projection, not a measurement: it assumes the growth stays linear.");
    out();
    out("| layout | fixed s | s per cluster | fixed MiB | MiB per cluster | 1,000 clusters: wall | 1,000 clusters: peak memory |");
    out("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
    for (const f of fits) {
        const t = f.time.a + 1000 * f.time.b;
        // Stacks of one cluster run --concurrency at a time, so their memory stops growing once that many
        // run together: a line through it would project a growth that does not happen.
        const bounded = f.layout === "stack per cluster";
        const peak = Math.max(...rows.filter((row: any) => row.layout === f.layout).map((row: any) => mib(row.runs).median));
        const m = bounded ? `${(peak / 1024).toFixed(1)} GiB (the largest measured: at most ${r.shards.scaling.concurrency} stacks run at once)` : `${((f.memory.a + 1000 * f.memory.b) / 1024).toFixed(1)} GiB`;
        const perCluster = bounded ? "–" : f.memory.b.toFixed(1);
        const fixed = bounded ? "–" : f.memory.a.toFixed(0);
        out(`| ${f.layout} | ${f.time.a.toFixed(1)} | ${f.time.b.toFixed(2)} | ${fixed} | ${perCluster} | ${(t / 60).toFixed(0)} min | ${m} |`);
    }
    out();
    // Shards of a few dozen clusters sit between the two measured layouts: each is "one stack" of S.
    const one = fits.find((f) => f.layout === "one stack");
    if (one) {
        const size = 50;
        const shards = Math.ceil(1000 / size);
        const shardSeconds = one.time.a + size * one.time.b;
        const shardMiB = one.memory.a + size * one.memory.b;
        out(`The same lines for 1,000 clusters in ${shards} shard stacks of ${size}, each a "one stack" of ${size}: a shard takes about`);
        out(`${shardSeconds.toFixed(0)} s and ${(shardMiB / 1024).toFixed(1)} GiB. One machine running them one at a time needs about`);
        out(`${((shards * shardSeconds) / 60).toFixed(0)} min and ${(shardMiB / 1024).toFixed(1)} GiB; a CI matrix of ${shards} jobs (\`fleet-rollout plan --json\`), one shard per machine, about`);
        out(`${shardSeconds.toFixed(0)} s per wave and ${(shardMiB / 1024).toFixed(1)} GiB per machine.`);
        out();
    }
}

if (r.review) {
    const v = r.review;
    out("## 4. Reviewing a fleet change (`preview`'s groups, markdown and JSON)");
    out();
    out(`Command: \`npm run bench -- --only review\`; ${v.runs} runs per side, ${v.date}, on ${on(v)}. A synthetic preview of`);
    out(`${v.clusters.toLocaleString("en-US")} clusters × ${v.configMaps} changed ConfigMaps (a region with its own value and one cluster's override: three groups),`);
    out("grouped and printed as text, markdown and JSON, against the per-cluster table of the same preview (`--by-cluster`), each run a");
    out("process of its own (bench/review.ts), sides alternating. Peak memory is the process's whole RSS, Node's runtime included.");
    out();
    out("| | time ms | peak MiB |");
    out("| --- | --- | --- |");
    out(`| grouped: text + markdown + JSON | ${s(v.grouped.ms, 0)} | ${s(v.grouped.rssMiB, 0)} |`);
    out(`| per-cluster table (baseline) | ${s(v.byCluster.ms, 0)} | ${s(v.byCluster.rssMiB, 0)} |`);
    out(`| ratio | ${x(v.timeRatio)} | ${x(v.rssRatio)} |`);
    out();
    const met = v.grouped.ms.median < 1000;
    out(`- Target, under 1 s: **${met ? "met" : "missed"}** (median ${v.grouped.ms.median.toFixed(0)} ms, slowest run ${v.grouped.ms.max.toFixed(0)} ms).`);
    out();
}

if (r.stackCost) {
    const c = r.stackCost;
    const [each, once] = c.sides;
    const of = (runs: any[], key: string) => stat(runs.map((m) => m[key]));
    const ratio = (key: string) => stat(once.runs.map((m: any, i: number) => m[key] / each.runs[i][key]));
    out("## 5. The fixed cost of a stack: the program type-checked once, not in every stack");
    out();
    out(`Command: \`npm run bench -- --only stack-cost\`; ${c.runs} runs per side, ${c.date}, on ${on(c)}. \`fleet-rollout preview\` of`);
    out(`${c.stacks} one-cluster stacks of a deployed fleet with nothing to change (tests/e2e/rollout-program), ${c.concurrency} at a time, so every`);
    out("second of it is the stacks' fixed cost: the CLI, the language host, compiling and running the program, the provider.");
    out("Before: the language host type-checks the program in every stack (its default; `PULUMI_NODEJS_TRANSPILE_ONLY=false`");
    out("keeps it so). After: the command type-checks it once and runs the stacks with `PULUMI_NODEJS_TRANSPILE_ONLY=true`.");
    out("CPU is user + system time of the whole process tree, read from /proc every 100 ms; memory is summed PSS, as above.");
    out();
    out("| | wall s | CPU s | peak MiB |");
    out("| --- | --- | --- | --- |");
    for (const side of c.sides) out(`| ${side.label} | ${s(of(side.runs, "seconds"), 1)} | ${s(of(side.runs, "cpuSeconds"), 1)} | ${s(of(side.runs, "peakMiB"), 0)} |`);
    out(`| ratio, once against every stack | ${x(ratio("seconds"))} | ${x(ratio("cpuSeconds"))} | ${x(ratio("peakMiB"))} |`);
    out();
    const perStack = (runs: any[]) => stat(runs.map((m) => m.cpuSeconds / c.stacks)).median;
    out(`- CPU per stack: ${perStack(each.runs).toFixed(1)} s before, ${perStack(once.runs).toFixed(1)} s after (the one check included).`);
    out();
}

if (r.rolloutScale && r.shards) {
    const c = r.rolloutScale;
    // Section 3's "one stack" line: what a stack of S clusters costs, fixed part plus S times the slope.
    const one = r.shards.scaling.rows.filter((row: any) => row.layout === "one stack");
    const time = fit(one.map((row: any) => [row.clusters, sec(row.runs).median]));
    const memory = fit(one.map((row: any) => [row.clusters, mib(row.runs).median]));
    const sizes = c.rows.map((row: any) => row.clusters);
    out(`## 6. Waves at ${sizes.slice(0, -1).join(", ")}${sizes.length > 1 ? " and " : ""}${sizes[sizes.length - 1]} clusters, against the projection`);
    out();
    if (!sizes.includes(24)) {
        out("Not at 24: on this 2-core machine, 24 idle local control planes keep the load average at 20 to 27, and a rollout beside");
        out("them meets API timeouts (`Client.Timeout exceeded while awaiting headers`); run `--rollout-sizes 6,12,24` on a machine that holds them.");
        out();
    }
    out(`Command: \`npm run bench -- --only rollout-scale\`; ${c.runs} runs per size, ${c.date}, on ${on(c)}. \`fleet-rollout up\` of N`);
    out(`local clusters in 3 regions and 4 shard stacks, in the waves of the scale e2e (${c.waves.map((w: string) => `\`${w}\``).join(", ")}, the canary being`);
    out("the first shard that has clusters, and no `rest` when canary and 25% take every stack; the table shows each size's waves;");
    out(`${c.concurrency} stacks at a time within a wave). Each run is a one-region change (the eu ConfigMap; its Deployments roll), so every`);
    out("stack has work and a third of the clusters restart. Memory is summed PSS of the whole process tree, as in section 3.");
    out(`The projection is section 3's "one stack" line (${time.a.toFixed(1)} s + ${time.b.toFixed(2)} s per cluster; ${memory.a.toFixed(0)} MiB + ${memory.b.toFixed(1)} MiB per cluster)`);
    out("applied to each stack: wall time as the stacks one after another, memory as the largest wave's stacks together.");
    out("That line was measured before the program was type-checked once per run (section 5), so it overstates the fixed part.");
    out();
    out("| N | stacks per wave (clusters) | wall s | projected wall s | ratio | peak MiB | projected peak MiB | ratio | CPU s |");
    out("| ---: | --- | --- | ---: | --- | --- | ---: | --- | --- |");
    for (const row of c.rows) {
        const stacks = row.waves.flatMap((w: any) => w.stackSizes);
        const wall = stacks.reduce((t: number, n: number) => t + time.a + time.b * n, 0);
        const peak = Math.max(...row.waves.map((w: any) => w.stackSizes.reduce((t: number, n: number) => t + memory.a + memory.b * n, 0)));
        const layout = row.waves.map((w: any) => `${w.name} ${w.stackSizes.join("+")}`).join(", ");
        const ratio = (key: string, projected: number) => x(stat(row.runs.map((m: any) => m[key] / projected)));
        out(`| ${row.clusters} | ${layout} | ${s(sec(row.runs), 1)} | ${wall.toFixed(1)} | ${ratio("seconds", wall)} | ${s(mib(row.runs), 0)} | ${peak.toFixed(0)} | ${ratio("peakMiB", peak)} | ${s(stat(row.runs.map((m: any) => m.cpuSeconds)), 1)} |`);
    }
    out();
    const [small, large] = [c.rows[0], c.rows[c.rows.length - 1]];
    const growth = (key: string) => (stat(large.runs.map((m: any) => m[key])).median / stat(small.runs.map((m: any) => m[key])).median).toFixed(2);
    out(`- From ${small.clusters} to ${large.clusters} clusters (${(large.clusters / small.clusters).toFixed(0)}× the clusters, the same 4 stacks): wall ${growth("seconds")}×, peak memory ${growth("peakMiB")}×, CPU ${growth("cpuSeconds")}×.`);
    out();
}

if (r.yamlPreview) {
    const y = r.yamlPreview;
    const gap = y.preview.yaml.median - y.preview.typescript.median;
    out("## 7. A YAML and a Go program against their TypeScript twin");
    out();
    out(`Command: \`npm run bench -- --only yaml\`; ${y.runs} runs per variant, side by side, ${y.date}, on ${on(y)}. A first \`pulumi preview\``);
    out("on a new stack of examples/yaml-fleet (Pulumi YAML, the component from the compiled component package in dist/component");
    out("through its plugin) and of bench/yaml-twin (TypeScript, the same component and resources in the program's own process),");
    out(y.preview.go ? "on the same 3 local clusters, and of examples/go-fleet (Go, the same fleet through the Go SDK that `pulumi package gen-sdk`" : "on the same 3 local clusters. The parts are measured apart, once per pair of runs.");
    if (y.preview.go) out("generated, run by the toolchain's Go language host). The parts are measured apart, once per round of runs.");
    out();
    out("| | seconds |");
    out("| --- | --- |");
    out(`| YAML preview | ${s(y.preview.yaml, 1)} |`);
    if (y.preview.go) out(`| Go preview | ${s(y.preview.go, 1)} |`);
    out(`| TypeScript twin's preview | ${s(y.preview.typescript, 1)} |`);
    out(`| YAML's ratio, run by run | ${x(y.ratio)}: ${verdict(y.ratio.median, 1.3)} |`);
    if (y.goRatio) out(`| Go's ratio, run by run | ${x(y.goRatio)}: ${verdict(y.goRatio.median, 1.3)} |`);
    if (y.goBuild) {
        out(`| of Go's preview: \`go build\` of the unchanged program (the host keeps its output; the up-to-date check) | ${s(y.goBuild.upToDate, 1)} |`);
        out(`| not in Go's preview: \`go build\` after a change to the program (the link) | ${s(y.goBuild.link, 1)} |`);
    }
    out(`| YAML's preview less the twin's, the difference of the medians | ${gap.toFixed(1)} |`);
    out(`| of it: the plugin's start (dist/component: compiled JavaScript, nothing type-checked) | ${s(y.parts.pluginStart, 1)} |`);
    out("| of it: the schema | none inferred: the committed lib/component/schema.json, served as it is |");
    out("| of it: npm install | none: the language host runs no npm where package.json declares no dependency (checked each run) |");
    out(`| for comparison, served from source: the plugin's start on lib/component (run-plugin compiles and type-checks it) | ${s(y.parts.fromSource.pluginStart, 1)} |`);
    out(`| for comparison, served from source: the analyzer (the schema inferred from the TypeScript types) | ${s(y.parts.fromSource.analyzer, 1)} |`);
    out();
}

if (r.yamlPreviewFromSource) {
    const y = r.yamlPreviewFromSource;
    const gap = y.preview.yaml.median - y.preview.typescript.median;
    out("### 7, before: the component served from its TypeScript source (history)");
    out();
    out(`Command: \`npm run bench -- --only yaml\` before dist/component; ${y.runs} runs per variant, side by side, ${y.date}, on ${on(y)}. A first \`pulumi preview\``);
    out("on a new stack of examples/yaml-fleet (Pulumi YAML, the component from lib/component through its plugin) and of");
    out("bench/yaml-twin (TypeScript, the same component and resources in the program's own process), on the same 3 local clusters.");
    out("The parts are measured apart, once per pair of runs.");
    out();
    out("| | seconds |");
    out("| --- | --- |");
    out(`| YAML preview | ${s(y.preview.yaml, 1)} |`);
    out(`| TypeScript twin's preview | ${s(y.preview.typescript, 1)} |`);
    out(`| ratio, run by run | ${x(y.ratio)} |`);
    out(`| the difference of the medians | ${gap.toFixed(1)} |`);
    out(`| of it: the plugin's start (run-plugin compiles and type-checks the component and the library) | ${s(y.parts.pluginStart, 1)} |`);
    out(`| of it: the analyzer (the schema inferred from the TypeScript types at the first construct) | ${s(y.parts.analyzer, 1)} |`);
    out("| of it: npm install | none: the language host runs no npm where package.json declares no dependency (checked each run) |");
    out(`| what-if, not shipped then: the plugin's start with the component compiled to JavaScript first | ${s(y.parts.precompiledPluginStart, 1)} |`);
    out();
}

if (r.shardBalance) {
    const b = r.shardBalance;
    out("## 8. Shard balance: 1,000 clusters in 20 and in 40 shards");
    out();
    out(`Command: \`npm run bench -- --only shard-balance\`; ${b.runs} runs of each plan, ${b.date}, on ${on(b)}, ${b.cpus}. In process, no engine:`);
    out("`planRollout` of a 1,000-cluster definition split into N shard stacks (bounded-load rendezvous hashing, lib/fleet/shard-assignment.ts),");
    out("the clusters per shard, and how many other clusters change shard when one cluster is added or removed.");
    out();
    out("| shards | plan ms | clusters per shard min / median / max | mean | cap (1.1× mean, rounded up) | moves on adding one (mean, max) | moves on removing one (mean, max) | moves per cluster added, 1,000 → 1,100 (mean, max) |");
    out("| ---: | --- | --- | ---: | ---: | --- | --- | --- |");
    for (const row of b.rows) {
        const add = row.movesOnAdd;
        const rm = row.movesOnRemove;
        const grow = row.movesOnGrowth;
        out(`| ${row.shards} | ${s(row.planMs, 1)} | ${row.sizes.min} / ${row.sizes.median} / ${row.sizes.max} | ${row.mean} | ${row.cap} | ${add.mean.toFixed(2)}, ${add.max} (${add.trials} clusters) | ${rm.mean.toFixed(2)}, ${rm.max} (${rm.trials} clusters) | ${grow.mean.toFixed(2)}, ${grow.max} (${grow.steps} steps) |`);
    }
    out();
    out(`From 20 to 40 shards, ${b.movesFrom20To40} of the 1,000 clusters change shard (half of them must, for 40 even shards).`);
    out();
}

if (r.importAdoption) {
    const i = r.importAdoption;
    out("## Adopting a drifted fleet (`fleet-rollout import`)");
    out();
    out(`Command: \`npm run bench -- --only import\`; ${i.runs} runs, ${i.date}, on ${on(i)}. \`import\` of a synthetic drifted fleet of`);
    out(`${i.clusters.toLocaleString("en-US")} clusters in 20 regions, ${i.keys} keys each (regional values, one-off values, missing keys, 2 KiB file-shaped values; the`);
    out(`ConfigMap in ${i.found} of them, ${i.divergentKeys} keys diverging), reading mocked (bench/import-adoption.ts): the command's reader, derivation,`);
    out("report (text and JSON), refusal checks and file text, each run a process of its own.");
    out();
    out("| | median (min–max) |");
    out("| --- | --- |");
    out(`| whole import, reading mocked | ${s(i.seconds, 2, " s")} |`);
    out(`| of which derivation, report and file | ${s(i.deriveSeconds, 2, " s")} |`);
    out(`| peak memory (whole process) | ${s(i.rssMiB, 0, " MiB")} |`);
    out();
    out(`Target: under ${i.targetSeconds} s: ${i.seconds.max < i.targetSeconds ? "met, in every run" : "**missed**"}.`);
    out();
}

// The tables are regenerated between the markers; what is written by hand around them (the reading of
// the results) is kept, so a re-run never throws away the analysis.
const BEGIN = "<!-- bench:begin (generated by bench/report.ts) -->";
const END = "<!-- bench:end -->";
const page = path.join(ROOT, "docs", "BENCHMARKS.md");
const generated = `${BEGIN}\n${lines.join("\n")}\n${END}`;
const existing = fs.existsSync(page) ? fs.readFileSync(page, "utf8") : "";
const begin = existing.indexOf(BEGIN);
const end = existing.indexOf(END);
fs.writeFileSync(
    page,
    begin >= 0 && end > begin ? existing.slice(0, begin) + generated + existing.slice(end + END.length) : `# Benchmarks\n\n${generated}\n`,
);
