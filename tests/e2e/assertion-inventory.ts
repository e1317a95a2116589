/**
 * `npm run test:inventory [-- [--json] [--before FILE] [DIR]]`: every end-to-end test, by suite, with
 * the number of `assert.…` calls written in its body and in the suite's helpers, as a markdown table
 * (`--json`: as data). `--before FILE` sets it beside an earlier `--json` inventory, so that no
 * assertion is lost unseen when tests move or merge (docs/TESTING.md). DIR (default tests/e2e) takes
 * the inventory of another checkout (`git worktree add`).
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
    /** The `describe` it is in below its suite's own, if any (a group of tests that share a stack). @default absent */
    readonly group?: string;
}

/** Every test of the `*.test.ts` files in `dir`, in file order, with its helpers' asserts after each file's tests. */
export function assertionInventory(dir: string): InventoryRow[] {
    const rows: InventoryRow[] = [];
    for (const file of fs.readdirSync(dir).filter((f) => f.endsWith(".test.ts")).sort()) {
        const source = ts.createSourceFile(file, fs.readFileSync(path.join(dir, file), "utf8"), ts.ScriptTarget.ES2022, true);
        let inTests = 0;
        const describes: string[] = [];
        const visit = (x: ts.Node) => {
            if (ts.isCallExpression(x)) {
                const t = title(x);
                if (t !== undefined) {
                    const n = asserts(x);
                    inTests += n;
                    rows.push({ file, test: t, asserts: n, ...(describes.length > 1 ? { group: describes.slice(1).join(" › ") } : {}) });
                    return;
                }
                const group = x.expression.getText() === "describe" ? x.arguments[0] : undefined;
                if (group && (ts.isStringLiteral(group) || ts.isNoSubstitutionTemplateLiteral(group))) {
                    describes.push(group.text);
                    ts.forEachChild(x, visit);
                    describes.pop();
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

/**
 * Each test's asserts in an earlier inventory (`before`, as `--json` wrote it) and in `after`, by suite
 * and title, with the group it runs in now: nothing is lost unseen when tests move or merge.
 */
export function inventoryComparison(before: readonly InventoryRow[], after: readonly InventoryRow[]): string {
    const key = (r: InventoryRow) => `${r.file}\u0000${r.test}`;
    const was = new Map(before.map((r) => [key(r), r]));
    const now = new Map(after.map((r) => [key(r), r]));
    const keys = [...new Set([...before.map(key), ...after.map(key)])];
    const lines = ["| suite | test | asserts before | asserts after | where it runs now |", "| --- | --- | --- | --- | --- |"];
    for (const k of keys) {
        const [file, test] = k.split("\u0000");
        const a = now.get(k);
        const where = !a ? "removed" : test.startsWith("(") ? "" : a.group ? `in "${a.group}"` : "on its own";
        lines.push(`| ${file} | ${test.replace(/\|/g, "\\|")} | ${was.get(k)?.asserts ?? "-"} | ${a?.asserts ?? "-"} | ${where} |`);
    }
    const total = (rows: readonly InventoryRow[]) => rows.reduce((n, r) => n + r.asserts, 0);
    const tests = (rows: readonly InventoryRow[]) => rows.filter((r) => !r.test.startsWith("(")).length;
    lines.push(`| all | ${tests(before)} tests before, ${tests(after)} after | ${total(before)} | ${total(after)} | |`);
    return lines.join("\n");
}

if (require.main === module) {
    // npm run test:inventory [-- [--json] [--before FILE] [DIR]]
    const args = process.argv.slice(2);
    const before = args.includes("--before") ? args[args.indexOf("--before") + 1] : undefined;
    const dir = path.resolve(args.find((a, i) => !a.startsWith("--") && args[i - 1] !== "--before") ?? __dirname);
    const rows = assertionInventory(dir);
    if (args.includes("--json")) console.log(JSON.stringify(rows, null, 1));
    else if (before) console.log(inventoryComparison(JSON.parse(fs.readFileSync(before, "utf8")), rows));
    else console.log(inventoryTable(rows));
}
