import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { boundedQuotedList } from "../errors/bounded-list";
import { formatProblem, Problem } from "../errors/problems";
import { assignShards } from "./shard-assignment";

// shardOf lived here before shards were even; a deep import of it from this file still works.
export { shardOf } from "./shard-assignment";

/**
 * Which clusters of a fleet one stack manages. Give at most one field; without any (or without a
 * selection at all) the stack manages the whole fleet. The rest of the fleet is still known to the
 * stack, so overrides naming a cluster or region of another shard stay valid and typos stay errors.
 *
 * Written in stack config and on the command line as a selector: `region:eu`, `cluster:a,b`,
 * `shard:2/4` or `*` (see {@link parseSelector}).
 *
 * @example
 * ```ts
 * { regions: ["eu"] }
 * { clusters: ["us-east-1", "us-west-2"] }
 * { shard: { index: 2, count: 4 } }
 * ```
 */
export interface FleetSelection {
    /** Every cluster of these regions. */
    readonly regions?: string[];
    /** These clusters, by name. */
    readonly clusters?: string[];
    /**
     * Shard `index` (1-based) of `count`. Each cluster belongs to exactly one shard, chosen by
     * bounded-load rendezvous hashing of the fleet's cluster names (`assignShards`): no shard holds
     * more than 1.1 times the mean, none is empty while there are as many clusters as shards, and the
     * assignment depends only on the fleet's cluster names and `count`, so every stack and the
     * rollout command compute the same one. Adding or removing a cluster moves a few others.
     */
    readonly shard?: ShardSelection;
}

/** Shard `index` of `count`, 1-based: `{ index: 1, count: 4 }` is the first of four. */
export interface ShardSelection {
    /** Which shard, from 1 to `count`. */
    readonly index: number;
    /** How many shards the fleet is split into. At least 1. */
    readonly count: number;
}

/** The zod schema of a {@link FleetSelection}, for the `Fleet`'s arguments and the fleet definition file. */
export const fleetSelectionSchema = z.strictObject({
    regions: z.array(z.string("must be a region name"), "must be a list of region names").optional(),
    clusters: z.array(z.string("must be a cluster name"), "must be a list of cluster names").optional(),
    shard: z
        .strictObject({
            index: z.number("must be a number").int("must be a whole number"),
            count: z.number("must be a number").int("must be a whole number"),
        })
        .optional(),
});

/** A cluster as selection needs it. */
export interface SelectableCluster {
    /** The cluster's name. */
    readonly name: string;
    /** The cluster's region. */
    readonly region: string;
}

/**
 * Everything wrong with a selection against the whole fleet: more than one kind of selection, an
 * unknown region or cluster (naming those the fleet has, at most ten of them), a shard out of range. `field` is the
 * selection's path in the caller's arguments, such as `select` or `waves[0].select`.
 */
