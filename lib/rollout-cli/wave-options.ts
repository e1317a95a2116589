import { boundedQuotedList } from "../bounded-list";
import { Problem } from "../problems";
import { DURATION_FORMAT, formatDuration, parseDuration } from "./durations";

/**
 * A wave's soak, gate and timeout, as a fleet file's `waves[]` entry or the command line writes them.
 * The fleet file's values are checked when it is read; the command line's when the rollout is
 * planned, by the same functions, so both refuse a value with the same words.
 */
export interface WaveOptions {
    /**
     * How long the wave's wired workloads are watched after its `up` succeeded (`10m`); the wave
     * fails if a workload's rollout is not finished (as `kubectl rollout status` judges it), its
     * ready replicas fall, or a pod restarts meanwhile.
     * @default no soak
     */
    readonly soak?: string;
    /**
     * A shell command run after the soak, in the fleet file's directory (the current directory for
     * `--gate`); a non-zero exit fails the wave.
     * @default no gate
     */
    readonly gate?: string;
    /**
     * The longest the wave may take, from its first stack's start to its gate's end; then its running
     * stacks are cancelled, its gate is stopped and the wave fails.
     * @default no timeout: a failing `up` is bounded only by the provider's own waits
     */
    readonly timeout?: string;
}

/** The name of one wave option. */
export type WaveOptionName = keyof WaveOptions;

/** The command-line flag of each wave option: `--soak canary=10m`. */
export const WAVE_OPTION_FLAGS: Readonly<Record<WaveOptionName, string>> = { soak: "--soak", gate: "--gate", timeout: "--wave-timeout" };

/** The shortest and longest value a duration option takes, in milliseconds, and why the shortest. */
export interface DurationLimits {
    /** The shortest value. */
    readonly shortest: number;
    /** Why nothing shorter is taken, for the message. */
    readonly why: string;
    /** The longest value. */
    readonly longest: number;
}

/** How often a soak looks at the workloads; a soak is at least three looks long. */
export const SOAK_POLL_MS = 10_000;

/** A day: no wave soaks or runs longer in one invocation; a longer watch is a job for monitoring. */
const DAY = 24 * 60 * 60 * 1000;

/** The limits of `soak`. */
export const SOAK_LIMITS: DurationLimits = { shortest: 3 * SOAK_POLL_MS, why: `a soak looks at the workloads every ${formatDuration(SOAK_POLL_MS)}`, longest: DAY };

/** The limits of `timeout`. */
export const TIMEOUT_LIMITS: DurationLimits = { shortest: 60_000, why: "a stack's `pulumi up` alone takes tens of seconds", longest: DAY };

/** What is wrong with a soak or timeout as written, or `undefined` when it is a duration within its limits. */
export function durationProblem(value: string, option: "soak" | "timeout"): string | undefined {
    const limits = option === "soak" ? SOAK_LIMITS : TIMEOUT_LIMITS;
    const ms = parseDuration(value);
    if (ms === undefined) return `${JSON.stringify(value)} is not a duration: write ${DURATION_FORMAT}`;
    if (ms < limits.shortest) return `${JSON.stringify(value)} is shorter than the shortest ${option}, ${formatDuration(limits.shortest)}: ${limits.why}`;
    if (ms > limits.longest) return `${JSON.stringify(value)} is longer than the longest ${option}, ${formatDuration(limits.longest)}`;
    return undefined;
}

/** What is wrong with a gate command as written: only an empty one. */
export function gateProblem(value: string): string | undefined {
    return value.trim() === "" ? "is empty: give a command, such as ./smoke.sh" : undefined;
}

/**
 * What is wrong with a wave's timeout given its soak: the timeout bounds the whole wave, so it must
 * leave time for the `up` after the soak is counted. `undefined` when either is absent or unreadable
 * (that is reported on its own).
 */
export function timeoutAgainstSoakProblem(options: WaveOptions): string | undefined {
    const soak = options.soak === undefined ? undefined : parseDuration(options.soak);
    const timeout = options.timeout === undefined ? undefined : parseDuration(options.timeout);
    if (soak === undefined || timeout === undefined || timeout > soak) return undefined;
    return `${JSON.stringify(options.timeout)} is not longer than the wave's soak (${options.soak}): the timeout bounds the whole wave, its \`up\`, soak and gate`;
}

