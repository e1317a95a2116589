/**
 * The moves as the commands use them: `plan` and `preview` show them, `move` and `up` make them before
 * anything runs. Reads the backend (stack-states.ts), plans (move-plan.ts), makes (state-mover.ts).
 */
import { FleetDefinition } from "../../fleet/fleet-definition";
import { projectFilePath } from "../pulumi-project";
import { PlanError, planStacks, RolloutPlan } from "../plan/plan";
import { movesForStacks, planStateMoves, StateMovePlan, hasStateChanges } from "./move-plan";
import { lockedStacks, readStackStates } from "./stack-states";
import { applyStateMoves, PulumiStateOperations, StateMoveResult } from "./state-mover";

/** Nothing to move. */
export const NO_MOVES: StateMovePlan = { moves: [], leftovers: [], emptied: [] };

/**
 * The moves that put every cluster of `plan` in its planned stack's state, from every stack of the
 * project in `workDir` (none when `workDir` has no Pulumi project, as for a plan made away from the
 * program). For a plan restricted to some stacks (`--stack`), the moves into those stacks only.
 * Throws a {@link PlanError} naming each stack whose state cannot be read, each cluster two stacks'
 * states hold, and (with `--stack`) each cluster that moves out of a selected stack into one not
 * selected: nothing may run then, as the selected stack would delete it (`fleet-rollout move` first).
 */
export async function plannedMoves(workDir: string, definition: FleetDefinition, plan: RolloutPlan, only: readonly string[], concurrency: number): Promise<StateMovePlan> {
    if (!projectFilePath(workDir)) return NO_MOVES;
    const formerNames = new Map(definition.clusters.map((c) => [c.name, c.formerNames ?? []]));
    const states = await readStackStates(workDir, concurrency, {}, formerNames);
    const { plan: moves, problems } = planStateMoves(planStacks(definition), states.held, formerNames);
    if (problems.length > 0) throw new PlanError("a cluster cannot be moved safely", problems);
    if (only.length === 0) return moves;
    const selected = movesForStacks(moves, new Set(plan.stacks.map((s) => s.name)));
    if (selected.problems.length > 0) throw new PlanError("a cluster moves out of a selected stack, which must not run before the move is made", selected.problems);
    return selected.plan;
}

/**
 * Makes the moves, after checking that no stack they touch is locked by a running update (a
 * {@link PlanError} naming the stacks, and nothing moved). The destination stacks must exist.
 */
export async function makeMoves(workDir: string, moves: StateMovePlan, progress: (line: string) => void): Promise<StateMoveResult> {
    if (!hasStateChanges(moves)) return { moved: [], removed: [] };
    const touched = [...new Set([...moves.moves.flatMap((m) => [m.from, m.to]), ...moves.leftovers.map((l) => l.stack)])].sort();
    const locked = await lockedStacks(workDir, touched);
    if (locked.length > 0) {
        throw new PlanError(
            "a stack is locked by a running update, so no cluster was moved",
            locked.map((stack) => ({ field: `stack ${stack}`, message: "is locked: an update of it is running (or one ended without unlocking it: `pulumi cancel --stack " + stack + "`); wait for it to end and run again" })),
        );
    }
    return applyStateMoves(moves, new PulumiStateOperations(workDir), progress);
}
