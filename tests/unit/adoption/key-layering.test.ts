import * as assert from "assert";
import { chooseLayering, ClusterHolding, HeldValue, KeyLayering } from "../../../lib/adoption/key-layering";
import { between, pick, random } from "./random-fleet";

/** The value a cluster ends up with under a layering, as the base < region < cluster model applies it. */
function effective(layering: Pick<KeyLayering, "base" | "regions" | "clusters">, h: ClusterHolding): HeldValue {
    if (layering.clusters.has(h.cluster)) return layering.clusters.get(h.cluster)!;
    if (layering.regions.has(h.region)) return layering.regions.get(h.region)!;
    return layering.base;
}

const NONE = Symbol("no entry");
type Choice = HeldValue | typeof NONE;

/**
 * The fewest entries of any layering that reproduces every cluster, by trying every choice: the base
 * is any value (one no cluster holds too) or absent; each region has no entry, or sets any of those,
 * or removes the key; each cluster likewise. A cluster's choice is checked as soon as it is made, which
 * skips only layerings that already fail to reproduce it.
 */
function bruteForceMinimum(holdings: readonly ClusterHolding[]): number {
    const values: HeldValue[] = [...new Set(holdings.map((h) => h.value)), null, "dnever held"];
    const unique = [...new Set(values)];
    const regions = [...new Set(holdings.map((h) => h.region))];
    const options: Choice[] = [NONE, ...unique];
    let best = Infinity;
    for (const base of unique) {
        const regionChoice = new Map<string, Choice>();
        const assignRegion = (r: number, entries: number): void => {
            if (r === regions.length) return assignCluster(0, entries);
            for (const choice of options) {
                regionChoice.set(regions[r], choice);
                assignRegion(r + 1, entries + (choice === NONE ? 0 : 1));
            }
        };
        const assignCluster = (c: number, entries: number): void => {
            if (c === holdings.length) {
                best = Math.min(best, entries);
                return;
            }
            const h = holdings[c];
            const region = regionChoice.get(h.region)!;
            const inherited = region === NONE ? base : region;
            for (const choice of options) {
                const value = choice === NONE ? inherited : choice;
                if (value === h.value) assignCluster(c + 1, entries + (choice === NONE ? 0 : 1));
            }
        };
        assignRegion(0, 0);
    }
    return best;
}

function randomHoldings(seed: number): ClusterHolding[] {
    const next = random(seed);
    const clusters = between(next, 1, 5);
    const regions = between(next, 1, Math.min(3, clusters));
    const alphabet: HeldValue[] = ["da", "db", "ba", null].slice(0, between(next, 2, 4));
    return Array.from({ length: clusters }, (_, i) => ({ cluster: `c${i}`, region: `r${between(next, 0, regions - 1)}`, value: pick(next, alphabet) }));
}

describe("adoption: one key's layering", () => {
    it("takes as few override entries as trying every base, region and cluster choice does, on 600 random small fleets", () => {
        for (let seed = 1; seed <= 600; seed++) {
            const holdings = randomHoldings(seed);
            const layering = chooseLayering(holdings);
            assert.strictEqual(layering.entries, bruteForceMinimum(holdings), `seed ${seed}: ${JSON.stringify(holdings)} gave ${JSON.stringify({ ...layering, regions: [...layering.regions], clusters: [...layering.clusters] })}`);
        }
    });

    it("gives every cluster exactly the value it holds, or no key where it has none, on 600 random small fleets", () => {
        for (let seed = 1; seed <= 600; seed++) {
            const holdings = randomHoldings(seed);
            const layering = chooseLayering(holdings);
            for (const h of holdings) assert.strictEqual(effective(layering, h), h.value, `seed ${seed}, cluster ${h.cluster}`);
            assert.strictEqual(layering.entries, layering.regions.size + layering.clusters.size);
        }
    });

    it("puts a value every cluster agrees on in the base, with no override", () => {
        const layering = chooseLayering(["a", "b", "c"].map((c, i) => ({ cluster: c, region: `r${i % 2}`, value: "dinfo" })));
        assert.deepStrictEqual([layering.base, layering.regions.size, layering.clusters.size], ["dinfo", 0, 0]);
    });

    it("gives a region its own value where the whole region agrees, and lists a lone cluster's value as an exception", () => {
        const holdings = [
            { cluster: "us-1", region: "us", value: "dus" },
            { cluster: "us-2", region: "us", value: "dus" },
            { cluster: "eu-1", region: "eu", value: "deu" },
            { cluster: "eu-2", region: "eu", value: "deu" },
            { cluster: "eu-3", region: "eu", value: "deu" },
            { cluster: "ap-1", region: "ap", value: "dus" },
            { cluster: "ap-2", region: "ap", value: "dap" },
        ];
        const layering = chooseLayering(holdings);
        assert.strictEqual(layering.base, "dus");
        assert.deepStrictEqual([...layering.regions], [["eu", "deu"]]);
        assert.deepStrictEqual([...layering.clusters], [["ap-2", "dap"]]);
    });

    it("removes a key in the clusters that lack it, and leaves it out of the base when most clusters lack it", () => {
        const lacking = chooseLayering([
            { cluster: "a", region: "x", value: "don" },
            { cluster: "b", region: "y", value: "don" },
            { cluster: "c", region: "z", value: null },
        ]);
        assert.deepStrictEqual([lacking.base, [...lacking.regions]], ["don", [["z", null]]]);
        const rare = chooseLayering([
            { cluster: "a", region: "x", value: null },
            { cluster: "b", region: "x", value: null },
            { cluster: "c", region: "x", value: "done-off" },
        ]);
        assert.deepStrictEqual([rare.base, [...rare.regions], [...rare.clusters]], [null, [], [["c", "done-off"]]]);
    });

    it("chooses the same layering whatever order the clusters come in", () => {
        for (let seed = 1; seed <= 100; seed++) {
            const holdings = randomHoldings(seed);
            const a = chooseLayering(holdings);
            const b = chooseLayering([...holdings].reverse());
            assert.deepStrictEqual([a.base, new Map([...a.regions].sort()), new Map([...a.clusters].sort())], [b.base, new Map([...b.regions].sort()), new Map([...b.clusters].sort())], `seed ${seed}`);
        }
    });
});
