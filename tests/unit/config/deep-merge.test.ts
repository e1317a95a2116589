import * as assert from "assert";
import { mergeLayers, originAt } from "../../../lib/config/deep-merge";

describe("deep-merge", () => {
    const base = { value: { db: { host: "db.internal", port: 5432 }, replicas: [1, 2], cache: { ttl: 300 } }, origin: "base" };

    it("takes the first layer's value as a whole", () => {
        assert.deepStrictEqual(mergeLayers([base]), { value: base.value, origin: "base", fields: [] });
    });

    it("merges a higher layer's object field by field, and records each field it set", () => {
        const merged = mergeLayers([base, { value: { db: { host: "db.eu.internal" } }, origin: "eu" }]);
        assert.deepStrictEqual(merged.value, { db: { host: "db.eu.internal", port: 5432 }, replicas: [1, 2], cache: { ttl: 300 } });
        assert.strictEqual(merged.origin, "base");
        assert.deepStrictEqual(merged.fields, [{ path: ["db", "host"], origin: "eu" }]);
    });

    it("replaces arrays and scalars whole, never element by element", () => {
        const merged = mergeLayers([base, { value: { replicas: [3] }, origin: "eu" }]);
        assert.deepStrictEqual((merged.value as { replicas: number[] }).replicas, [3]);
        assert.deepStrictEqual(merged.fields, [{ path: ["replicas"], origin: "eu" }]);
    });

    it("deletes a field a patch sets to null", () => {
        const merged = mergeLayers([base, { value: { cache: null }, origin: "eu-central-1" }]);
        assert.deepStrictEqual(merged.value, { db: { host: "db.internal", port: 5432 }, replicas: [1, 2] });
        assert.deepStrictEqual(merged.fields, [{ path: ["cache"], origin: "eu-central-1", deleted: true }]);
    });

    it("lets the highest layer win, forgetting what lower layers set under the same field", () => {
        const merged = mergeLayers([
            base,
            { value: { db: { host: "eu", port: 6000 } }, origin: "region" },
            { value: { db: { port: 7000 } }, origin: "cluster" },
            { value: { cache: { ttl: 10 } }, origin: "cluster" },
        ]);
        assert.deepStrictEqual(merged.value, { db: { host: "eu", port: 7000 }, replicas: [1, 2], cache: { ttl: 10 } });
        assert.deepStrictEqual(merged.fields, [
            { path: ["cache", "ttl"], origin: "cluster" },
            { path: ["db", "host"], origin: "region" },
            { path: ["db", "port"], origin: "cluster" },
        ]);
        const replaced = mergeLayers([base, { value: { db: { port: 1 } }, origin: "region" }, { value: { db: "none" }, origin: "cluster" }]);
        assert.deepStrictEqual(replaced.fields, [{ path: ["db"], origin: "cluster" }]);
    });

    it("replaces a value whole when the higher layer's is not an object, or the lower one's is not", () => {
        const merged = mergeLayers([{ value: "plain", origin: "base" }, { value: { a: 1, b: null }, origin: "eu" }]);
        assert.deepStrictEqual(merged, { value: { a: 1 }, origin: "eu", fields: [] });
        assert.deepStrictEqual(mergeLayers([base, { value: 3, origin: "eu" }]), { value: 3, origin: "eu", fields: [] });
    });

    it("leaves its inputs untouched", () => {
        const before = JSON.stringify(base);
        mergeLayers([base, { value: { db: { host: "x" }, cache: null }, origin: "eu" }]);
        assert.strictEqual(JSON.stringify(base), before);
    });

    it("tells which layer is responsible for a path inside the value", () => {
        const merged = mergeLayers([base, { value: { db: { host: "eu" } }, origin: "eu" }]);
        assert.deepStrictEqual(originAt(merged, ["db", "host"]), { origin: "eu", path: ["db", "host"] });
        assert.deepStrictEqual(originAt(merged, ["db", "port"]), { origin: "base", path: [] });
        assert.deepStrictEqual(originAt(merged, ["replicas", 0]), { origin: "base", path: [] });
    });
});
