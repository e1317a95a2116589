/**
 * Shard balance (issue 31), run by `npm run bench -- --only shard-balance` (bench/run.ts): planning a
 * fleet of 1,000 clusters in 20 and in 40 shard stacks, in process (no engine, no cluster). For each
 * count: the time `planRollout` takes, the clusters per shard (min, median, max against the mean and
 * the cap of 1.1 times it), how many other clusters move when one is added or removed (and per
 * cluster, as the fleet grows to 1,100 one cluster at a time), and how many move when the count goes
 * from 20 to 40.
 */
import * as os from "os";
import { FleetDefinition } from "../lib/fleet/fleet-definition";
import { planRollout } from "../lib/rollout-cli/plan/plan";
import { shardSummary } from "../lib/rollout-cli/plan/plan-summary";
import { assignShards, shardCapacity } from "../lib/fleet/shard-assignment";
import { stat } from "./stat";

const CLUSTERS = 1000;
const COUNTS = [20, 40];
/** How many clusters are added (and removed), one at a time, to count the others that move. */
const CHURN_TRIALS = 50;
/** How many clusters the growing fleet gains, one at a time. */
const GROWTH = 100;

const fleet = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `cluster-${String(i + 1).padStart(4, "0")}`, region: ["us", "eu", "ap"][i % 3] }));

function moved(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): number {
    let n = 0;
    for (const [name, shard] of before) if (after.has(name) && after.get(name) !== shard) n++;
    return n;
}

/** The shard-balance section of docs/bench-results.json. */
export function shardBalance(runs: number) {
    const clusters = fleet(CLUSTERS);
    const names = clusters.map((c) => c.name);
    const rows = COUNTS.map((count) => {
        const definition: FleetDefinition = { clusters, stacks: { shards: count } };
        const samples: number[] = [];
        for (let i = 0; i < runs; i++) {
            // A new name each run, so the assignment's one-entry cache never answers a timed plan.
            const start = process.hrtime.bigint();
            planRollout({ ...definition, clusters: [...clusters, { name: `timed-${i}`, region: "us" }] }, undefined);
            samples.push(Number(process.hrtime.bigint() - start) / 1e6);
        }
        const base = assignShards(names, count);
        const add: number[] = [];
        const remove: number[] = [];
        for (let i = 0; i < CHURN_TRIALS; i++) {
            add.push(moved(base, assignShards([...names, `added-${i}`], count)));
            remove.push(moved(base, assignShards(names.filter((_, j) => j !== Math.floor((i * CLUSTERS) / CHURN_TRIALS)), count)));
        }
        // A fleet that grows one cluster at a time from 1,000 to 1,000 + GROWTH: the cap rises by one every
        // few clusters, which lets a few clusters a full shard turned away go back to it.
        const growth: number[] = [];
        let previous = base;
        for (let i = 1; i <= GROWTH; i++) {
            const next = assignShards([...names, ...Array.from({ length: i }, (_, j) => `grown-${j}`)], count);
            growth.push(moved(previous, next));
            previous = next;
        }
        const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
        const own = assignShards(names, count);
        const ownSizes = Array.from({ length: count }, (_, k) => [...own.values()].filter((s) => s === k + 1).length);
        return {
            clusters: CLUSTERS,
            shards: count,
            planMs: stat(samples),
            sizes: shardSummary(ownSizes),
            mean: CLUSTERS / count,
            cap: shardCapacity(CLUSTERS, count),
            movesOnAdd: { mean: mean(add), max: Math.max(...add), trials: CHURN_TRIALS },
            movesOnRemove: { mean: mean(remove), max: Math.max(...remove), trials: CHURN_TRIALS },
            movesOnGrowth: { mean: mean(growth), max: Math.max(...growth), steps: GROWTH },
        };
    });
    const twenty = assignShards(names, 20);
    const forty = assignShards(names, 40);
    return { rows, movesFrom20To40: moved(twenty, forty), cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? "?"}` };
}
