import * as assert from "assert";
import { mergeLayers } from "../../lib/deep-merge";
import { clusterProvenance, Layer, layerKeys } from "../../lib/provenance";

const base: Layer<string> = { layer: "base", path: [], data: { LOG_LEVEL: "info", API_URL: "https://api", FEATURE_X: "on" }, binaryData: { "logo.png": "AA==" } };
const region = (patch: Partial<Layer<string>>): Layer<string> => ({ layer: "overrides.regions.eu", path: ["overrides", "regions", "eu"], ...patch });
const cluster = (patch: Partial<Layer<string>>): Layer<string> => ({
    layer: "overrides.clusters.eu-central-1",
    path: ["overrides", "clusters", "eu-central-1"],
    ...patch,
});

/** The content the layers give, each key its last value: what an untyped FleetConfigMap writes. */
function contentOf(layers: Layer<string>[]) {
    const layering = layerKeys(layers);
    const last = (record: Record<string, readonly { value: string }[]>) => Object.fromEntries(Object.entries(record).map(([k, sets]) => [k, sets[sets.length - 1].value]));
    return { layering, content: { data: last(layering.data), binaryData: last(layering.binaryData) } };
}

describe("provenance", () => {
    it("names the base layer for every key no override touches", () => {
        const { layering, content } = contentOf([base]);
        assert.deepStrictEqual(clusterProvenance(layering, content), {
            keys: {
                API_URL: { layer: "base", field: "data.API_URL", value: "https://api", kind: "data" },
                FEATURE_X: { layer: "base", field: "data.FEATURE_X", value: "on", kind: "data" },
                LOG_LEVEL: { layer: "base", field: "data.LOG_LEVEL", value: "info", kind: "data" },
                "logo.png": { layer: "base", field: 'binaryData["logo.png"]', value: "AA==", kind: "binaryData" },
            },
            removed: {},
        });
    });

    it("names the region's override for a key it sets", () => {
        const { layering, content } = contentOf([base, region({ data: { API_URL: "https://api.eu" } })]);
        assert.deepStrictEqual(clusterProvenance(layering, content).keys.API_URL, {
            layer: "overrides.regions.eu",
            field: "overrides.regions.eu.data.API_URL",
            value: "https://api.eu",
            kind: "data",
        });
    });

    it("names the cluster's override over the region's", () => {
        const { layering, content } = contentOf([base, region({ data: { LOG_LEVEL: "warn" } }), cluster({ data: { LOG_LEVEL: "debug" } })]);
        assert.deepStrictEqual(clusterProvenance(layering, content).keys.LOG_LEVEL, {
            layer: "overrides.clusters.eu-central-1",
            field: 'overrides.clusters["eu-central-1"].data.LOG_LEVEL',
            value: "debug",
            kind: "data",
        });
    });

    it("names the layer that removed a key the cluster does not have", () => {
        const { layering, content } = contentOf([base, region({}), cluster({ remove: ["LOG_LEVEL", "FEATURE_X"] })]);
        const provenance = clusterProvenance(layering, content);
        assert.ok(!("FEATURE_X" in provenance.keys));
        assert.deepStrictEqual(provenance.removed, {
            FEATURE_X: { layer: "overrides.clusters.eu-central-1", field: 'overrides.clusters["eu-central-1"].remove[1]' },
            LOG_LEVEL: { layer: "overrides.clusters.eu-central-1", field: 'overrides.clusters["eu-central-1"].remove[0]' },
        });
    });

    it("keeps the removal that took the key away, not a later one that found nothing to remove", () => {
        const { layering, content } = contentOf([base, region({ remove: ["FEATURE_X"] }), cluster({ remove: ["FEATURE_X", "NEVER_SET"] })]);
        assert.deepStrictEqual(clusterProvenance(layering, content).removed, {
            FEATURE_X: { layer: "overrides.regions.eu", field: "overrides.regions.eu.remove[0]" },
            NEVER_SET: { layer: "overrides.clusters.eu-central-1", field: 'overrides.clusters["eu-central-1"].remove[1]' },
        });
    });

    it("names the layer that re-adds a key after a lower layer removed it, and no longer lists it as removed", () => {
        const { layering, content } = contentOf([base, region({ remove: ["FEATURE_X"] }), cluster({ data: { FEATURE_X: "beta" } })]);
        const provenance = clusterProvenance(layering, content);
        assert.deepStrictEqual(provenance.removed, {});
        assert.deepStrictEqual(provenance.keys.FEATURE_X, {
            layer: "overrides.clusters.eu-central-1",
            field: 'overrides.clusters["eu-central-1"].data.FEATURE_X',
            value: "beta",
            kind: "data",
        });
        assert.deepStrictEqual(layering.data.FEATURE_X.map((s) => s.origin.layer), ["overrides.clusters.eu-central-1"], "values before the removal are forgotten");
    });

    it("names the layer that removes and re-adds a key in one patch, moving it from binaryData to data", () => {
        const { layering, content } = contentOf([base, region({ remove: ["logo.png"], data: { "logo.png": "text" } })]);
        const provenance = clusterProvenance(layering, content);
        assert.deepStrictEqual(provenance.keys["logo.png"], { layer: "overrides.regions.eu", field: 'overrides.regions.eu.data["logo.png"]', value: "text", kind: "data" });
        assert.deepStrictEqual(provenance.removed, {});
    });

    it("points at the field an override set inside an object value", () => {
        const layering = layerKeys<unknown>([
            { layer: "base", path: [], data: { "config.json": { db: { host: "db", port: 5432 }, cache: { ttl: 1 } } } },
            { layer: "overrides.regions.eu", path: ["overrides", "regions", "eu"], data: { "config.json": { db: { host: "db.eu" }, cache: null } } },
        ]);
        const merged = { "config.json": mergeLayers(layering.data["config.json"].map((s) => ({ value: s.value, origin: s.origin }))) };
        const value = '{"db":{"host":"db.eu","port":5432}}';
        assert.deepStrictEqual(clusterProvenance(layering, { data: { "config.json": value }, binaryData: {} }, merged).keys["config.json"], {
            layer: "base",
            field: 'data["config.json"]',
            value,
            kind: "data",
            fields: {
                cache: { layer: "overrides.regions.eu", field: 'overrides.regions.eu.data["config.json"].cache', deleted: true },
                "db.host": { layer: "overrides.regions.eu", field: 'overrides.regions.eu.data["config.json"].db.host' },
            },
        });
    });
});
