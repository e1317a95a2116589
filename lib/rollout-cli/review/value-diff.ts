/**
 * How a reviewer reads one ConfigMap key's change: a one-line value as `before → after`, a config file
 * as a unified diff of its lines, a JSON value by field path, a binary value by size and hash. Lines
 * start with `+`, `-` or `~`, so a markdown `diff` block colours them. Human output only: `--json`
 * carries the whole values.
 */
import { createHash } from "crypto";
import { structuredPatch } from "diff";
import type { KeyDiff } from "./changes";

/** Past this many characters a one-line value is shortened in the middle. */
export const MAX_VALUE_CHARS = 60;
/** At most this many lines of one key's diff are printed; the rest is counted. */
export const MAX_DIFF_LINES = 40;

/** The lines that show one key's change, each starting with `+`, `-` or `~`; continuation lines are indented. */
export function keyDiffLines(diff: KeyDiff): string[] {
    if (diff.binary) return [binaryLine(diff)];
    const { key, before, after } = diff;
    if (before === undefined && after === undefined) return [`~ ${key}`];
    const json = jsonFieldLines(key, before, after);
    if (json) return cap(json);
    if (before !== undefined && after !== undefined) {
        if (!isMultiLine(before) && !isMultiLine(after)) return [`~ ${key}: ${shorten(before)} → ${shorten(after)}`];
        return cap([`~ ${key}:`, ...unifiedLines(before, after)]);
    }
    const value = (after ?? before)!;
    const sign = after !== undefined ? "+" : "-";
    if (!isMultiLine(value)) return [`${sign} ${key}: ${shorten(value)}`];
    const lines = value.replace(/\n$/, "").split("\n");
    return cap([`${sign} ${key}: ${lines.length} lines`, ...lines.map((l) => `${sign}     ${l}`)]);
}

/** `abc…xyz`: a value of more than {@link MAX_VALUE_CHARS} characters keeps its start and end. An empty value is `""`. */
export function shorten(value: string, max = MAX_VALUE_CHARS): string {
    if (value === "") return '""';
    if (value.length <= max) return value;
    const head = Math.ceil((max - 1) / 2);
    const tail = max - 1 - head;
    return `${value.slice(0, head)}…${value.slice(value.length - tail)}`;
}

function isMultiLine(value: string): boolean {
    return value.replace(/\n$/, "").includes("\n");
}

/** The changed lines of a multi-line value, as unified-diff hunks with two lines of context. */
function unifiedLines(before: string, after: string): string[] {
    const patch = structuredPatch("before", "after", before, after, "", "", { context: 2 });
    const lines: string[] = [];
    for (const hunk of patch.hunks) {
        lines.push(`~     @@ -${hunk.oldStart},${hunk.oldLines} +${hunk.newStart},${hunk.newLines} @@`);
        for (const line of hunk.lines) {
            if (line.startsWith("\\")) continue; // "\ No newline at end of file"
            const sign = line[0] === "+" ? "+" : line[0] === "-" ? "-" : " ";
            lines.push(`${sign}     ${line.slice(1)}`);
        }
    }
    return lines;
}

/**
 * A JSON object or array value (a typed value, or a JSON file key) compared by field path:
 * `~ settings.json.limits.rps: 100 → 200`. Undefined when either side is not a JSON object or array.
 */
function jsonFieldLines(key: string, before: string | undefined, after: string | undefined): string[] | undefined {
    const b = before === undefined ? undefined : parseStructured(before);
    const a = after === undefined ? undefined : parseStructured(after);
    if (b === undefined || a === undefined) return undefined;
    const lines: string[] = [];
    compare(b, a, key, lines);
    return lines.length > 0 ? lines : [`~ ${key}: the same JSON, written differently`];
}

function parseStructured(text: string): object | undefined {
    if (!/^\s*[[{]/.test(text)) return undefined;
    try {
        const value = JSON.parse(text);
        return value !== null && typeof value === "object" ? value : undefined;
    } catch {
        return undefined;
    }
}

function compare(before: unknown, after: unknown, path: string, into: string[]): void {
    if (isContainer(before) && isContainer(after) && Array.isArray(before) === Array.isArray(after)) {
        const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
        if (!Array.isArray(before)) keys.sort();
        for (const k of keys) {
            const child = Array.isArray(before) ? `${path}[${k}]` : /^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`;
            const has = (o: object) => Object.prototype.hasOwnProperty.call(o, k);
            if (!has(before)) into.push(`+ ${child}: ${shorten(JSON.stringify((after as any)[k]))}`);
            else if (!has(after)) into.push(`- ${child}: ${shorten(JSON.stringify((before as any)[k]))}`);
            else compare((before as any)[k], (after as any)[k], child, into);
        }
        return;
    }
    const b = JSON.stringify(before);
    const a = JSON.stringify(after);
    if (b !== a) into.push(`~ ${path}: ${shorten(b)} → ${shorten(a)}`);
}

function isContainer(value: unknown): value is object {
    return value !== null && typeof value === "object";
}

/** `~ logo.png (binary): 1,024 bytes sha256:0a1b2c3d → 2,048 bytes sha256:4e5f6a7b`. */
function binaryLine(diff: KeyDiff): string {
    const describe = (base64: string) => {
        const bytes = Buffer.from(base64, "base64");
        return `${bytes.length.toLocaleString("en-US")} bytes sha256:${createHash("sha256").update(bytes).digest("hex").slice(0, 12)}`;
    };
    if (diff.before !== undefined && diff.after !== undefined) return `~ ${diff.key} (binary): ${describe(diff.before)} → ${describe(diff.after)}`;
    return diff.after !== undefined ? `+ ${diff.key} (binary): ${describe(diff.after)}` : `- ${diff.key} (binary): ${describe(diff.before!)}`;
}

function cap(lines: string[]): string[] {
    if (lines.length <= MAX_DIFF_LINES) return lines;
    return [...lines.slice(0, MAX_DIFF_LINES - 1), `~     … ${lines.length - MAX_DIFF_LINES + 1} more lines (--json has the whole values)`];
}
