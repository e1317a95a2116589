import * as assert from "assert";
import { keyDiffLines, shorten } from "../../../../lib/rollout-cli/review/value-diff";

describe("value diffs of ConfigMap keys", () => {
    it("shows a one-line value as before → after, shortened in the middle past 60 characters", () => {
        assert.deepStrictEqual(keyDiffLines({ key: "API_URL", before: "https://api.eu.example.com", after: "https://api-v2.eu.example.com" }), ["~ API_URL: https://api.eu.example.com → https://api-v2.eu.example.com"]);
        const long = `https://${"a".repeat(80)}.example.com/v2`;
        const [line] = keyDiffLines({ key: "U", before: "x", after: long });
        assert.strictEqual(line, `~ U: x → ${shorten(long)}`);
        assert.strictEqual(shorten(long).length, 60);
        assert.ok(shorten(long).startsWith("https://aaa") && shorten(long).endsWith("example.com/v2") && shorten(long).includes("…"));
        assert.strictEqual(shorten(""), '""');
    });

    it("shows added and removed keys with their values", () => {
        assert.deepStrictEqual(keyDiffLines({ key: "NEW", after: "1" }), ["+ NEW: 1"]);
        assert.deepStrictEqual(keyDiffLines({ key: "OLD", before: "0" }), ["- OLD: 0"]);
    });

    it("shows a config file as a unified diff of its changed lines, with context", () => {
        const before = ["[server]", "port = 80", "host = a", "[log]", "level = info", ""].join("\n");
        const after = ["[server]", "port = 80", "host = a", "[log]", "level = debug", ""].join("\n");
        assert.deepStrictEqual(keyDiffLines({ key: "app.ini", before, after }), ["~ app.ini:", "~     @@ -3,3 +3,3 @@", "      host = a", "      [log]", "-     level = info", "+     level = debug"]);
    });

    it("shows a JSON value by field path", () => {
        const before = JSON.stringify({ limits: { rps: 100, burst: 10 }, currency: "EUR", flags: ["a"] });
        const after = JSON.stringify({ limits: { rps: 200, burst: 10 }, flags: ["a", "b"], "new-field": true });
        assert.deepStrictEqual(keyDiffLines({ key: "settings.json", before, after }), [
            '- settings.json.currency: "EUR"',
            "+ settings.json.flags[1]: \"b\"",
            "~ settings.json.limits.rps: 100 → 200",
            '+ settings.json["new-field"]: true',
        ]);
    });

    it("shows a binaryData key by size and hash only", () => {
        const [line] = keyDiffLines({ key: "logo.png", binary: true, before: Buffer.from("abc").toString("base64"), after: Buffer.from("abcd").toString("base64") });
        assert.match(line, /^~ logo\.png \(binary\): 3 bytes sha256:[0-9a-f]{12} → 4 bytes sha256:[0-9a-f]{12}$/);
        assert.ok(!line.includes(Buffer.from("abc").toString("base64")), "the value itself is not shown");
    });

    it("caps a long diff and says how much it left out", () => {
        const before = Array.from({ length: 200 }, (_, i) => `line ${i}`).join("\n");
        const after = Array.from({ length: 200 }, (_, i) => `line ${i} changed`).join("\n");
        const lines = keyDiffLines({ key: "big", before, after });
        assert.strictEqual(lines.length, 40);
        assert.match(lines[39], /^~ {5}… \d+ more lines \(--json has the whole values\)$/);
    });
});
