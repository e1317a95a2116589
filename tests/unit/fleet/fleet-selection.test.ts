import * as assert from "assert";
import { formatSelector, parseSelector, selectClusters, selectionProblems } from "../../../lib/fleet/fleet-selection";
import { formatProblem } from "../../../lib/errors/problems";

const fleet = [
    { name: "us-east-1", region: "us" },
    { name: "eu-west-1", region: "eu" },
    { name: "eu-central-1", region: "eu" },
    { name: "ap-south-1", region: "ap" },
];
const names = (clusters: { name: string }[]) => clusters.map((c) => c.name);
const lines = (selection: Parameters<typeof selectionProblems>[0]) => selectionProblems(selection, fleet).map(formatProblem);

describe("fleet selection", () => {
    it("selects by region, by cluster names and by shard, in fleet order", () => {
        assert.deepStrictEqual(names(selectClusters(fleet, { regions: ["eu"] })), ["eu-west-1", "eu-central-1"]);
        assert.deepStrictEqual(names(selectClusters(fleet, { clusters: ["ap-south-1", "us-east-1"] })), ["us-east-1", "ap-south-1"]);
        assert.deepStrictEqual(names(selectClusters(fleet, undefined)), names(fleet));
    });

    it("puts every cluster in exactly one shard", () => {
        const many = Array.from({ length: 200 }, (_, i) => ({ name: `c-${i}`, region: "r" }));
        const shards = [1, 2, 3, 4].map((index) => names(selectClusters(many, { shard: { index, count: 4 } })));
        assert.strictEqual(shards.flat().length, 200);
        assert.strictEqual(new Set(shards.flat()).size, 200);
        for (const shard of shards) assert.ok(shard.length > 30, `shards are roughly even: ${shards.map((s) => s.length)}`);
    });

    it("names an unknown region or cluster and what the fleet has", () => {
        assert.deepStrictEqual(lines({ regions: ["europe"] }), ['`select.regions[0]`: the fleet has no region "europe"; its regions are "us", "eu", "ap"']);
        assert.deepStrictEqual(lines({ clusters: ["eu-west-1", "eu-wst-1"] }), [
            '`select.clusters[1]`: the fleet has no cluster "eu-wst-1"; its clusters are "us-east-1", "eu-west-1", "eu-central-1", "ap-south-1"',
        ]);
    });

    it("names at most ten of the fleet's regions after an unknown one", () => {
        const many = Array.from({ length: 30 }, (_, i) => ({ name: `c-${i}`, region: `r-${i}` }));
        assert.deepStrictEqual(selectionProblems({ regions: ["europe"] }, many).map(formatProblem), [
            '`select.regions[0]`: the fleet has no region "europe"; its regions are "r-0", "r-1", "r-2", "r-3", "r-4", "r-5", "r-6", "r-7", "r-8", "r-9" and 20 more',
        ]);
    });

    it("refuses a shard out of range, a mix of kinds, and an empty list", () => {
        assert.deepStrictEqual(lines({ shard: { index: 0, count: 3 } }), ["`select.shard.index`: is 0; shards are numbered from 1 to 3"]);
        assert.deepStrictEqual(lines({ shard: { index: 4, count: 3 } }), ["`select.shard.index`: is 4; shards are numbered from 1 to 3"]);
        assert.deepStrictEqual(lines({ shard: { index: 1, count: 0 } }), ["`select.shard.count`: is 0; the limit is 1 or more"]);
        assert.deepStrictEqual(lines({ regions: ["eu"], clusters: ["us-east-1"] }), [
            "`select`: sets `regions` and `clusters`; a selection is by regions, by clusters or by shard, one at a time",
        ]);
        assert.deepStrictEqual(lines({ regions: [] }), ["`select.regions`: names no region; name at least one"]);
    });

    it("reads and writes selectors", () => {
        assert.deepStrictEqual(parseSelector("region:eu,us").selection, { regions: ["eu", "us"] });
        assert.deepStrictEqual(parseSelector("cluster:a").selection, { clusters: ["a"] });
        assert.deepStrictEqual(parseSelector("shard:2/4").selection, { shard: { index: 2, count: 4 } });
        assert.deepStrictEqual(parseSelector("*"), {});
        for (const text of ["region:eu,us", "cluster:a", "shard:2/4", "*"]) assert.strictEqual(formatSelector(parseSelector(text).selection), text);
        assert.match(formatProblem(parseSelector("zone:x", "--wave canary").problem!), /^`--wave canary`: "zone:x" is not a selector; selectors are `region:NAME/);
        assert.match(formatProblem(parseSelector("shard:2").problem!), /a shard is written `shard:I\/N`/);
        assert.match(formatProblem(parseSelector("cluster:a,,b").problem!), /has an empty name/);
    });
});
