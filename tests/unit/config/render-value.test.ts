import * as assert from "assert";
import { contentHash } from "../../../lib/config/hash";
import { renderValue, valueProblems } from "../../../lib/config/render-value";

describe("render-value", () => {
    it("writes strings as they are", () => {
        assert.strictEqual(renderValue("https://api.example.com"), "https://api.example.com");
        assert.strictEqual(renderValue(""), "");
        assert.strictEqual(renderValue('{"not":"parsed"}'), '{"not":"parsed"}');
    });

    it("writes numbers in their shortest round-trip form and booleans as true/false", () => {
        assert.deepStrictEqual([8080, 0.5, -3, 1e21, 1e-7, -0, 2 ** 53].map(renderValue), ["8080", "0.5", "-3", "1e+21", "1e-7", "0", "9007199254740992"]);
        assert.deepStrictEqual([true, false, null].map(renderValue), ["true", "false", "null"]);
    });

    it("writes objects and arrays as canonical JSON with sorted keys, so equal content hashes equally", () => {
        const a = renderValue({ server: { port: 8080, host: "0.0.0.0" }, tags: ["b", "a"], debug: false });
        const b = renderValue({ debug: false, tags: ["b", "a"], server: { host: "0.0.0.0", port: 8080 } });
        assert.strictEqual(a, '{"debug":false,"server":{"host":"0.0.0.0","port":8080},"tags":["b","a"]}');
        assert.strictEqual(a, b);
        assert.strictEqual(contentHash({ data: { "config.json": a }, binaryData: {} }), contentHash({ data: { "config.json": b }, binaryData: {} }));
    });

    it("leaves out undefined object fields, as JSON does", () => {
        assert.strictEqual(renderValue({ a: 1, b: undefined }), '{"a":1}');
        assert.deepStrictEqual(valueProblems({ a: 1, b: undefined }), []);
    });

    it("refuses values JSON cannot represent, with the path inside the value", () => {
        assert.deepStrictEqual(valueProblems({ db: { port: NaN, hosts: ["a", Infinity] } }), [
            { path: ["db", "port"], message: "is NaN, which JSON cannot represent" },
            { path: ["db", "hosts", 1], message: "is Infinity, which JSON cannot represent" },
        ]);
        assert.match(valueProblems({ when: new Date(0) })[0].message, /is a Date; values are strings, numbers, booleans, null, arrays and plain objects/);
        assert.match(valueProblems([undefined])[0].message, /is undefined/);
        assert.match(valueProblems("\ud800")[0].message, /lone surrogate/);
        assert.deepStrictEqual(valueProblems({ ok: [1, "x", null, { deep: true }] }), []);
    });
});
