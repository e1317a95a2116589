/**
 * `npm run test:timing [-- [--suites] FILE…]`: the end-to-end suite's time, per suite and per test, split into
 * its parts, from the spans tests/e2e/timing.ts recorded (default `.e2e-timing/e2e.jsonl`).
 * `npm run test:timing -- --compare BEFORE AFTER`: each test's time in two runs, side by side.
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

/** The spans of one or more files that tests/e2e/timing.ts wrote. */
export function readSpans(files: readonly string[]): Span[] {
    return files.flatMap((f) => fs.readFileSync(f, "utf8").split("\n").filter(Boolean)).map((l) => JSON.parse(l));
}

const COLUMNS = ["tests", "wall", "cpu", "cpu%", "fleet", "engine", "start", "program", "providers", "kube", "finish", "cli", "typeCheck", "soak", "gate", "clear", "runs"] as const;
type Row = Record<(typeof COLUMNS)[number], number>;

function row(of: Span[], cores: number): Row {
    const sum = (kind: Span["kind"], part?: string) => of.filter((s) => s.kind === kind).reduce((n, s) => n + (part ? (s.parts?.[part] ?? 0) : s.wallMs), 0) / 1000;
    const tests = of.filter((s) => s.kind === "test");
    // A suite's wall is its tests and the hooks outside them (fleet starts, clean-ups in before()).
    const wall = tests.reduce((n, s) => n + s.wallMs, 0) / 1000 + of.filter((s) => s.test === "(hooks)" && s.kind !== "test").reduce((n, s) => n + s.wallMs, 0) / 1000;
    const cpu = (tests.reduce((n, s) => n + s.cpuMs, 0) + of.filter((s) => s.test === "(hooks)").reduce((n, s) => n + s.cpuMs, 0)) / 1000;
    return {
        tests: tests.length,
        wall,
        cpu,
        "cpu%": wall > 0 ? (100 * cpu) / (wall * cores) : 0,
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

/**
 * The report, as markdown tables: per suite, then (unless `suitesOnly`) per test. `cores` is the
 * machine's, for the CPU's share of the wall time.
 */
export function timingReport(spans: readonly Span[], options: { readonly suitesOnly?: boolean; readonly cores?: number } = {}): string {
    const cores = options.cores ?? os.cpus().length;
    const suites = [...new Set(spans.map((s) => s.suite))].sort();
    const bySuite: [string, Row][] = suites.map((suite) => [suite.replace(/^tests\/e2e\//, ""), row(spans.filter((s) => s.suite === suite), cores)]);
    bySuite.push(["all", row([...spans], cores)]);
    const byTest: [string, Row][] = spans
        .filter((s) => s.kind === "test")
        .map((t) => [
            `${t.suite.replace(/^tests\/e2e\//, "").replace(/\.test\.ts$/, "")}: ${t.test.length > 60 ? `${t.test.slice(0, 57)}…` : t.test}`,
            row(spans.filter((s) => s.suite === t.suite && s.test === t.test), cores),
        ]);
    return [table("Per suite (seconds)", bySuite), ...(options.suitesOnly ? [] : [table("Per test (seconds)", byTest)])].join("\n");
}

/**
 * Each test's wall time and runs (engine runs and commands) in two measurements, `before` and
 * `after`, by suite and title, as a markdown table; a test only one of them has shows "-" in the other.
 * A suite's time outside its tests (a stack deployed once in `before()` for several tests) is in
 * {@link timingReport}'s suite rows, not here.
 */
export function timingComparison(before: readonly Span[], after: readonly Span[]): string {
    const key = (s: Span) => `${s.suite.replace(/^tests\/e2e\//, "").replace(/\.test\.ts$/, "")}: ${s.test}`;
    const titles = [...new Set([...before, ...after].filter((s) => s.kind === "test").map(key))].sort();
    const of = (spans: readonly Span[], title: string) => {
        const own = spans.filter((s) => key(s) === title);
        const test = own.find((s) => s.kind === "test");
        return test ? { wall: (test.wallMs / 1000).toFixed(0), runs: String(own.filter((s) => s.kind === "engine" || s.kind === "cli").length) } : { wall: "-", runs: "-" };
    };
    const lines = ["| test | wall before | wall after | runs before | runs after |", "| --- | --- | --- | --- | --- |"];
    for (const title of titles) {
        const [b, a] = [of(before, title), of(after, title)];
        lines.push(`| ${(title.length > 90 ? `${title.slice(0, 87)}…` : title).replace(/\|/g, "\\|")} | ${b.wall} | ${a.wall} | ${b.runs} | ${a.runs} |`);
    }
    return `${lines.join("\n")}\n`;
}

if (require.main === module) {
    const args = process.argv.slice(2);
    if (args[0] === "--compare") {
        console.log(timingComparison(readSpans([args[1]]), readSpans([args[2]])));
    } else {
        const files = args.filter((a) => a !== "--suites");
        console.log(timingReport(readSpans(files.length > 0 ? files : [path.resolve(__dirname, "../../.e2e-timing/e2e.jsonl")]), { suitesOnly: args.includes("--suites") }));
    }
}
