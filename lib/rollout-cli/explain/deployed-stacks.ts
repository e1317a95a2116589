/**
 * Reads what the shard stacks last deployed, from their state in the backend, without running the
 * program: `explain` reads FleetConfigMaps' provenance and their ConfigMaps' data from it, and `drift`
 * checks that every stack it will preview was deployed before it runs any of them.
 */
import { LocalWorkspace, StackSummary } from "@pulumi/pulumi/automation";
import { boundedList } from "../../errors/bounded-list";
import { ConfigMapContent } from "../../config/hash";
import { FleetProvenance } from "../../config/provenance";
import { Problem } from "../../errors/problems";
import { atMost } from "../run/at-most";
import { PlannedStack, PlanError } from "../plan/plan";

/** The type token whose resources hold provenance in the state. */
const FLEET_CONFIG_MAP_TYPE = "fleet:index:FleetConfigMap";
/** The type token of each cluster's ConfigMap, a child of its FleetConfigMap. */
const CONFIG_MAP_TYPE = "kubernetes:core/v1:ConfigMap";

/** One resource of a stack's state, as `pulumi stack export` writes it (the fields read here). */
export interface StateResource {
    /** The resource's URN; its last `::` part is the name the program gave it. */
    readonly urn: string;
    /** The type token, e.g. `fleet:index:FleetConfigMap`. */
    readonly type: string;
    /** The resource's outputs; for a component, what it registered with `registerOutputs`. @default absent */
    readonly outputs?: Readonly<Record<string, unknown>>;
    /** The inputs the program gave it. @default absent */
    readonly inputs?: Readonly<Record<string, unknown>>;
    /** The URN of its parent. @default absent (a child of the stack) */
    readonly parent?: string;
    /** True for a resource replaced but not yet deleted (an interrupted replacement). @default false (absent) */
    readonly delete?: boolean;
    /** True for a resource a provider manages; false for a component. @default false (absent) */
    readonly custom?: boolean;
    /** The provider's ID for a custom resource. @default absent (a component) */
    readonly id?: string;
    /** The provider resource that manages it, as `<provider URN>::<provider ID>`. @default absent (a component, or the default provider) */
    readonly provider?: string;
}

/** A shard stack with the resources of its last deployment. */
export interface DeployedStack {
    /** The planned stack: its name, selector and clusters. */
    readonly stack: PlannedStack;
    /** Every resource of its state. */
    readonly resources: readonly StateResource[];
}

/** A FleetConfigMap as its stack's state records it. */
export interface DeployedFleetConfigMap {
    /** The name the program gave the component (`new FleetConfigMap("app-config", …)`). */
    readonly name: string;
    /** The stack whose state holds it. */
    readonly stack: string;
    /** The Kubernetes name of its ConfigMaps. @default absent in states written before the output existed */
    readonly configMapName?: string;
    /** Its namespace. @default absent, as above */
    readonly namespace?: string;
    /** Its provenance for the clusters this stack manages; empty in a state written before provenance existed. */
    readonly provenance: FleetProvenance;
    /**
     * The content the program gave each cluster's ConfigMap (the ConfigMap child's inputs), by cluster:
     * provenance holds no values, so `explain` takes them from here.
     */
    readonly contents: Readonly<Record<string, ConfigMapContent>>;
}

/** What the backend knows of a stack: absent, or present with this many resources in its state. */
export type StackPresence = { readonly exists: false } | { readonly exists: true; readonly resources: number };

/**
 * Problems with stacks that should have been deployed: a stack the backend does not have, or one
 * that exists with an empty state (created, never deployed, or destroyed). Pure.
 */
export function deploymentProblems(stacks: readonly PlannedStack[], presence: ReadonlyMap<string, StackPresence>): Problem[] {
    const problems: Problem[] = [];
    for (const stack of stacks) {
        const found = presence.get(stack.name) ?? { exists: false };
        const clusters = boundedList(stack.clusters.map((c) => c.name));
        if (!found.exists) {
            problems.push({ field: `stack ${stack.name}`, message: `was never deployed: the backend has no stack "${stack.name}" (clusters ${clusters}); run \`fleet-rollout up\` first` });
        } else if (found.resources === 0) {
            problems.push({ field: `stack ${stack.name}`, message: `was never deployed: the stack exists but its state is empty (clusters ${clusters}); run \`fleet-rollout up\` first` });
        }
    }
    return problems;
}

