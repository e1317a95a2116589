/**
 * Which file a Pulumi Node.js program starts from, and whether the language host type-checks it, read
 * the way `pulumi-language-nodejs` reads them: `Pulumi.yaml`'s runtime and `main`, then the project's
 * `package.json` `main`, then `index.ts`.
 */
import * as fs from "fs";
import * as path from "path";
import { readProjectFile } from "../pulumi-project";

/** A program the language host compiles with ts-node, and so type-checks once per stack. */
export interface TypeScriptProgram {
    /** The program's directory (where `Pulumi.yaml` is), which ts-node runs in. */
    readonly workDir: string;
    /** The absolute path of the file the program starts from. */
    readonly entry: string;
    /** The tsconfig ts-node reads (`PULUMI_NODEJS_TSCONFIG_PATH`, else `tsconfig.json`), absolute; it may not exist. */
    readonly tsconfig: string;
}

/** Why a program is not type-checked once before its stacks run; its stacks then run as Pulumi runs them. */
export interface NotChecked {
    /** One line for the progress display. */
    readonly reason: string;
}

/**
 * The TypeScript program in `workDir`, or why there is none to check: another runtime, `typescript:
 * false`, or a JavaScript entry. `env` is the environment the stacks run with.
 */
export function typeScriptProgram(workDir: string, env: Readonly<Record<string, string | undefined>>): TypeScriptProgram | NotChecked {
    const project = readProjectFile(workDir);
    if (!project) return { reason: `no Pulumi.yaml in ${workDir}` };
    const runtime = typeof project.runtime === "string" ? { name: project.runtime } : (project.runtime ?? {});
    if (runtime.name !== "nodejs") return { reason: `the program's runtime is ${JSON.stringify(runtime.name ?? null)}, not nodejs` };
    if (runtime.options?.typescript === false) return { reason: "the program sets `typescript: false`" };
    const entry = entryOf(path.resolve(workDir, typeof project.main === "string" ? project.main : "."));
    if (!entry) return { reason: "the program has no entry file (package.json main, index.ts or index.js)" };
    if (!/\.[cm]?tsx?$/.test(entry)) return { reason: `the program starts from JavaScript (${path.relative(workDir, entry)})` };
    return { workDir, entry, tsconfig: path.resolve(workDir, env.PULUMI_NODEJS_TSCONFIG_PATH ?? "tsconfig.json") };
}

/** Whether the answer of {@link typeScriptProgram} is a program to check. */
export function isTypeScriptProgram(found: TypeScriptProgram | NotChecked): found is TypeScriptProgram {
    return "entry" in found;
}

function entryOf(main: string): string | undefined {
    if (fs.existsSync(main) && fs.statSync(main).isFile()) return main;
    // As the language host does for a `main` directory: the package's `exports` ".", else its `main`, else an index file.
    const packageFile = path.join(main, "package.json");
    const pkg = fs.existsSync(packageFile) ? JSON.parse(fs.readFileSync(packageFile, "utf8")) : {};
    const exported = typeof pkg.exports === "string" ? pkg.exports : typeof pkg.exports?.["."] === "string" ? pkg.exports["."] : (pkg.exports?.["."]?.default ?? pkg.exports?.["."]?.require);
    const declared = [exported, pkg.main].find((m): m is string => typeof m === "string");
    const candidates = declared ? [path.resolve(main, declared), ...[".ts", ".js"].map((ext) => path.resolve(main, declared) + ext)] : [path.join(main, "index.ts"), path.join(main, "index.js")];
    return candidates.find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
}
