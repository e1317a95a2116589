import { boundedQuotedList } from "../../errors/bounded-list";
import { Problem } from "../../errors/problems";
import { WaveOptionName, WaveOptions, waveOptionsProblems } from "../../fleet/wave-options";

/** The command-line flag of each wave option: `--soak canary=10m`. */
export const WAVE_OPTION_FLAGS: Readonly<Record<WaveOptionName, string>> = { soak: "--soak", gate: "--gate", timeout: "--wave-timeout" };

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
