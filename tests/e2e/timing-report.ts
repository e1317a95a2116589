/**
 * `npm run test:timing [-- [--suites] FILE…]`: the end-to-end suite's time, per suite and per test, split into
 * its parts, from the spans tests/e2e/timing.ts recorded (default `.e2e-timing/e2e.jsonl`). Several
 * files (suites run side by side, each with its own file) are read together.
 *
 * Columns, in seconds: wall; the machine's busy CPU (of its 2 cores) and its share of the wall's CPU;
 * the local fleet's start; engine runs, split into CLI start, program (language host, compile, run),
 * providers, Kubernetes waits and finish; rollout commands, with their type-check, soaks and gates; the
 * scenarios' clean-up.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Span } from "./timing";

const suitesOnly = process.argv.includes("--suites");
const files = process.argv.slice(2).filter((a) => a !== "--suites");
const spans: Span[] = (files.length > 0 ? files : [path.resolve(__dirname, "../../.e2e-timing/e2e.jsonl")])
    .flatMap((f) => fs.readFileSync(f, "utf8").split("\n").filter(Boolean))
    .map((l) => JSON.parse(l));

const COLUMNS = ["tests", "wall", "cpu", "cpu%", "fleet", "engine", "start", "program", "providers", "kube", "finish", "cli", "typeCheck", "soak", "gate", "clear", "runs"] as const;
type Row = Record<(typeof COLUMNS)[number], number>;

function row(of: Span[]): Row {
    const sum = (kind: Span["kind"], part?: string) => of.filter((s) => s.kind === kind).reduce((n, s) => n + (part ? (s.parts?.[part] ?? 0) : s.wallMs), 0) / 1000;
    const tests = of.filter((s) => s.kind === "test");
    // A suite's wall is its tests and the hooks outside them (fleet starts, clean-ups in before()).
    const wall = tests.reduce((n, s) => n + s.wallMs, 0) / 1000 + of.filter((s) => s.test === "(hooks)" && s.kind !== "test").reduce((n, s) => n + s.wallMs, 0) / 1000;
    const cpu = (tests.reduce((n, s) => n + s.cpuMs, 0) + of.filter((s) => s.test === "(hooks)").reduce((n, s) => n + s.cpuMs, 0)) / 1000;
    return {
        tests: tests.length,
        wall,
        cpu,
        "cpu%": wall > 0 ? (100 * cpu) / (wall * os.cpus().length) : 0,
        fleet: sum("fleet"),
        engine: sum("engine"),
        start: sum("engine", "start"),
        program: sum("engine", "program"),
        providers: sum("engine", "providers"),
        kube: sum("engine", "kube"),
        finish: sum("engine", "finish"),
        cli: sum("cli"),
        typeCheck: sum("cli", "typeCheck"),
        soak: sum("cli", "soak"),
        gate: sum("cli", "gate"),
        clear: sum("clear"),
        runs: of.filter((s) => s.kind === "engine" || s.kind === "cli").length,
    };
}

function table(title: string, rows: [string, Row][]): string {
    const head = ["", ...COLUMNS];
    const cells = rows.map(([name, r]) => [name, ...COLUMNS.map((c) => (c === "tests" || c === "runs" ? String(r[c]) : c === "cpu%" ? `${r[c].toFixed(0)}%` : r[c].toFixed(0)))]);
    const lines = [`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`, ...cells.map((c) => `| ${c.join(" | ")} |`)];
    return `### ${title}\n\n${lines.join("\n")}\n`;
}

const suites = [...new Set(spans.map((s) => s.suite))].sort();
const bySuite: [string, Row][] = suites.map((suite) => [suite.replace(/^tests\/e2e\//, ""), row(spans.filter((s) => s.suite === suite))]);
bySuite.push(["all", row(spans)]);
const byTest: [string, Row][] = spans
    .filter((s) => s.kind === "test")
    .map((t) => [`${t.suite.replace(/^tests\/e2e\//, "").replace(/\.test\.ts$/, "")}: ${t.test.length > 60 ? `${t.test.slice(0, 57)}…` : t.test}`, row(spans.filter((s) => s.suite === t.suite && s.test === t.test))]);
console.log(table("Per suite (seconds)", bySuite));
if (!suitesOnly) console.log(table("Per test (seconds)", byTest));
