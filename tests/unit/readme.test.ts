import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");

// The README quotes real programs; a quote that drifts from its file is a README that lies.
describe("README", () => {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const quotes = [...readme.matchAll(/<!-- quote: (\S+) -->\n```\w*\n([\s\S]*?)```/g)];

    it("quotes at least the example fleet program", () => {
        assert.ok(quotes.some(([, file]) => file === "examples/fleet/index.ts"), "README must quote examples/fleet/index.ts");
    });

    for (const [, file, body] of quotes) {
        it(`quotes ${file} as it stands`, () => {
            const source = fs.readFileSync(path.join(ROOT, file), "utf8");
            assert.ok(source.includes(body), `the README's quote of ${file} is not in that file any more`);
        });
    }

    // The docs pages quote files the same way; docs/SHARDS.md quotes outputs the re-shard e2e asserts verbatim.
    for (const page of ["docs/SHARDS.md"]) {
        const text = fs.readFileSync(path.join(ROOT, page), "utf8");
        const pageQuotes = [...text.matchAll(/<!-- quote: (\S+) -->\n```\w*\n([\s\S]*?)```/g)];
        it(`${page} quotes at least one real output`, () => assert.ok(pageQuotes.length > 0, `${page} has no quote`));
        for (const [, file, body] of pageQuotes) {
            it(`${page} quotes ${file} as it stands`, () => {
                const source = fs.readFileSync(path.join(ROOT, file), "utf8");
                assert.ok(source.includes(body), `the quote of ${file} in ${page} is not in that file any more`);
            });
        }
    }

    it("gives the test command that .ci/run runs", () => {
        assert.match(fs.readFileSync(path.join(ROOT, ".ci/run"), "utf8"), /^stage "npm test" npm test$/m);
        assert.match(readme, /npm ci && npm test/);
    });
});

// The docs pages quote files the same way: programs, and output saved from real runs.
for (const page of fs.readdirSync(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md"))) {
    const text = fs.readFileSync(path.join(ROOT, "docs", page), "utf8");
    const quotes = [...text.matchAll(/<!-- quote: (\S+) -->\n```\w*\n([\s\S]*?)```/g)];
    if (quotes.length === 0) continue;
    describe(`docs/${page}`, () => {
        for (const [, file, body] of quotes) {
            it(`quotes ${file} as it stands`, () => {
                const source = fs.readFileSync(path.join(ROOT, file), "utf8");
                assert.ok(source.includes(body), `docs/${page}'s quote of ${file} is not in that file any more`);
            });
        }
    });
}