/** The FleetConfigMaps of deployed stacks, by component name; one entry per stack that has it. Pure. */
export function fleetConfigMaps(stacks: readonly DeployedStack[]): Map<string, DeployedFleetConfigMap[]> {
    const found = new Map<string, DeployedFleetConfigMap[]>();
    for (const { stack, resources } of stacks) {
        for (const r of resources) {
            if (r.type !== FLEET_CONFIG_MAP_TYPE) continue;
            const name = resourceName(r);
            const out = r.outputs ?? {};
            const provenance = isRecord(out.provenance) ? (out.provenance as FleetProvenance) : {};
            const entry: DeployedFleetConfigMap = {
                name,
                stack: stack.name,
                configMapName: typeof out.configMapName === "string" ? out.configMapName : undefined,
                namespace: typeof out.namespace === "string" ? out.namespace : undefined,
                provenance,
                contents: childContents(r, resources, new Set(Object.keys(provenance))),
            };
            found.set(name, [...(found.get(name) ?? []), entry]);
        }
    }
    return found;
}

/**
 * The content of each of a FleetConfigMap's ConfigMaps (named `<name>-<cluster>`), by cluster. With the
 * split strategy a cluster has parts (`<name>-<cluster>-part-<n>`), joined here into its whole content;
 * a child is read as a part only when its cluster is one of `clusters` (the provenance's) and the whole
 * remainder is not, so a cluster whose own name ends in `-part-<n>` is not mistaken for one.
 */
function childContents(component: StateResource, resources: readonly StateResource[], clusters: ReadonlySet<string>): Record<string, ConfigMapContent> {
    const prefix = `${resourceName(component)}-`;
    const contents: Record<string, { data: Record<string, string>; binaryData: Record<string, string> }> = {};
    for (const r of resources) {
        if (r.type !== CONFIG_MAP_TYPE || r.parent !== component.urn || r.delete || !resourceName(r).startsWith(prefix)) continue;
        const stringMap = (value: unknown) => (isRecord(value) ? (value as Record<string, string>) : {});
        const rest = resourceName(r).slice(prefix.length);
        const part = /^(.+)-part-\d+$/.exec(rest);
        const cluster = part && !clusters.has(rest) && clusters.has(part[1]) ? part[1] : rest;
        const content = (contents[cluster] ??= { data: {}, binaryData: {} });
        Object.assign(content.data, stringMap(r.inputs?.data));
        Object.assign(content.binaryData, stringMap(r.inputs?.binaryData));
    }
    return contents;
}

/** A state resource's name in the program: the last part of its URN. */
export function resourceName(r: StateResource): string {
    return r.urn.split("::").pop()!;
}

/**
 * The deployed FleetConfigMap named `name`, or a {@link PlanError} naming those the stacks have.
 * Nothing has run when it throws.
 */
export function findFleetConfigMap(stacks: readonly DeployedStack[], name: string): DeployedFleetConfigMap[] {
    const all = fleetConfigMaps(stacks);
    const found = all.get(name);
    if (found) return found;
    const known = [...all.keys()].sort();
    const where = boundedList(stacks.map((s) => s.stack.name));
    throw new PlanError(`there is nothing to explain`, [
        {
            field: name,
            message: `no FleetConfigMap of that name is in the state of stack${stacks.length === 1 ? "" : "s"} ${where}; ${known.length ? `its FleetConfigMaps are ${known.map((k) => `"${k}"`).join(", ")}` : "they hold no FleetConfigMap"}`,
        },
    ]);
}

/**
 * Reads the presence and state of each stack from the backend of the program in `workDir`, through the
 * Automation API (`pulumi stack ls`, then `pulumi stack export`, `concurrency` at a time): no program
 * runs and nothing is written.
 * Throws a {@link PlanError} for stacks that were never deployed.
 */
export async function readDeployedStacks(workDir: string, stacks: readonly PlannedStack[], concurrency = 4): Promise<DeployedStack[]> {
    const workspace = await LocalWorkspace.create({ workDir });
    const listed = await workspace.listStacks();
    const names = new Set(listed.map(listedStackName));
    const presence = new Map<string, StackPresence>();
    const deployed = new Map<string, DeployedStack>();
    for (const stack of stacks) if (!names.has(stack.name)) presence.set(stack.name, { exists: false });
    await atMost(concurrency, stacks.filter((s) => names.has(s.name)), async (stack) => {
        const exported = await workspace.exportStack(stack.name);
        const resources: StateResource[] = exported.deployment?.resources ?? [];
        presence.set(stack.name, { exists: true, resources: resources.length });
        deployed.set(stack.name, { stack, resources });
    });
    const problems = deploymentProblems(stacks, presence);
    if (problems.length > 0) throw new PlanError("a stack was never deployed", problems);
    return stacks.map((s) => deployed.get(s.name)!);
}

/** A listed stack's name alone, as the plan names it: a DIY backend may list `organization/project/stack`. */
export function listedStackName(summary: StackSummary): string {
    return summary.name.split("/").pop()!;
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}
