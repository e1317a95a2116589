/**
 * What a review needs to know of the whole fleet, beyond the stacks it previewed: every region's
 * clusters (to name a whole region at once) and digests of the definition and the plan (so that parts
 * previewed on different machines are joined only when they describe the same fleet and change).
 */
import canonicalize from "canonicalize";
import { createHash } from "crypto";
import { FleetDefinition } from "../../fleet/fleet-definition";
import { planStacks } from "../plan/plan";

/** The fleet a review is of. */
export interface FleetShape {
    /** Every cluster of the whole fleet by region, in fleet order. */
    readonly regions: Readonly<Record<string, readonly string[]>>;
    /** sha256 of the fleet definition's clusters (names, regions, contexts), stack layout and config, as canonical JSON. */
    readonly definition: string;
    /** sha256 of the plan: every stack with its selector and clusters, and the config every stack runs with. */
    readonly plan: string;
    /** Every stack of the plan, in plan order (a review of some of them says which are missing). */
    readonly stacks: readonly string[];
}

/** The shape of the fleet that `definition` declares, with `config` the config every stack runs with. */
export function fleetShape(definition: FleetDefinition, config: Readonly<Record<string, string>>): FleetShape {
    const regions: Record<string, string[]> = {};
    for (const c of definition.clusters) (regions[c.region] ??= []).push(c.name);
    const stacks = planStacks(definition);
    return {
        regions,
        // Where the kubeconfigs are on this machine is not part of what the fleet is: two CI jobs that
        // check the same commit out to different folders preview the same fleet.
        definition: digest({ clusters: definition.clusters.map(({ name, region, context }) => ({ name, region, context })), stacks: definition.stacks ?? {}, config: definition.config ?? {} }),
        plan: digest({ stacks: stacks.map((s) => ({ name: s.name, selector: s.selector, clusters: s.clusters.map((c) => c.name) })), config }),
        stacks: stacks.map((s) => s.name),
    };
}

/** The region of each cluster of a shape. */
export function regionOf(shape: FleetShape): Map<string, string> {
    return new Map(Object.entries(shape.regions).flatMap(([region, clusters]) => clusters.map((c) => [c, region] as const)));
}

function digest(value: unknown): string {
    return createHash("sha256").update(canonicalize(value) ?? "").digest("hex");
}
