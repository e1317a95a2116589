/** What the plan tests share: parsing `--wave` arguments, reading a plan's waves, catching its refusals. */
import * as assert from "assert";
import { parseWaveArguments, PlanError, RolloutPlan } from "../../../../lib/rollout-cli/plan/plan";
import { formatProblem } from "../../../../lib/errors/problems";

/** The waves of `--wave` arguments, which must parse. */
export function waves(...args: string[]) {
    const parsed = parseWaveArguments(args);
    assert.deepStrictEqual(parsed.problems, []);
    return parsed.waves;
}

/** Each wave as `name: stack stack…`. */
export const shape = (plan: RolloutPlan) => plan.waves.map((w) => `${w.name}: ${w.stacks.map((s) => s.name).join(" ")}`);

/** The problems of the PlanError `f` throws, as the command prints them. */
export function problems(f: () => unknown): string[] {
    try {
        f();
    } catch (err) {
        if (err instanceof PlanError) return err.problems.map(formatProblem);
        throw err;
    }
    throw new Error("expected a PlanError");
}
