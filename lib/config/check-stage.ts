/**
 * A FleetConfigMap's one check stage. Its arguments are parsed (shape, names, keys, overrides against the
 * whole fleet), each selected cluster's effective plan is computed once, and then every check runs over
 * those plans: overlapping keys, content and size, the schema, and the chosen strategy's own checks,
 * which it hands in as {@link StrategyChecks}. Then the names the config would clash with on its fleet.
 *
 * Pure: it takes plain data (the arguments, the fleet's clusters, the other configs), never the component
 * or the Fleet, and it imports no strategy's file. The component throws its one error from the problems
 * before anything registers, or renders the plans.
 */
import * as pulumi from "@pulumi/pulumi";
import { MergedValue } from "./deep-merge";
import { ClusterPlan, layoutEntries, planClusters, plainEntries } from "./effective-config";
import { adoptProblems } from "../adoption/adopt-existing";
import { externalConsumerProblems, ExternalConsumers } from "../external-consumers/external-consumer";
import { Problem, quote } from "../errors/problems";
import { Origin } from "./provenance";
import { schemaProblems } from "./schema-check";
import { StrategyChecks } from "./strategy-checks";
import { ConfigSchema } from "./typed-config";
import { ClusterIdentity, configMapArgsProblems, sizeProblems, valueProblems } from "./validation";

/** Another FleetConfigMap already on the same fleet and namespace, as the name checks see it. */
export interface OtherConfig {
    /** Its resource name, as messages give it. */
    readonly owner: string;
    /** Its `metadata.name`. */
    readonly name: string;
    /** Its strategy's checks, for the names that strategy writes beyond `name`. */
    readonly checks: StrategyChecks;
}

/** Everything the check stage reads: plain data, gathered by the component. */
export interface CheckInput {
    /** The FleetConfigMap's arguments, unchecked. */
    readonly args: unknown;
    /** Every cluster of the whole fleet: an override for another shard's cluster is no typo. */
    readonly allClusters: readonly ClusterIdentity[];
    /** The clusters this stack manages, in order: the ones planned. */
    readonly clusters: readonly ClusterIdentity[];
    /** The ConfigMap's name and namespace, from `metadata` or their defaults. */
    readonly configMap: { readonly name: string; readonly namespace: string };
    /** Each strategy's checks, by the name `args.strategy` gives; its keys are the strategies accepted. */
    readonly strategies: Readonly<Record<string, StrategyChecks>>;
    /** The FleetConfigMaps declared on the fleet before this one, in `configMap.namespace`. */
    readonly others: readonly OtherConfig[];
}

/** What the stage found: each selected cluster's plan once the arguments parse, and every problem. */
export interface CheckResult {
    /** Each selected cluster's plan, in order; empty when the arguments did not parse. */
    readonly plans: readonly ClusterPlan[];
    /** Every problem; none means the component may register its children. */
    readonly problems: readonly Problem[];
}

/** The arguments as the stage reads them once they parse. */
interface ParsedArgs {
    readonly schema?: ConfigSchema;
    readonly data?: Record<string, pulumi.Input<unknown>>;
    readonly binaryData?: Record<string, pulumi.Input<string>>;
    readonly strategy?: string;
    readonly metadata?: { readonly name?: string };
    readonly externalConsumers?: ExternalConsumers;
    readonly adopt?: readonly string[];
}

/**
 * Runs every check that needs no resolved value, in the order the error lists them. Values known only
 * later (Outputs) are checked fleet-wide once they resolve (fleet-content.ts).
 */
