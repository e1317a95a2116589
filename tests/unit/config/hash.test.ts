import * as assert from "assert";
import { canonicalContent, contentHash, pickKeys } from "../../../lib/config/hash";

describe("contentHash", () => {
    it("is the SHA-256 of key-sorted JSON of data and binaryData", () => {
        const content = { data: { b: "2", a: "1" }, binaryData: { z: "AA==" } };
        assert.strictEqual(canonicalContent(content), '{"binaryData":{"z":"AA=="},"data":{"a":"1","b":"2"}}');
        assert.strictEqual(contentHash(content), require("crypto").createHash("sha256").update(canonicalContent(content)).digest("hex"));
    });

    it("gives the same hash whatever order the keys were written in", () => {
        const a = contentHash({ data: { LOG_LEVEL: "info", API_URL: "x" }, binaryData: {} });
        const b = contentHash({ data: { API_URL: "x", LOG_LEVEL: "info" }, binaryData: {} });
        assert.strictEqual(a, b);
        assert.match(a, /^[0-9a-f]{64}$/);
    });

    it("changes when any value changes, and tells data from binaryData", () => {
        const base = contentHash({ data: { A: "1" }, binaryData: {} });
        assert.notStrictEqual(contentHash({ data: { A: "2" }, binaryData: {} }), base);
        assert.notStrictEqual(contentHash({ data: {}, binaryData: { A: "1" } }), base);
    });

    it("keeps a key called __proto__ as data", () => {
        const content = { data: Object.fromEntries([["__proto__", "x"]]), binaryData: {} };
        assert.strictEqual(canonicalContent(content), '{"binaryData":{},"data":{"__proto__":"x"}}');
    });
});

describe("pickKeys (the content a per-key reader depends on)", () => {
    const content = { data: { LOG_LEVEL: "info", API_URL: "x" }, binaryData: { "logo.png": "AA==" } };

    it("keeps only the named keys, from whichever map holds each", () => {
        assert.deepStrictEqual(pickKeys(content, ["LOG_LEVEL", "logo.png"]), { data: { LOG_LEVEL: "info" }, binaryData: { "logo.png": "AA==" } });
    });

    it("gives a hash that another key's change leaves alone and the key's own change moves", () => {
        const before = contentHash(pickKeys(content, ["LOG_LEVEL"]));
        assert.strictEqual(contentHash(pickKeys({ ...content, data: { ...content.data, API_URL: "y" } }, ["LOG_LEVEL"])), before);
        assert.notStrictEqual(contentHash(pickKeys({ ...content, data: { ...content.data, LOG_LEVEL: "debug" } }, ["LOG_LEVEL"])), before);
    });

    it("leaves an absent key absent, so its appearance changes the hash", () => {
        const without = contentHash(pickKeys({ data: {}, binaryData: {} }, ["FEATURE_X"]));
        assert.notStrictEqual(contentHash(pickKeys({ data: { FEATURE_X: "on" }, binaryData: {} }, ["FEATURE_X"])), without);
    });
});
