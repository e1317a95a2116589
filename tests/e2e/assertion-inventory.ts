/**
 * `npm run test:inventory [-- DIR]`: every end-to-end test, by suite, with the number of `assert.…`
 * calls written in its body and in the suite's helpers, as a markdown table. docs/TESTING.md compares
 * the suite's inventory before and after a change to the suite, so that no assertion is lost unseen.
 * DIR (default tests/e2e) lets the inventory of another checkout be taken (`git worktree add`).
 */
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";

/** The `assert.…(` calls under `node`. */
function asserts(node: ts.Node): number {
    let n = 0;
    const visit = (x: ts.Node) => {
        if (ts.isCallExpression(x) && ts.isPropertyAccessExpression(x.expression) && x.expression.expression.getText() === "assert") n++;
        else if (ts.isCallExpression(x) && x.expression.getText() === "assert") n++;
        ts.forEachChild(x, visit);
    };
    visit(node);
    return n;
}

/** A test's title: the first argument of `it(…)` or of a suite's own `scenario(…)` wrapper. */
function title(call: ts.CallExpression): string | undefined {
    const callee = call.expression.getText();
    if (callee !== "it" && callee !== "scenario") return undefined;
    const first = call.arguments[0];
    return first && (ts.isStringLiteral(first) || ts.isNoSubstitutionTemplateLiteral(first)) ? first.text : undefined;
}

/** One e2e test and the `assert` calls written in it (or, for `test` "(the suite's helpers…)", in its suite's helpers). */
export interface InventoryRow {
    readonly file: string;
    readonly test: string;
    readonly asserts: number;
}

/** Every test of the `*.test.ts` files in `dir`, in file order, with its helpers' asserts after each file's tests. */
export function assertionInventory(dir: string): InventoryRow[] {
    const rows: InventoryRow[] = [];
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".test.ts")).sort()) {
        const source = ts.createSourceFile(file, fs.readFileSync(path.join(dir, file), "utf8"), ts.ScriptTarget.ES2022, true);
        let inTests = 0;
        const visit = (x: ts.Node) => {
            if (ts.isCallExpression(x)) {
                const t = title(x);
                if (t !== undefined) {
                    const n = asserts(x);
                    inTests += n;
                    rows.push({ file, test: t, asserts: n });
                    return;
                }
            }
            ts.forEachChild(x, visit);
        };
        visit(source);
        const helpers = asserts(source) - inTests;
        if (helpers > 0) rows.push({ file, test: "(the suite's helpers, used by its tests)", asserts: helpers });
    }
    return rows;
}

/** The inventory as a markdown table, with a total. */
export function inventoryTable(rows: readonly InventoryRow[]): string {
    const tests = rows.filter((r) => !r.test.startsWith("(")).length;
    const total = rows.reduce((n, r) => n + r.asserts, 0);
    const lines = ["| suite | test | asserts in its body |", "| --- | --- | --- |", ...rows.map((r) => `| ${r.file} | ${r.test.replace(/\|/g, "\\|")} | ${r.asserts} |`), `| all | ${tests} tests | ${total} |`];
    return lines.join("\n");
}

if (require.main === module) console.log(inventoryTable(assertionInventory(path.resolve(process.argv[2] ?? __dirname))));
