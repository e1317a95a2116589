import * as pulumi from "@pulumi/pulumi";
import { errorForHost } from "./host-errors";
import { currentProgramHost } from "./program-host";

/**
 * One thing wrong with a component's arguments. Every check in this package returns problems rather
 * than throwing, so that one preview reports all of them at once.
 */
export interface Problem {
    /** The argument at fault, as a user would write its path: `overrides.regions.eu.data.API_URL`. */
    readonly field: string;
    /** The cluster whose effective ConfigMap breaks the rule, where the rule is per cluster. */
    readonly cluster?: string;
    /** What is wrong, including the limit that was broken. */
    readonly message: string;
}

/** Renders a path such as `["overrides", "regions", "eu", "data", "a.b"]` as `overrides.regions.eu.data["a.b"]`. */
export function fieldPath(path: readonly PropertyKey[]): string {
    return path
        .map((segment, i) => {
            if (typeof segment === "number") return `[${segment}]`;
            const text = String(segment);
            if (/^[A-Za-z_$][A-Za-z0-9_$]*$/.test(text)) return i === 0 ? text : `.${text}`;
            return `[${JSON.stringify(text)}]`;
        })
        .join("");
}

/** One line per problem: `` `field` (cluster "x"): message ``. */
export function formatProblem(problem: Problem): string {
    const where = problem.cluster === undefined ? "" : ` (cluster "${problem.cluster}")`;
    return `\`${problem.field}\`${where}: ${problem.message}`;
}

/**
 * The error a component throws for bad arguments, printed once without a stack trace (see
 * {@link packageError}), so that `pulumi preview` stops before any change is made. Components throw it
 * before they register themselves (no `resource`), so a refused component leaves nothing in the state
 * either.
 */
export function argumentsError(resource: pulumi.Resource | undefined, what: string, problems: readonly Problem[]): Error {
    const lines = problems.map((p) => `  - ${formatProblem(p)}`).join("\n");
    return packageError(`${what} has invalid arguments; nothing was changed:\n${lines}`, resource);
}

/**
 * An error of this package, printed as written, once, without a stack, by whichever Pulumi host runs the
 * program: a `ResourceError` with `hideStack` under the CLI, and the form the inline Automation API host
 * prints once in an inline program (see `host-errors.ts`).
 */
export function packageError(message: string, resource?: pulumi.Resource): Error {
    return errorForHost(message, resource, currentProgramHost());
}

/**
 * A name, key, region or cluster as messages show it: in double quotes with JSON escapes, as kubectl
 * shows an offending value (`Invalid value: "App_Config"`). Never used for ConfigMap values, which may
 * be sensitive.
 */
export function quote(value: string): string {
    return JSON.stringify(value);
}

/** `Invalid value: "App_Config"`, kubectl's way of quoting the value it refuses. */
export function invalidValue(value: string): string {
    return `Invalid value: ${quote(value)}`;
}

/** `1048576` as `1,048,576`, for limits in messages. */
export function bytes(n: number): string {
    return n.toLocaleString("en-US");
}

/**
 * A file that cannot be used: its message names the file and lists every problem with its field.
 * The fleet definition's and the adopted config's errors are this, each under its own name.
 */
export class FileProblemsError extends Error {
    constructor(
        what: string,
        readonly file: string,
        readonly problems: readonly Problem[],
    ) {
        super(`${what} ${file} is invalid:\n${problems.map((p) => `  - ${formatProblem(p)}`).join("\n")}`);
    }
}
