import * as assert from "assert";
import { adoptedConfigText, parseAdoptedConfig } from "../../../lib/adoption/adopted-config";
import { deriveLayering } from "../../../lib/adoption/derive-layering";
import { ObservedConfigMap } from "../../../lib/adoption/observed-config-map";
import { overlapProblems, planClusters, plainEntries, toContent } from "../../../lib/effective-config";
import { configMapArgsProblems, contentProblems } from "../../../lib/validation";
import { between, random, randomFleet } from "./random-fleet";

/** Every cluster's content as the FleetConfigMap would render it from the adopted config. */
function rendered(observed: readonly ObservedConfigMap[], config: ReturnType<typeof parseAdoptedConfig>) {
    const clusters = observed.map((o) => ({ name: o.cluster, region: o.region }));
    assert.deepStrictEqual(configMapArgsProblems({ fleet: {}, ...config }, clusters), []);
    return planClusters(clusters, config).map((plan) => {
        assert.deepStrictEqual(overlapProblems(plan), [], `cluster ${plan.name}`);
        const entries = plainEntries(plan.layout)!;
        assert.deepStrictEqual(contentProblems(plan.name, entries), []);
        return toContent(entries);
    });
}

const sorted = (record: Readonly<Record<string, string>>) => Object.fromEntries(Object.entries(record).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

describe("adoption: the derived definition", () => {
    it("renders every cluster's data and binaryData byte for byte after going through the YAML file, on 300 random drifted fleets", () => {
        for (let seed = 1; seed <= 300; seed++) {
            const next = random(seed);
            const observed = randomFleet(next, { clusters: between(next, 1, 12), regions: between(next, 1, 4), keys: between(next, 1, 8) });
            const derived = deriveLayering(observed);
            const text = adoptedConfigText({ metadata: { name: "app-config", namespace: "shop" }, ...derived });
            const config = parseAdoptedConfig(text);
            const contents = rendered(observed, config);
            observed.forEach((o, i) => {
                assert.deepStrictEqual(contents[i].data, sorted(o.data), `seed ${seed}, cluster ${o.cluster}: data\n${text}`);
                assert.deepStrictEqual(contents[i].binaryData, sorted(o.binaryData), `seed ${seed}, cluster ${o.cluster}: binaryData\n${text}`);
            });
        }
    });

    it("counts as its entries the sum of each key's least entries, one per layer and key even where a key moves between data and binaryData", () => {
        const observed: ObservedConfigMap[] = [
            { cluster: "a", region: "x", data: { LOGO: "not binary" }, binaryData: {} },
            { cluster: "b", region: "y", data: {}, binaryData: { LOGO: "AA==" } },
            { cluster: "c", region: "y", data: {}, binaryData: { LOGO: "AA==" } },
        ];
        const derived = deriveLayering(observed);
        assert.deepStrictEqual(derived.binaryData, { LOGO: "AA==" });
        assert.deepStrictEqual(derived.overrides.regions, { x: { data: { LOGO: "not binary" }, remove: ["LOGO"] } });
        assert.strictEqual(derived.entries, 1);
    });

    it("writes a value with trailing blanks or a carriage return double-quoted, so an editor cannot change it unseen", () => {
        const data = { A: "x  \ny\n", B: "c\r\n", C: "plain\nlines\n" };
        const text = adoptedConfigText({ metadata: { name: "a", namespace: "b" }, data, binaryData: {}, overrides: { regions: {}, clusters: {} } });
        assert.match(text, /A: "x .*\\ny\\n"/);
        assert.match(text, /B: "c\\r\\n"/);
        assert.match(text, /C: \|\n {4}plain\n {4}lines\n/);
        assert.deepStrictEqual(parseAdoptedConfig(text).data, data);
    });

    it("derives a 1,000-cluster drifted fleet of 40 keys in well under the benchmark's 2 seconds", () => {
        const next = random(7);
        const observed = randomFleet(next, { clusters: 1000, regions: 20, keys: 40 });
        const start = process.hrtime.bigint();
        deriveLayering(observed);
        const ms = Number(process.hrtime.bigint() - start) / 1e6;
        assert.ok(ms < 2000, `took ${ms.toFixed(0)} ms`);
    });
});

describe("adoption: reading the adopted-config file", () => {
    it("names the field at fault and the file, without a stack trace", () => {
        const bad = "metadata: { name: app-config, namespace: shop }\ndata:\n  PORT: 8080\noverrides:\n  regions:\n    eu: { remove: NOT_A_LIST }\n";
        assert.throws(
            () => parseAdoptedConfig(bad, "adopted/app-config.yaml"),
            (err: Error) =>
                err.name === "AdoptedConfigError" &&
                /^adopted config adopted\/app-config\.yaml is invalid:\n/.test(err.message) &&
                /`data\.PORT`: must be a string \(quote it in YAML\)/.test(err.message) &&
                /`overrides\.regions\.eu\.remove`: must be a list of key names/.test(err.message),
        );
    });

    it("refuses a field it does not know, so a typo is never silently ignored", () => {
        assert.throws(() => parseAdoptedConfig("metadata: { name: a, namespace: b }\noverides: {}\n"), /`overides`: is not a known field/);
    });
});
