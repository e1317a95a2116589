import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { assertionInventory, inventoryComparison, inventoryTable } from "../e2e/assertion-inventory";
import { readSpans, timingComparison, timingReport } from "../e2e/timing-report";

const ROOT = path.resolve(__dirname, "../..");

/**
 * docs/TESTING.md quotes what `npm run test:timing` printed for the measurements it keeps in
 * docs/testing/, and what `npm run test:inventory` prints for the e2e suite as it stands: each quote,
 * between `<!-- output: COMMAND -->` and `<!-- end -->`, must be what the command prints today.
 */
describe("docs/TESTING.md", () => {
    const doc = fs.readFileSync(path.join(ROOT, "docs/TESTING.md"), "utf8");
    const quotes = [...doc.matchAll(/<!-- output: npm run (test:timing|test:inventory)(?: -- ([^>]*?))? -->\n([\s\S]*?)\n<!-- end -->/g)];

    it("quotes the timing of a run before and after the cuts, and the assertion inventory", () => {
        assert.ok(quotes.some(([, script]) => script === "test:inventory"), "the inventory is quoted");
        assert.ok(quotes.filter(([, script]) => script === "test:timing").length >= 2, "timings are quoted");
    });

    for (const [, script, args = "", body] of quotes) {
        it(`quotes \`npm run ${script}${args ? ` -- ${args}` : ""}\` as it prints today`, () => {
            const argv = args.split(/\s+/).filter(Boolean);
            const file = (f: string) => path.join(ROOT, f);
            const inventory = () => assertionInventory(path.join(ROOT, "tests/e2e"));
            const printed =
                script === "test:inventory"
                    ? argv[0] === "--before"
                        ? inventoryComparison(JSON.parse(fs.readFileSync(file(argv[1]), "utf8")), inventory())
                        : inventoryTable(inventory())
                    : argv[0] === "--compare"
                      ? timingComparison(readSpans([file(argv[1])]), readSpans([file(argv[2])]))
                      : timingReport(readSpans(argv.filter((a) => a !== "--suites").map(file)), { suitesOnly: argv.includes("--suites"), cores: 2 });
            assert.strictEqual(body.trim(), printed.trim());
        });
    }
});
