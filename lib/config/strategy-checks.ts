/**
 * What a strategy adds to a FleetConfigMap's one check stage (check-stage.ts). Each strategy hands its
 * checks in as one of these, so the stage runs them without importing any strategy's file, and a new
 * strategy brings its own checks instead of editing the stage. A file of its own, because the stage and
 * the strategies (lib/strategies/) both read it and neither may import the other's side.
 */
import { Problem } from "../errors/problems";
import { ResolvedEntry } from "./resolved-entry";

/** A strategy's own checks. Each is optional: a strategy that leaves one out gets the stage's default. */
export interface StrategyChecks {
    /**
     * Why `metadata.name` cannot be used with this strategy, told from the arguments alone: the names
     * the strategy derives from it (a hash suffix, part numbers) must still be valid object names.
     * @default none
     */
    nameProblems?(name: string): Problem[];
    /**
     * Why one cluster's values that are not known when the program runs (Outputs, Promises) are refused.
     * @default none: they are checked once known, fleet-wide (fleet-content.ts)
     */
    unknownValueProblems?(cluster: string, entries: readonly { readonly field: string; readonly value: unknown }[]): Problem[];
    /**
     * Why one cluster's resolved values do not fit what the strategy writes; run only once each value is
     * a valid string (and base64 in `binaryData`).
     * @default one ConfigMap's 1 MiB of values (validation.ts `sizeProblems`)
     */
    sizeProblems?(cluster: string, entries: readonly ResolvedEntry[]): Problem[];
    /**
     * Why a ConfigMap called `name`, in `namespace`, would overwrite one this strategy writes for a
     * config called `base`, or undefined when it would not. `whose` says whose ConfigMaps these are in
     * the message (`this config's`, or `FleetConfigMap "web"'s`).
     * @default never: the strategy writes no ConfigMap named other than `base` or after its content
     */
    nameClash?(namespace: string, base: string, name: string, whose: string): string | undefined;
}