/** Every problem of one wave's options; `fieldOf` names where each option was written. */
export function waveOptionsProblems(options: WaveOptions, fieldOf: (option: WaveOptionName) => string): Problem[] {
    const problems: Problem[] = [];
    const add = (option: WaveOptionName, message: string | undefined) => {
        if (message !== undefined) problems.push({ field: fieldOf(option), message });
    };
    if (options.soak !== undefined) add("soak", durationProblem(options.soak, "soak"));
    if (options.timeout !== undefined) add("timeout", durationProblem(options.timeout, "timeout"));
    if (options.gate !== undefined) add("gate", gateProblem(options.gate));
    add("timeout", timeoutAgainstSoakProblem(options));
    return problems;
}

/** One `--soak`, `--gate` or `--wave-timeout` of the command line. */
export interface WaveOptionFlag {
    /** The wave it sets. */
    readonly wave: string;
    /** Which option. */
    readonly option: WaveOptionName;
    /** The value as written. */
    readonly value: string;
    /** The flag and wave, for messages: `--soak canary`. */
    readonly field: string;
}

/**
 * Parses the `NAME=VALUE` arguments of `--soak`, `--gate` and `--wave-timeout`. Their values are
 * checked when they are applied to the plan's waves ({@link applyWaveOptionFlags}); here only the
 * form, and that no flag sets the same wave twice.
 */
export function parseWaveOptionFlags(given: Partial<Record<WaveOptionName, readonly string[]>>): { flags: WaveOptionFlag[]; problems: Problem[] } {
    const flags: WaveOptionFlag[] = [];
    const problems: Problem[] = [];
    for (const option of Object.keys(WAVE_OPTION_FLAGS) as WaveOptionName[]) {
        const flag = WAVE_OPTION_FLAGS[option];
        for (const arg of given[option] ?? []) {
            const eq = arg.indexOf("=");
            if (eq <= 0) {
                problems.push({ field: `${flag} ${arg}`, message: `is not WAVE=VALUE, e.g. ${flag} canary=${option === "gate" ? "./smoke.sh" : "10m"}` });
                continue;
            }
            const wave = arg.slice(0, eq);
            const field = `${flag} ${wave}`;
            if (flags.some((f) => f.field === field)) problems.push({ field, message: `is given twice; give each wave's ${option} once` });
            else flags.push({ wave, option, value: arg.slice(eq + 1), field });
        }
    }
    return { flags, problems };
}

/** A wave with the options it rolls out with, and where each was written. */
export interface WaveWithOptions extends WaveOptions {
    /** The wave's name. */
    readonly name: string;
    /** Where the wave was written: `--wave canary` or `waves[0] (canary)`. */
    readonly field: string;
    /** Where each option came from, when the command line set it. @default every option as the wave was written */
    readonly optionFields?: Partial<Record<WaveOptionName, string>>;
}

/**
 * The waves with the command line's options over their own: a flag replaces that option of that
 * wave. A flag naming no wave of the plan is a problem, as is a value out of its limits or a
 * timeout no longer than its soak (whether the file or the flag set either).
 */
export function applyWaveOptionFlags<W extends WaveWithOptions>(waves: readonly W[], flags: readonly WaveOptionFlag[]): { waves: W[]; problems: Problem[] } {
    const problems: Problem[] = [];
    for (const flag of flags) {
        if (!waves.some((w) => w.name === flag.wave)) {
            problems.push({ field: flag.field, message: `names no wave; the waves are ${boundedQuotedList(waves.map((w) => w.name))}` });
        }
    }
    const result = waves.map((wave) => {
        const own = flags.filter((f) => f.wave === wave.name);
        if (own.length === 0) return wave;
        const set = Object.fromEntries(own.map((f) => [f.option, f.value]));
        const optionFields = { ...wave.optionFields, ...Object.fromEntries(own.map((f) => [f.option, f.field])) };
        const merged: W = { ...wave, ...set, optionFields };
        // A timeout no longer than its soak is the flag's fault when only the soak came from one.
        const fieldOf = (option: WaveOptionName) => (option === "timeout" ? (optionFields.timeout ?? optionFields.soak) : optionFields[option]) ?? `${wave.field}.${option}`;
        problems.push(...waveOptionsProblems(merged, fieldOf));
        return merged;
    });
    return { waves: result, problems };
}
