import * as assert from "assert";
import { applyPatches, patchesFor } from "../../../lib/config/overrides";

describe("overrides", () => {
    const base = { data: { LOG_LEVEL: "info", API_URL: "https://api.example.com", FEATURE_X: "on" }, binaryData: { "logo.png": "AA==" } };

    it("apply base, then the region's patch, then the cluster's patch", () => {
        const overrides = {
            regions: { eu: { data: { API_URL: "https://api.eu.example.com", LOG_LEVEL: "warn" } } },
            clusters: { "eu-west-1": { data: { LOG_LEVEL: "debug" } } },
        };
        const layers = patchesFor({ name: "eu-west-1", region: "eu" }, overrides);
        assert.deepStrictEqual(applyPatches(base, layers).data, {
            API_URL: "https://api.eu.example.com",
            FEATURE_X: "on",
            LOG_LEVEL: "debug",
        });
    });

    it("leave clusters of other regions with the base", () => {
        const overrides = { regions: { eu: { data: { API_URL: "eu" } } } };
        assert.deepStrictEqual(patchesFor({ name: "us-east-1", region: "us" }, overrides), []);
        assert.deepStrictEqual(applyPatches(base, []), base);
    });

    it("remove keys from data and binaryData before setting new ones", () => {
        const result = applyPatches(base, [{ remove: ["FEATURE_X", "logo.png"] }, { remove: ["LOG_LEVEL"], data: { LOG_LEVEL: "debug" } }]);
        assert.deepStrictEqual(result, { data: { API_URL: "https://api.example.com", LOG_LEVEL: "debug" }, binaryData: {} });
    });

    it("allow removing a key that is not there", () => {
        assert.deepStrictEqual(applyPatches(base, [{ remove: ["NOT_THERE"] }]), base);
    });

    it("return key-sorted maps and leave their inputs untouched", () => {
        const before = JSON.stringify(base);
        const result = applyPatches(base, [{ data: { AAA: "first" } }]);
        assert.deepStrictEqual(Object.keys(result.data), ["AAA", "API_URL", "FEATURE_X", "LOG_LEVEL"]);
        assert.strictEqual(JSON.stringify(base), before);
    });
});
