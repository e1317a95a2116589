import * as assert from "assert";
import { ConfigMapContent } from "../../../lib/config/hash";
import { formatProblem } from "../../../lib/errors/problems";
import { bucketOf, keyHash, MAX_SPLIT_PARTS, partName, Split, SPLIT_PART_BUDGET, splitContent, splitProblems, unknownValueProblems } from "../../../lib/strategies/split";

/** `count` keys `file-01.txt`... of `bytes` bytes each, each value telling its key and `version` apart. */
function files(count: number, bytes: number, version = "v1"): Record<string, string> {
    const data: Record<string, string> = {};
    for (let i = 1; i <= count; i++) {
        const key = `file-${String(i).padStart(2, "0")}.txt`;
        data[key] = `${key} ${version} `.padEnd(bytes, "x");
    }
    return data;
}

const content = (data: Record<string, string>, binaryData: Record<string, string> = {}): ConfigMapContent => ({ data, binaryData });
const keysOf = (split: Split) => split.parts.map((p) => Object.keys(p.content.data).concat(Object.keys(p.content.binaryData)).sort());
const bucketByKey = (split: Split) => new Map(split.parts.flatMap((p) => [...Object.keys(p.content.data), ...Object.keys(p.content.binaryData)].map((k) => [k, p.bucket] as const)));

// A budget of 1,000 bytes keeps these tests small; the rule is the same at 983,040.
const small = { budget: 1000 };

describe("the split strategy's partition", () => {
    it("hashes a key's name: the first 8 hex digits of its SHA-256, as an unsigned integer, and takes its low bits", () => {
        // sha256("a") = ca978112ca1bbdca...
        assert.strictEqual(keyHash("a"), 0xca978112);
        assert.strictEqual(bucketOf("a", 1), 0);
        assert.strictEqual(bucketOf("a", 4), 0xca978112 % 4);
        assert.strictEqual(bucketOf("a", 64), 0xca978112 % 64);
        assert.strictEqual(partName("geoip", 0), "geoip-1");
    });

    it("gives one part to a config that fits one, and one empty part to an empty config", () => {
        const one = splitContent(content(files(5, 100)), small);
        assert.strictEqual(one.buckets, 1);
        assert.deepStrictEqual(one.parts.map((p) => [p.bucket, p.bytes]), [[0, 500]]);
        assert.deepStrictEqual(splitContent(content({})), { buckets: 1, parts: [{ bucket: 0, content: { data: {}, binaryData: {} }, bytes: 0 }] });
    });

    it("uses the smallest power of two whose every part fits the budget, counting bytes as the API server does", () => {
        const split = splitContent(content(files(25, 100)), small);
        assert.ok(split.parts.every((p) => p.bytes <= 1000), JSON.stringify(split.parts.map((p) => p.bytes)));
        const half = split.buckets / 2;
        const halfSizes = new Array(half).fill(0);
        for (const [key, value] of Object.entries(files(25, 100))) halfSizes[bucketOf(key, half)] += value.length;
        assert.ok(halfSizes.some((size) => size > 1000), `${half} parts would not do: ${halfSizes}`);
        // binaryData counts its decoded bytes: 1,000 bytes of base64 are 750 bytes.
        const binary = splitContent(content({}, { "a.bin": "A".repeat(1000), "b.bin": "A".repeat(1000) }), small);
        assert.deepStrictEqual(binary.parts.map((p) => p.bytes).reduce((a, b) => a + b), 1500);
        // UTF-8: 400 "é" are 800 bytes.
        assert.strictEqual(splitContent(content({ e: "é".repeat(400) }), small).parts[0].bytes, 800);
    });

    it("gives the same parts for the same content, whatever order its keys were written in", () => {
        const data = files(25, 100);
        const reversed = Object.fromEntries(Object.entries(data).reverse());
        assert.deepStrictEqual(splitContent(content(reversed), small), splitContent(content(data), small));
        assert.deepStrictEqual(keysOf(splitContent(content(data), small)), keysOf(splitContent(content(data), small)));
    });

    it("rewrites only the part that holds a key whose value changed", () => {
        const before = splitContent(content(files(25, 100)), small);
        assert.ok(before.parts.length > 2, "several parts to tell apart");
        const changed = { ...files(25, 100), "file-07.txt": "file-07.txt v2 ".padEnd(90, "y") };
        const after = splitContent(content(changed), small);
        assert.strictEqual(after.buckets, before.buckets);
        const differ = after.parts.filter((p, i) => JSON.stringify(p) !== JSON.stringify(before.parts[i]));
        assert.deepStrictEqual(differ.map((p) => p.bucket), [bucketOf("file-07.txt", before.buckets)]);
    });

    it("grows by doubling, moving a key only from bucket b to b + N, and leaving the others where they were", () => {
        const before = splitContent(content(files(15, 100)), small);
        const after = splitContent(content(files(40, 100)), small);
        assert.ok(before.buckets >= 2 && after.buckets > before.buckets, `${before.buckets} -> ${after.buckets}`);
        const was = bucketByKey(before);
        const now = bucketByKey(after);
        let moved = 0;
        for (const [key, b] of was) {
            assert.strictEqual(now.get(key)! % before.buckets, b, `${key}: bucket ${b} of ${before.buckets} became ${now.get(key)} of ${after.buckets}`);
            if (now.get(key) !== b) moved++;
        }
        assert.ok(moved > 0 && moved < was.size, `some keys moved, not all: ${moved} of ${was.size}`);
    });

    it("makes no part of an empty bucket other than the first, so part numbers can have gaps", () => {
        // Three keys cannot fill the four buckets that two 600-byte keys in one bucket force; find such a set.
        const keys = ["k0", "k1", "k2", "k3", "k4", "k5", "k6", "k7"];
        const [a, b] = keys.filter((k) => bucketOf(k, 2) === bucketOf(keys[0], 2)).slice(0, 2);
        const split = splitContent(content({ [a]: "x".repeat(600), [b]: "x".repeat(600) }), small);
        const buckets = split.parts.map((p) => p.bucket);
        assert.ok(buckets.includes(0), "the first part is always there");
        assert.ok(buckets.length < split.buckets, `fewer parts (${buckets}) than buckets (${split.buckets})`);
        assert.ok(split.parts.every((p) => p.bucket === 0 || p.bytes > 0));
    });

    it("splits 25 files of 100 KiB (2.5 MiB) into 4 parts under the real budget", () => {
        const split = splitContent(content(files(25, 100 * 1024)));
        assert.strictEqual(split.buckets, 4);
        assert.ok(split.parts.every((p) => p.bytes <= SPLIT_PART_BUDGET));
        assert.strictEqual(SPLIT_PART_BUDGET, 983_040);
    });
});

