/**
 * One type-check of the program per run instead of one per stack. The Node.js language host compiles a
 * TypeScript program with ts-node, which type-checks every file it loads: about 7 s of CPU and 280 MiB
 * for a program that imports @pulumi/kubernetes, most of a stack's fixed cost, paid again by each of a
 * fleet's stacks for the same files. The command checks the program once, as ts-node would, and then
 * runs every stack with `PULUMI_NODEJS_TRANSPILE_ONLY=true`, the language host's own switch for
 * programs checked elsewhere.
 */
import { spawn } from "child_process";
import * as path from "path";
import { EXIT } from "../exit-codes";
import { CHECK_SCRIPT } from "./check-script";
import { isTypeScriptProgram, typeScriptProgram } from "./program-entry";

/** The language host's switch: `true` compiles without type-checking, `false` type-checks. */
export const TRANSPILE_ONLY = "PULUMI_NODEJS_TRANSPILE_ONLY";

/** What the one check found, and how the stacks are to run. */
export type TypeCheckOutcome =
    | {
          /** The program type-checks: its stacks run without checking it again. */
          readonly status: "passed";
          /** How many of the program's own TypeScript files were checked (node_modules left out, as ts-node leaves them). */
          readonly files: number;
          /** How long the check took. */
          readonly elapsedMs: number;
          /** The variables every stack's `pulumi` gets: {@link TRANSPILE_ONLY} set to `true`. */
          readonly env: Readonly<Record<string, string>>;
      }
    | {
          /** The program does not type-check: nothing may run. */
          readonly status: "failed";
          /** Each error as TypeScript formats it: `file(line,col): error TSnnnn: text`. */
          readonly errors: readonly string[];
          /** How long the check took. */
          readonly elapsedMs: number;
      }
    | {
          /** Not checked here: each stack compiles the program as Pulumi does on its own. */
          readonly status: "skipped";
          /** Why, in one line. */
          readonly reason: string;
          /** No variables: the stacks' environment stays as it is. */
          readonly env: Readonly<Record<string, string>>;
      };

/**
 * Type-checks the program in `workDir` once. The user's own {@link TRANSPILE_ONLY} always wins (`false`
 * keeps a check in every stack); a program that is not TypeScript, or that cannot be checked here (no
 * ts-node or TypeScript beside its @pulumi/pulumi), is left to the stacks.
 */
export async function typeCheckOnce(directory: string, env: Readonly<Record<string, string | undefined>> = process.env): Promise<TypeCheckOutcome> {
    const workDir = path.resolve(directory);
    if (env[TRANSPILE_ONLY]) return { status: "skipped", reason: `${TRANSPILE_ONLY}=${env[TRANSPILE_ONLY]} is set, so the stacks compile the program as it says`, env: {} };
    const program = typeScriptProgram(workDir, env);
    if (!isTypeScriptProgram(program)) return { status: "skipped", reason: program.reason, env: {} };
    const started = Date.now();
    const child = await runNode(["-e", CHECK_SCRIPT, program.workDir, program.entry, program.tsconfig], workDir);
    const elapsedMs = Date.now() - started;
    let found: { files: number; errors: string[] } | undefined;
    try {
        found = child.code === 0 ? JSON.parse(child.stdout) : undefined;
    } catch {
        found = undefined;
    }
    if (!found) {
        const why = child.stderr.trim().split("\n").find((l) => /Error|Cannot find/.test(l)) ?? `exit ${child.code}`;
        return { status: "skipped", reason: `it could not be type-checked here (${why.trim()}), so each stack checks it`, env: {} };
    }
    if (found.errors.length > 0) return { status: "failed", errors: found.errors, elapsedMs };
    return { status: "passed", files: found.files, elapsedMs, env: { [TRANSPILE_ONLY]: "true" } };
}

function runNode(args: readonly string[], cwd: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
        const child = spawn(process.execPath, args, { cwd, stdio: ["ignore", "pipe", "pipe"] });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (d) => (stdout += d));
        child.stderr.on("data", (d) => (stderr += d));
        child.on("error", reject);
        child.on("close", (code) => resolve({ code, stdout, stderr }));
    });
}

/** The refusal of a program that does not type-check: its errors, at most `max`, then how many more. */
export function typeCheckRefusal(errors: readonly string[], max = 10): string {
    const shown = errors.slice(0, max).map((e) => `  ${e}`);
    const more = errors.length > max ? [`  and ${errors.length - max} more`] : [];
    return [`the program does not type-check (${errors.length} error${errors.length === 1 ? "" : "s"}); nothing was run:`, ...shown, ...more].join("\n");
}

/** The progress line of a check that did not refuse: how it went, and what the `stacks` stacks do. */
export function typeCheckProgress(outcome: Exclude<TypeCheckOutcome, { status: "failed" }>, stacks: number): string {
    if (outcome.status === "skipped") return `type-check: not done once here: ${outcome.reason}`;
    const seconds = (outcome.elapsedMs / 1000).toFixed(1);
    return `type-checked the program once (${outcome.files} file${outcome.files === 1 ? "" : "s"}, ${seconds} s); its ${stacks} stack${stacks === 1 ? "" : "s"} compile it without checking again`;
}

/** What a command does after the one check: run its stacks with `env`, or exit with `exit` (nothing was run). */
export type ProgramCheck = { readonly env: Readonly<Record<string, string>> } | { readonly exit: number };

/**
 * Runs {@link typeCheckOnce} for a command about to run `stacks` stacks: a refusal is written with
 * `error` (exit 2); otherwise, with `progress`, one line says what was done.
 */
export async function checkProgramOnce(workDir: string, stacks: number, io: { readonly progress: boolean; readonly error: (text: string) => void }): Promise<ProgramCheck> {
    const outcome = await typeCheckOnce(workDir);
    if (outcome.status === "failed") {
        io.error(`fleet-rollout: error: ${typeCheckRefusal(outcome.errors)}\n`);
        return { exit: EXIT.usage };
    }
    if (io.progress) io.error(`${typeCheckProgress(outcome, stacks)}\n`);
    return { env: outcome.env };
}
