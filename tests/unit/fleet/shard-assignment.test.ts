import * as assert from "assert";
import { selectClusters } from "../../../lib/fleet/fleet-selection";
import { planStacks } from "../../../lib/rollout-cli/plan/plan";
import { assignShards, shardCapacity, shardOf, shardRanking } from "../../../lib/fleet/shard-assignment";

const fleetOf = (n: number, prefix = "cluster") => Array.from({ length: n }, (_, i) => `${prefix}-${String(i + 1).padStart(4, "0")}`);

/** Clusters per shard, shard 1 first. */
function sizes(assigned: ReadonlyMap<string, number>, count: number): number[] {
    const out = new Array<number>(count).fill(0);
    for (const shard of assigned.values()) out[shard - 1]++;
    return out;
}

/** How many of the clusters both assignments have are in another shard in the second. */
function moved(before: ReadonlyMap<string, number>, after: ReadonlyMap<string, number>): number {
    let n = 0;
    for (const [name, shard] of before) if (after.has(name) && after.get(name) !== shard) n++;
    return n;
}

/** The moves of adding each of `trials` new clusters, and of removing each of `trials` clusters, one at a time. */
function churn(names: readonly string[], count: number, trials: number): { add: number[]; remove: number[] } {
    const base = assignShards(names, count);
    const add: number[] = [];
    const remove: number[] = [];
    for (let i = 0; i < trials; i++) {
        add.push(moved(base, assignShards([...names, `added-${i}`], count)));
        const gone = names[Math.floor((i * names.length) / trials)];
        remove.push(moved(base, assignShards(names.filter((n) => n !== gone), count)));
    }
    return { add, remove };
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

describe("shard assignment", () => {
    it("keeps the largest of 20 shards of 1,000 clusters within 1.1 times the mean, and of 40 within that rounded up", () => {
        for (const count of [20, 40]) {
            const s = sizes(assignShards(fleetOf(1000), count), count);
            assert.strictEqual(s.reduce((a, b) => a + b, 0), 1000);
            assert.ok(Math.max(...s) <= Math.ceil(1.1 * (1000 / count)), `${count} shards: largest ${Math.max(...s)}, mean ${1000 / count}: ${s}`);
            if (count === 20) assert.ok(Math.max(...s) <= 55, `20 shards: largest ${Math.max(...s)}`);
            assert.ok(Math.min(...s) > 0, `${count} shards: none empty: ${s}`);
        }
    });

    it("leaves no shard empty while there are as many clusters as shards, at 10, 40 and 100 clusters", () => {
        for (const [n, count] of [
            [8, 8],
            [10, 3],
            [10, 10],
            [40, 8],
            [100, 8],
            [100, 100],
        ]) {
            const s = sizes(assignShards(fleetOf(n), count), count);
            assert.ok(Math.min(...s) >= 1, `${n} clusters in ${count} shards: ${s}`);
            assert.ok(Math.max(...s) <= shardCapacity(n, count), `${n} clusters in ${count} shards: ${s} within ${shardCapacity(n, count)}`);
        }
    });

    it("caps a shard at 1.1 times the mean rounded up, counted in whole numbers", () => {
        assert.strictEqual(shardCapacity(1000, 20), 55);
        assert.strictEqual(shardCapacity(1000, 40), 28);
        assert.strictEqual(shardCapacity(10, 3), 4);
        assert.strictEqual(shardCapacity(3, 8), 1);
    });

    it("moves few other clusters when one is added or removed: at 10, 100 and 1,000 clusters", () => {
        // Measured (see docs/SHARDS.md): the averages and maxima of these churns. The bounds leave room
        // for nothing but what was measured: a change to the scheme that moved more would fail here.
        const cases: { n: number; count: number; trials: number; addMean: number; addMax: number; removeMean: number; removeMax: number }[] = [
            { n: 10, count: 3, trials: 50, addMean: 1, addMax: 1, removeMean: 1, removeMax: 1 },
            { n: 100, count: 8, trials: 50, addMean: 1, addMax: 2, removeMean: 1, removeMax: 2 },
            { n: 1000, count: 20, trials: 20, addMean: 4, addMax: 4, removeMean: 1, removeMax: 2 },
        ];
        for (const c of cases) {
            const { add, remove } = churn(fleetOf(c.n), c.count, c.trials);
            const what = `${c.n} clusters in ${c.count} shards: add ${add}, remove ${remove}`;
            assert.ok(mean(add) <= c.addMean && Math.max(...add) <= c.addMax, what);
            assert.ok(mean(remove) <= c.removeMean && Math.max(...remove) <= c.removeMax, what);
        }
    });

    it("moves a small share when the shard count grows, far from the whole fleet", () => {
        const names = fleetOf(1000);
        const twenty = assignShards(names, 20);
        const forty = assignShards(names, 40);
        const n = moved(twenty, forty);
        // Half the clusters must move for 40 even shards; hashing moves not many more than that.
        assert.ok(n >= 450 && n <= 600, `20 → 40 shards moves ${n} of 1,000 clusters`);
    });

    it("gives each cluster its rendezvous shard first, so a fleet with room everywhere keeps plain rendezvous hashing's choices", () => {
        const names = fleetOf(30);
        const assigned = assignShards(names, 3);
        const first = names.filter((n) => assigned.get(n) === shardRanking(n, 3)[0]).length;
        assert.ok(first >= 25, `most clusters get their first choice: ${first} of 30`);
    });

    it("depends only on the set of names: the fleet's order and repeated names change nothing", () => {
        const names = fleetOf(200);
        const reversed = [...names].reverse();
        assert.deepStrictEqual([...assignShards(names, 7)].sort(), [...assignShards([...reversed, names[0]], 7)].sort());
    });

    it("gives the program's selection and the rollout command's plan the same shards", () => {
        const clusters = fleetOf(300).map((name, i) => ({ name, region: `r${i % 3}` }));
        const stacks = planStacks({ clusters, stacks: { shards: 7 } });
        for (const stack of stacks) {
            const index = Number(/^shard-(\d+)-of-7$/.exec(stack.name)![1]);
            assert.deepStrictEqual(
                selectClusters(clusters, { shard: { index, count: 7 } }).map((c) => c.name),
                stack.clusters.map((c) => c.name),
            );
        }
        assert.strictEqual(stacks.length, 7);
    });

    it("shardOf with the fleet gives the assigned shard; without it, as before the fleet was an argument, the cluster's first choice", () => {
        const names = ["us-east-1", "eu-west-1", "eu-central-1", "us-west-2", "ap-south-1", "ap-northeast-1"];
        const assigned = assignShards(names, 3);
        for (const n of names) assert.strictEqual(shardOf(n, 3, names), assigned.get(n), n);
        // What shardOf(name, count) returned before shards were even (plain rendezvous hashing), recorded then.
        const before: Record<string, [number, number, number]> = {
            "us-east-1": [1, 1, 1],
            "eu-west-1": [1, 3, 8],
            "eu-central-1": [1, 3, 3],
            "us-west-2": [1, 3, 20],
            "ap-south-1": [2, 3, 5],
            "ap-northeast-1": [1, 3, 3],
        };
        for (const [n, shards] of Object.entries(before)) assert.deepStrictEqual([2, 3, 20].map((count) => shardOf(n, count)), shards, n);
        // The old call is not always the shard a cluster is in now: 5 of the 6 clusters first choose shard 3 of 3.
        assert.notStrictEqual(shardOf("ap-northeast-1", 3), shardOf("ap-northeast-1", 3, names));
    });
});