describe("the split strategy's refusals", () => {
    const entries = (data: Record<string, string>) => Object.entries(data).map(([key, value]) => ({ kind: "data" as const, key, value, field: `data[${JSON.stringify(key)}]` }));

    it("refuse a single value over the per-part budget, naming the field, cluster, key, size and limit, and pointing to object storage", () => {
        const problems = splitProblems("eu-west-1", [
            ...entries({ "ok.txt": "x".repeat(10) }),
            { kind: "binaryData", key: "geoip.dat", value: "A".repeat(1_400_000), field: 'overrides.regions.eu.binaryData["geoip.dat"]' },
        ]);
        assert.deepStrictEqual(problems.map(formatProblem), [
            '`overrides.regions.eu.binaryData["geoip.dat"]` (cluster "eu-west-1"): key "geoip.dat" holds 1,050,000 bytes, over the limit of 983,040 bytes for one part of a `strategy: "split"` config (1 MiB less 65,536 bytes kept for keys and metadata); ' +
                "splitting by key cannot help one value that large: it belongs in object storage (an S3, GCS or Azure Blob bucket, say), fetched by the workload, not in a ConfigMap",
        ]);
        assert.doesNotMatch(problems[0].message, /AAAA/, "the value is never shown");
        assert.deepStrictEqual(splitProblems("eu-west-1", entries({ "edge.txt": "x".repeat(SPLIT_PART_BUDGET) })), [], "exactly the budget fits");
    });

    it("refuse a config that does not fit the most parts, naming the cluster, the limit and the keys that share a part", () => {
        const problems = splitProblems("us-east-1", entries(files(30, 100)), { budget: 1000, maxParts: 2 });
        assert.strictEqual(problems.length, 1);
        assert.strictEqual(problems[0].cluster, "us-east-1");
        assert.match(
            formatProblem(problems[0]),
            /^`data\["file-\d\d\.txt"\]` \(cluster "us-east-1"\): the effective config holds 3,000 bytes of values, which do not fit 2 parts of at most 1,000 bytes each \(the most `strategy: "split"` makes\): with keys placed by a hash of their name, part [12] of 2 would hold 1,\d{3} bytes \("file-\d\d\.txt" 100, "file-\d\d\.txt" 100, "file-\d\d\.txt" 100, and \d+ more keys\)\. Rename one of its largest keys so that it lands in another part, or move large values to object storage$/,
        );
        assert.strictEqual(MAX_SPLIT_PARTS, 64);
        assert.deepStrictEqual(splitProblems("us-east-1", entries(files(30, 100)), { budget: 1000 }), [], "with up to 64 parts it fits");
    });

    it("refuse values not known when the program runs, naming each field and the cluster", () => {
        const problems = unknownValueProblems("eu-west-1", [
            { field: "data.A", value: "plain" },
            { field: "overrides.regions.eu.data.B", value: Promise.resolve("later") },
        ]);
        assert.deepStrictEqual(problems.map((p) => [p.field, p.cluster]), [["overrides.regions.eu.data.B", "eu-west-1"]]);
        assert.match(problems[0].message, /is not known when the program runs \(an Output or a Promise, as a secret is too\); with `strategy: "split"` every value must be a plain string/);
    });
});