export function selectionProblems(selection: FleetSelection, clusters: readonly SelectableCluster[], field = "select"): Problem[] {
    const problems: Problem[] = [];
    const given = (["regions", "clusters", "shard"] as const).filter((k) => selection[k] !== undefined);
    if (given.length > 1) {
        problems.push({ field, message: `sets ${given.map((k) => `\`${k}\``).join(" and ")}; a selection is by regions, by clusters or by shard, one at a time` });
        return problems;
    }
    const regions = [...new Set(clusters.map((c) => c.region))];
    const names = new Set(clusters.map((c) => c.name));
    selection.regions?.forEach((region, i) => {
        if (!regions.includes(region)) problems.push({ field: `${field}.regions[${i}]`, message: `the fleet has no region "${region}"; its regions are ${boundedQuotedList(regions)}` });
    });
    if (selection.regions?.length === 0) problems.push({ field: `${field}.regions`, message: "names no region; name at least one" });
    selection.clusters?.forEach((cluster, i) => {
        if (!names.has(cluster)) problems.push({ field: `${field}.clusters[${i}]`, message: `the fleet has no cluster "${cluster}"; ${knownClusters(clusters)}` });
    });
    if (selection.clusters?.length === 0) problems.push({ field: `${field}.clusters`, message: "names no cluster; name at least one" });
    const shard = selection.shard;
    if (shard) {
        if (!(shard.count >= 1)) problems.push({ field: `${field}.shard.count`, message: `is ${shard.count}; the limit is 1 or more` });
        else if (!(shard.index >= 1 && shard.index <= shard.count)) {
            problems.push({ field: `${field}.shard.index`, message: `is ${shard.index}; shards are numbered from 1 to ${shard.count}` });
        }
    }
    return problems;
}

/** The clusters a selection picks, in fleet order. The selection must be valid ({@link selectionProblems}). */
export function selectClusters<C extends SelectableCluster>(clusters: readonly C[], selection: FleetSelection | undefined): C[] {
    if (!selection) return [...clusters];
    if (selection.regions) {
        const regions = new Set(selection.regions);
        return clusters.filter((c) => regions.has(c.region));
    }
    if (selection.clusters) {
        const names = new Set(selection.clusters);
        return clusters.filter((c) => names.has(c.name));
    }
    if (selection.shard) {
        const { index, count } = selection.shard;
        const shards = assignShards(clusters.map((c) => c.name), count);
        return clusters.filter((c) => shards.get(c.name) === index);
    }
    return [...clusters];
}

/** The selector that means "every cluster" (or, in a wave, every cluster no earlier wave took). */
export const ALL = "*";

/**
 * Parses a selector as written in stack config and on the command line: `region:eu`,
 * `region:eu,us`, `cluster:us-east-1`, `cluster:a,b`, `shard:2/4`, or `*` for the whole fleet
 * (returned as `undefined`). Returns the problem instead when the text is not a selector.
 */
export function parseSelector(
    text: string,
    field = "selector",
): {
    /** The clusters the selector picks; absent for `*` and when the text is not a selector. */
    selection?: FleetSelection;
    /** Why the text is not a selector, naming `field`; absent when it is one. */
    problem?: Problem;
} {
    const trimmed = text.trim();
    if (trimmed === ALL) return {};
    const match = /^(region|cluster|shard)s?:(.+)$/.exec(trimmed);
    const usage = "selectors are `region:NAME[,NAME…]`, `cluster:NAME[,NAME…]`, `shard:I/N` or `*`";
    if (!match) return { problem: { field, message: `${JSON.stringify(text)} is not a selector; ${usage}` } };
    const [, kind, rest] = match;
    const names = rest.split(",").map((s) => s.trim());
    if (kind === "shard") {
        const shard = /^(\d+)\/(\d+)$/.exec(rest.trim());
        if (!shard) return { problem: { field, message: `${JSON.stringify(text)}: a shard is written \`shard:I/N\`, e.g. \`shard:2/4\` (1-based)` } };
        return { selection: { shard: { index: Number(shard[1]), count: Number(shard[2]) } } };
    }
    if (names.some((n) => n === "")) return { problem: { field, message: `${JSON.stringify(text)} has an empty name; ${usage}` } };
    return { selection: kind === "region" ? { regions: names } : { clusters: names } };
}

/** The selector text of a selection: the inverse of {@link parseSelector}. */
export function formatSelector(selection: FleetSelection | undefined): string {
    if (selection?.regions) return `region:${selection.regions.join(",")}`;
    if (selection?.clusters) return `cluster:${selection.clusters.join(",")}`;
    if (selection?.shard) return `shard:${selection.shard.index}/${selection.shard.count}`;
    return ALL;
}

/** The stack config key (in the program's namespace) that holds a shard stack's selector. */
export const SELECTION_CONFIG_KEY = "fleetSelection";

/**
 * The selection of this stack, from its config key `fleetSelection` (a selector such as `region:eu`
 * or `shard:2/4`, which the rollout command sets on every shard stack); `undefined`, the whole fleet,
 * when the key is not set. Pass it as the `Fleet`'s `select`.
 */
export function selectionFromConfig(config: pulumi.Config = new pulumi.Config()): FleetSelection | undefined {
    const text = config.get(SELECTION_CONFIG_KEY);
    if (text === undefined) return undefined;
    const { selection, problem } = parseSelector(text, `config ${SELECTION_CONFIG_KEY}`);
    if (problem) throw new pulumi.RunError(formatProblem(problem));
    return selection;
}

/** The fleet's cluster names for a message, shortened for large fleets ("and N more"). */
export function knownClusters(clusters: readonly SelectableCluster[]): string {
    return `its clusters are ${boundedQuotedList(clusters.map((c) => c.name))}`;
}
