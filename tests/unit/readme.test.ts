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

    it("reads in five minutes: at most 300 lines, the reference being in docs/", () => {
        assert.ok(readme.split("\n").length <= 300, `README.md has ${readme.split("\n").length} lines`);
    });

    // docs/SHARDS.md quotes outputs the re-shard e2e asserts verbatim (each quote is checked with the docs pages' below).
    it("docs/SHARDS.md quotes at least one real output", () => {
        const shards = fs.readFileSync(path.join(ROOT, "docs/SHARDS.md"), "utf8");
        assert.ok(/<!-- quote: (\S+) -->\n```\w*\n([\s\S]*?)```/.test(shards), "docs/SHARDS.md has no quote");
    });

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

// A quote marker the pattern above does not match (a blank line before the fence, say) would be a quote
// no test checks: every marker must be followed by its fenced block.
describe("quote markers", () => {
    for (const page of ["README.md", ...fs.readdirSync(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)]) {
        it(`every quote marker in ${page} is followed by a quoted block`, () => {
            const text = fs.readFileSync(path.join(ROOT, page), "utf8");
            const markers = text.match(/<!-- quote: /g)?.length ?? 0;
            const quotes = [...text.matchAll(/<!-- quote: (\S+) -->\n```\w*\n([\s\S]*?)```/g)].length;
            assert.strictEqual(quotes, markers);
        });
    }
});

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens, repeats numbered. */
function anchors(markdown: string): Set<string> {
    const seen = new Map<string, number>();
    const result = new Set<string>();
    for (const line of withoutFences(markdown).split("\n")) {
        const heading = /^#{1,6} (.*)$/.exec(line);
        if (!heading) continue;
        const slug = heading[1]
            .trim()
            .toLowerCase()
            .replace(/[^\p{L}\p{N}\p{M}\s_-]/gu, "")
            .replace(/ /g, "-");
        const n = seen.get(slug) ?? 0;
        seen.set(slug, n + 1);
        result.add(n === 0 ? slug : `${slug}-${n}`);
    }
    return result;
}

/** The text outside fenced blocks, where a heading is a heading. */
function withoutFences(markdown: string): string {
    return markdown.replace(/^(`{3,})[^\n]*\n[\s\S]*?^\1\s*$/gm, "");
}

/** The text outside fenced blocks and inline code, where a link is a link. */
function withoutCode(markdown: string): string {
    return withoutFences(markdown).replace(/`[^`\n]*`/g, "");
}

// Moving the reference out of the README moved its sections: a link to a file or heading that is not
// there any more is a reader sent nowhere.
describe("links in README.md and docs/", () => {
    for (const page of ["README.md", ...fs.readdirSync(path.join(ROOT, "docs")).filter((f) => f.endsWith(".md")).map((f) => `docs/${f}`)]) {
        it(`every link in ${page} reaches a file and heading that exist`, () => {
            const text = fs.readFileSync(path.join(ROOT, page), "utf8");
            const broken: string[] = [];
            for (const [, target] of withoutCode(text).matchAll(/\]\(([^)\s]+)\)/g)) {
                if (/^[a-z]+:/.test(target)) continue;
                const [file, anchor] = target.split("#");
                const resolved = file ? path.join(ROOT, path.dirname(page), file) : path.join(ROOT, page);
                if (!fs.existsSync(resolved)) {
                    broken.push(`${target} (no such file)`);
                } else if (anchor && !anchors(fs.readFileSync(resolved, "utf8")).has(anchor)) {
                    broken.push(`${target} (no such heading)`);
                }
            }
            assert.deepStrictEqual(broken, []);
        });
    }
});
