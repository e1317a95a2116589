/**
 * Reads, through the Automation API, which clusters every stack of the program's project holds
 * (`pulumi stack ls`, then `pulumi stack export`), and whether a stack is locked by a running update:
 * what a plan's moves are computed from, and checked against before the first is made. Nothing is written.
 */
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import * as fs from "fs";
import * as path from "path";
import { fileURLToPath } from "url";
import { Problem } from "../../errors/problems";
import { atMost } from "../run/at-most";
import { listedStackName, StateResource } from "../explain/deployed-stacks";
import { errorTail } from "../run/error-tail";
import { PlanError } from "../plan/plan";
import { fleetNamesIn, HeldCluster, heldClusters } from "./held-clusters";
import { projectName, readProjectFile } from "../pulumi-project";

/** What the backend holds of the project's stacks. */
export interface StackStates {
    /** Every stack of the project, by name. */
    readonly stacks: readonly string[];
    /** Every cluster every stack's state holds. */
    readonly held: readonly HeldCluster[];
}

/**
 * The clusters every stack of the project in `workDir` holds, `concurrency` stacks read at a time.
 * Throws a {@link PlanError} naming each stack whose state cannot be read, before anything is moved.
 */
export async function readStackStates(
    workDir: string,
    concurrency: number,
    envVars: Readonly<Record<string, string>> = {},
    formerNames: ReadonlyMap<string, readonly string[]> = new Map(),
): Promise<StackStates> {
    const workspace = await LocalWorkspace.create({ workDir, envVars: { ...envVars } });
    const listed = await workspace.listStacks();
    const names = listed.map(listedStackName);
    const states = new Map<string, StateResource[]>();
    const problems: Problem[] = [];
    await atMost(concurrency, names, async (stack) => {
        try {
            const exported = await workspace.exportStack(stack);
            const resources: StateResource[] = exported.deployment?.resources ?? [];
            states.set(stack, resources);
        } catch (err) {
            problems.push({ field: `stack ${stack}`, message: `its state cannot be read: ${errorTail(err)}` });
        }
    });
    if (problems.length > 0) throw new PlanError("a stack's state cannot be read, so no cluster can be moved safely", problems.sort((a, b) => (a.field < b.field ? -1 : 1)));
    // A provider a move parented to the stack is told by its Fleet's name, which another stack's state may hold.
    const fleets = [...new Set([...states.values()].flatMap(fleetNamesIn))];
    const held: HeldCluster[] = [...states].flatMap(([stack, resources]) => heldClusters(stack, resources, { fleets, formerNames }));
    const order = new Map(names.map((n, i) => [n, i]));
    held.sort((a, b) => order.get(a.stack)! - order.get(b.stack)!);
    return { stacks: names, held };
}

/**
 * The stacks of `stacks` that an update holds locked now: those the backend lists as updating, and,
 * on a file backend (`file://`, which lists none as updating), those with a lock file. A move into or
 * out of a locked stack would race the update writing its state.
 */
export async function lockedStacks(workDir: string, stacks: readonly string[], envVars: Readonly<Record<string, string>> = {}): Promise<string[]> {
    const workspace = await LocalWorkspace.create({ workDir, envVars: { ...envVars } });
    const listed = await workspace.listStacks();
    const updating = new Set(listed.filter((s) => s.updateInProgress).map(listedStackName));
    const backend = envVars.PULUMI_BACKEND_URL ?? process.env.PULUMI_BACKEND_URL ?? backendOfProject(workDir);
    const locked = backend?.startsWith("file://") ? new Set(fileBackendLocks(fileURLToPath(backend), projectName(workDir), stacks)) : new Set<string>();
    return stacks.filter((stack) => updating.has(stack) || locked.has(stack));
}

/**
 * The stacks of `stacks` that a file backend rooted at `backendDir` holds a lock file of: under
 * `.pulumi/locks/organization/<project>/<stack>/`, or `.pulumi/locks/<stack>/` in its older layout.
 * A lock file is what `pulumi` writes while an update of the stack runs (and leaves if it is killed).
 */
export function fileBackendLocks(backendDir: string, project: string | undefined, stacks: readonly string[]): string[] {
    const lockDir = path.join(backendDir, ".pulumi", "locks");
    const dirsOf = (stack: string) => [...(project ? [path.join(lockDir, "organization", project, stack)] : []), path.join(lockDir, stack)];
    return stacks.filter((stack) => dirsOf(stack).some((dir) => fs.existsSync(dir) && fs.readdirSync(dir).some((f) => f.endsWith(".json"))));
}

/** The `backend.url` of the project file, which `pulumi` uses when `PULUMI_BACKEND_URL` is not set. */
function backendOfProject(workDir: string): string | undefined {
    const backend = readProjectFile(workDir)?.backend as { url?: unknown } | undefined;
    return typeof backend?.url === "string" ? backend.url : undefined;
}