export function checkConfigMap(input: CheckInput): CheckResult {
    // Shape, names and keys first: a plan of arguments that do not parse would be meaningless.
    const parsed = configMapArgsProblems(input.args, input.allClusters, input.strategies);
    if (parsed.length > 0) return { plans: [], problems: parsed };
    const args = input.args as ParsedArgs;
    const strategyName = args.strategy ?? "in-place";
    const strategy = input.strategies[strategyName];
    const plans = planClusters(input.clusters, args);
    const problems: Problem[] = [];
    for (const plan of plans) {
        problems.push(...overlapProblems(plan));
        problems.push(...contentProblems(plan, strategy));
        problems.push(...plainSchemaProblems(plan));
    }
    const { name, namespace } = input.configMap;
    const owner = input.others.find((other) => other.name === name)?.owner;
    if (owner !== undefined) {
        problems.push({
            field: "metadata.name",
            message: `ConfigMap ${namespace}/${name} is already managed on this fleet by FleetConfigMap "${owner}"; two would overwrite each other`,
        });
    }
    problems.push(...nameClashes(namespace, name, strategy, input.others));
    problems.push(...externalConsumerProblems(args.externalConsumers, input.allClusters));
    problems.push(...adoptProblems(args.adopt, input.allClusters, args.strategy));
    if (args.externalConsumers !== undefined && strategyName !== "in-place") {
        problems.push({
            field: "externalConsumers",
            message: `applies only with \`strategy: "in-place"\`: a workload this program does not manage reads the ConfigMap by the name ${quote(name)}, which the ${quote(args.strategy!)} strategy does not keep`,
        });
    }
    return { plans, problems };
}

/**
 * One cluster's values known when the program runs: each a string (base64 in `binaryData`), then their
 * size, by the strategy's rule or one ConfigMap's 1 MiB. Values not yet known wait for the fleet-wide
 * check, unless the strategy refuses them now.
 */
function contentProblems(plan: ClusterPlan, strategy: StrategyChecks): Problem[] {
    const plain = plainEntries(plan.layout);
    if (!plain) return strategy.unknownValueProblems?.(plan.name, layoutEntries(plan.layout).map((e) => ({ field: e.value.field, value: e.value.value }))) ?? [];
    const values = valueProblems(plan.name, plain);
    if (values.length > 0) return values;
    return strategy.sizeProblems ? strategy.sizeProblems(plan.name, plain) : sizeProblems(plan.name, plain);
}

/**
 * The schema's problems with one cluster whose typed values are all plain, or none when the
 * FleetConfigMap has no schema or some value is still an Output (those are checked once resolved, in
 * fleet-content.ts).
 */
export function plainSchemaProblems(plan: ClusterPlan): Problem[] {
    if (!plan.typed) return [];
    const merged = Object.values(plan.typed.merged);
    if (merged.some((m) => pulumi.Output.isInstance(m))) return [];
    return schemaProblems(plan.name, plan.typed.schema, plan.typed.merged as Record<string, MergedValue<Origin>>, plan.layering.removed);
}

/** A key that ends up in both maps of one cluster, which the API server would reject. */
export function overlapProblems(plan: ClusterPlan): Problem[] {
    return Object.keys(plan.layout.data)
        .filter((key) => Object.prototype.hasOwnProperty.call(plan.layout.binaryData, key))
        .map((key) => ({
            field: plan.layout.binaryData[key].field,
            cluster: plan.name,
            message: `key ${quote(key)} ends up in both \`data\` (from \`${plan.layout.data[key].field}\`) and \`binaryData\`; a ConfigMap key may appear in only one`,
        }));
}

/**
 * Names this config and the others would both write: a name one of this config's ConfigMaps takes, or
 * one of theirs. Each side's strategy says which names it writes.
 */
function nameClashes(namespace: string, name: string, strategy: StrategyChecks, others: readonly OtherConfig[]): Problem[] {
    const problems: Problem[] = [];
    for (const other of others) {
        const mine = strategy.nameClash?.(namespace, name, other.name, "this config's");
        const theirs = mine === undefined ? other.checks.nameClash?.(namespace, other.name, name, `FleetConfigMap "${other.owner}"'s`) : undefined;
        if (mine !== undefined) problems.push({ field: "metadata.name", message: `${mine}: FleetConfigMap "${other.owner}" manages it` });
        else if (theirs !== undefined) problems.push({ field: "metadata.name", message: theirs });
    }
    return problems;
}
