import * as assert from "assert";
import { mergeLayers } from "../../../lib/config/deep-merge";
import { clusterProvenance, Layer, layerKeys } from "../../../lib/config/provenance";

const base: Layer<string> = { layer: "base", path: [], data: { LOG_LEVEL: "info", API_URL: "https://api", FEATURE_X: "on" }, binaryData: { "logo.png": "AA==" } };
const region = (patch: Partial<Layer<string>>): Layer<string> => ({ layer: "overrides.regions.eu", path: ["overrides", "regions", "eu"], ...patch });
const cluster = (patch: Partial<Layer<string>>): Layer<string> => ({
    layer: "overrides.clusters.eu-central-1",
    path: ["overrides", "clusters", "eu-central-1"],
    ...patch,
});


describe("provenance", () => {
    it("names the base layer for every key no override touches, and holds no value", () => {
        const layering = layerKeys([base]);
        assert.deepStrictEqual(clusterProvenance(layering), {
            keys: {
                API_URL: { layer: "base", field: "data.API_URL", kind: "data" },
                FEATURE_X: { layer: "base", field: "data.FEATURE_X", kind: "data" },
                LOG_LEVEL: { layer: "base", field: "data.LOG_LEVEL", kind: "data" },
                "logo.png": { layer: "base", field: 'binaryData["logo.png"]', kind: "binaryData" },
            },
            removed: {},
        });
    });

    it("names the region's override for a key it sets", () => {
        const layering = layerKeys([base, region({ data: { API_URL: "https://api.eu" } })]);
        assert.deepStrictEqual(clusterProvenance(layering).keys.API_URL, {
            layer: "overrides.regions.eu",
            field: "overrides.regions.eu.data.API_URL",
            kind: "data",
        });
    });

    it("names the cluster's override over the region's", () => {
        const layering = layerKeys([base, region({ data: { LOG_LEVEL: "warn" } }), cluster({ data: { LOG_LEVEL: "debug" } })]);
        assert.deepStrictEqual(clusterProvenance(layering).keys.LOG_LEVEL, {
            layer: "overrides.clusters.eu-central-1",
            field: 'overrides.clusters["eu-central-1"].data.LOG_LEVEL',
            kind: "data",
        });
    });

    it("names the layer that removed a key the cluster does not have", () => {
        const layering = layerKeys([base, region({}), cluster({ remove: ["LOG_LEVEL", "FEATURE_X"] })]);
        const provenance = clusterProvenance(layering);
        assert.ok(!("FEATURE_X" in provenance.keys));
        assert.deepStrictEqual(provenance.removed, {
            FEATURE_X: { layer: "overrides.clusters.eu-central-1", field: 'overrides.clusters["eu-central-1"].remove[1]' },
            LOG_LEVEL: { layer: "overrides.clusters.eu-central-1", field: 'overrides.clusters["eu-central-1"].remove[0]' },
        });
    });

    it("keeps the removal that took the key away, not a later one that found nothing to remove", () => {
        const layering = layerKeys([base, region({ remove: ["FEATURE_X"] }), cluster({ remove: ["FEATURE_X", "NEVER_SET"] })]);
        assert.deepStrictEqual(clusterProvenance(layering).removed, {
            FEATURE_X: { layer: "overrides.regions.eu", field: "overrides.regions.eu.remove[0]" },
            NEVER_SET: { layer: "overrides.clusters.eu-central-1", field: 'overrides.clusters["eu-central-1"].remove[1]' },
        });
    });

    it("names the layer that re-adds a key after a lower layer removed it, and no longer lists it as removed", () => {
        const layering = layerKeys([base, region({ remove: ["FEATURE_X"] }), cluster({ data: { FEATURE_X: "beta" } })]);
        const provenance = clusterProvenance(layering);
        assert.deepStrictEqual(provenance.removed, {});
        assert.deepStrictEqual(provenance.keys.FEATURE_X, {
            layer: "overrides.clusters.eu-central-1",
            field: 'overrides.clusters["eu-central-1"].data.FEATURE_X',
            kind: "data",
        });
        assert.deepStrictEqual(layering.data.FEATURE_X.map((s) => s.origin.layer), ["overrides.clusters.eu-central-1"], "values before the removal are forgotten");
    });

    it("names the layer that removes and re-adds a key in one patch, moving it from binaryData to data", () => {
        const layering = layerKeys([base, region({ remove: ["logo.png"], data: { "logo.png": "text" } })]);
        const provenance = clusterProvenance(layering);
        assert.deepStrictEqual(provenance.keys["logo.png"], { layer: "overrides.regions.eu", field: 'overrides.regions.eu.data["logo.png"]', kind: "data" });
        assert.deepStrictEqual(provenance.removed, {});
    });

    it("points at the field an override set inside an object value", () => {
        const layering = layerKeys<unknown>([
            { layer: "base", path: [], data: { "config.json": { db: { host: "db", port: 5432 }, cache: { ttl: 1 } } } },
            { layer: "overrides.regions.eu", path: ["overrides", "regions", "eu"], data: { "config.json": { db: { host: "db.eu" }, cache: null } } },
        ]);
        const merged = { "config.json": mergeLayers(layering.data["config.json"].map((s) => ({ value: s.value, origin: s.origin }))) };
        assert.deepStrictEqual(clusterProvenance(layering, merged).keys["config.json"], {
            layer: "base",
            field: 'data["config.json"]',
            kind: "data",
            fields: {
                cache: { layer: "overrides.regions.eu", field: 'overrides.regions.eu.data["config.json"].cache', deleted: true },
                "db.host": { layer: "overrides.regions.eu", field: 'overrides.regions.eu.data["config.json"].db.host' },
            },
        });
    });
});
