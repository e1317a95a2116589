/**
 * Issue 20, point 4: the rollout command's wall time and peak memory on 6, 12 and 24 local clusters,
 * run by `npm run bench -- --only rollout-scale` (bench/run.ts). Each size is one definition of N
 * clusters in 3 regions and 4 shard stacks, rolled out as the scale e2e does it: waves of one canary
 * shard, then 25% of the stacks left, then the rest. Each measured run is a one-region change (the eu
 * region's ConfigMap, whose Deployments roll), so every wave's stacks have something to do but only a
 * third of the clusters restart. Memory is the summed PSS of the command's whole process tree, as in
 * the shard benchmarks (bench/shards.ts).
 *
 * There is no second variant to run side by side: the figures are set against the projection line of
 * section 3 (a shard costs what "one stack" of its size costs), which is what the 1,000-cluster estimate
 * on the benchmarks page rests on.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DEFAULT_CONCURRENCY } from "../lib/rollout-cli/arguments";
import { pulumiEnv } from "../tests/e2e/harness";
import { localFleet, Measured, measure, writeDefinition } from "./shards";

const ROOT = path.resolve(__dirname, "..");
const PROGRAM = path.join(ROOT, "tests/e2e/rollout-program");
const SHARDS = 4;
/** The waves of the scale e2e (tests/scale/rollout-at-scale.test.ts). */
export const SCALE_WAVES = ["canary=shard:1/4", "next=25%", "rest=*"];

/** One fleet size's runs. */
export interface RolloutScaleRow {
    /** Clusters in the definition, all of them local clusters. */
    readonly clusters: number;
    /** Clusters in each stack of each wave, from `plan --json`: the projection is worked out from them. */
    readonly waves: { name: string; stackSizes: number[] }[];
    /** Each measured `up` of a one-region change. */
    readonly runs: Measured[];
}

function log(line: string) {
    process.stderr.write(`[bench] ${line}\n`);
}

/** Deploys each size once, then measures `runs` wave rollouts of a one-region change on it. */
export async function rolloutScale(sizes: number[], runs: number): Promise<{ rows: RolloutScaleRow[]; concurrency: number; waves: string[] }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-rollout-scale-"));
    localFleet(Math.max(...sizes));
    const rows: RolloutScaleRow[] = [];
    for (const n of sizes) {
        const namespace = `bench-scale-${n}`;
        const file = path.join(dir, `fleet-${n}.yaml`);
        const vars = pulumiEnv(`bench-scale-${n}`, "bench-only");
        writeDefinition(file, n, n, `{ shards: ${SHARDS} }`, namespace, {});
        const planOf = (...extra: string[]) => JSON.parse(execFileSync(path.join(ROOT, "node_modules/.bin/ts-node"), ["--transpile-only", "lib/rollout-cli/main.ts", "plan", "-f", file, "--json", ...extra], { cwd: ROOT, env: vars, encoding: "utf8" }));
        // A cluster's shard is a hash of its name, so at 6 clusters a shard can be empty, and a wave of
        // it would select nothing: the canary is the first shard that has clusters.
        const shards: { selector: string; clusters: unknown[] }[] = planOf().waves.flatMap((w: any) => w.stacks);
        const canary = shards.find((s) => s.clusters.length > 0)!.selector;
        // And with as few as two shards that have clusters, canary and 25% take them all: no `rest` wave.
        const nonEmpty = shards.filter((s) => s.clusters.length > 0).length;
        const sizeWaves = [`canary=${canary}`, ...SCALE_WAVES.slice(1, nonEmpty > 2 ? 3 : 2)].flatMap((w) => ["--wave", w]);
        const args = ["-f", file, "-C", PROGRAM, "--json", "--no-progress", ...sizeWaves];
        const plan = planOf(...sizeWaves);
        const planned = plan.waves.map((w: any) => ({ name: w.name, stackSizes: w.stacks.map((s: any) => s.clusters.length) }));
        const first = await measure(vars, ["up", ...args]);
        log(`rollout scale N=${n}: first up (not counted) ${first.seconds.toFixed(1)} s`);
        const samples: Measured[] = [];
        for (let run = 0; run < runs; run++) {
            writeDefinition(file, n, n, `{ shards: ${SHARDS} }`, namespace, { euApiUrl: `https://api-${run}.eu.example.com` });
            const m = await measure(vars, ["up", ...args]);
            samples.push(m);
            log(`rollout scale N=${n} run ${run + 1}: ${m.seconds.toFixed(1)} s, ${m.cpuSeconds.toFixed(1)} s CPU, ${m.peakMiB.toFixed(0)} MiB, ${m.peakPlugins} plugins at once`);
        }
        rows.push({ clusters: n, waves: planned, runs: samples });
    }
    return { rows, concurrency: DEFAULT_CONCURRENCY, waves: SCALE_WAVES };
}
