/**
 * The Pulumi project file of a program's directory, which the command reads for the project's name
 * (stack config keys, the file backend's lock paths), its runtime and entry (the one type-check) and
 * its backend: `Pulumi.yaml`, or `Pulumi.yml`, as `pulumi` itself finds it.
 */
import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";

/** The project file's names, in the order `pulumi` looks for them. */
const PROJECT_FILES = ["Pulumi.yaml", "Pulumi.yml"];

/** A parsed project file: the YAML as written (an empty file is `{}`), its fields as loosely typed as YAML. */
export type ProjectFile = Record<string, any>;

/** The path of the project file in `workDir`, or undefined when `workDir` holds no Pulumi project. */
export function projectFilePath(workDir: string): string | undefined {
    return PROJECT_FILES.map((f) => path.join(workDir, f)).find((f) => fs.existsSync(f));
}

/** The project file in `workDir`, parsed, or undefined when there is none. */
export function readProjectFile(workDir: string): ProjectFile | undefined {
    const file = projectFilePath(workDir);
    return file ? (parseYaml(fs.readFileSync(file, "utf8")) ?? {}) : undefined;
}

/** The project's name, or undefined when there is no project file or it names none. */
export function projectName(workDir: string): string | undefined {
    const name = readProjectFile(workDir)?.name;
    return typeof name === "string" ? name : undefined;
}
