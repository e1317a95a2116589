import * as fs from "fs";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import { FleetArgs, FleetClusterArgs } from "./fleet";
import { FleetSelection, selectClusters } from "./fleet-selection";
import { expandHome } from "./home-path";
import { FLEET_NAME, MAX_FLEET_NAME_LENGTH } from "../config/limits";
import { fieldPath, FileProblemsError, Problem } from "../errors/problems";
import { durationProblem, gateProblem, timeoutAgainstSoakProblem, WaveOptions } from "./wave-options";
import { formerNameProblems } from "../config/validation";

/**
 * A fleet written down once, in a YAML or JSON file, that both the Pulumi program and the rollout
 * command read: the program to know the whole fleet (and reach the clusters its stack selects), the
 * command to plan shard stacks and waves without running any program.
 *
 * @example
 * ```yaml
 * kubeconfigDir: ~/.kube/fleet
 * clusters:
 *   - { name: us-east-1, region: us, kubeconfig: us-east-1.yaml }
 *   - { name: eu-west-1, region: eu, kubeconfig: eu-west-1.yaml, context: admin }
 * stacks: { by: region }
 * waves:
 *   - { name: canary, select: "cluster:us-east-1", soak: 10m, gate: ./smoke.sh, timeout: 30m }
 *   - { name: rest, select: "*" }
 * ```
 */
export interface FleetDefinition {
    /** Every cluster of the fleet, in order. At least one; names unique. */
    readonly clusters: readonly FleetDefinitionCluster[];
    /**
     * The directory that relative `kubeconfig` paths are read from, itself relative to the definition
     * file; `~` is the home directory.
     * @default the directory of the definition file
     */
    readonly kubeconfigDir?: string;
    /**
     * How the fleet is split into stacks: one per region (`by: region`), one per cluster
     * (`by: cluster`), or `shards: N` stable shards. Give `by` or `shards`, not both.
     * @default { by: "region" }
     */
    readonly stacks?: StackLayout;
    /** The rollout's waves, in order, unless the command line gives `--wave`. @default one wave, `all`, of every stack */
    readonly waves?: readonly WaveDefinition[];
    /**
     * The namespaces the program puts its ConfigMaps and workloads in, in every cluster. The rollout
     * command cannot learn them without running the program, so it reads them here: its preflight
     * checks that each exists (or that the credentials may create it) and checks the credentials'
     * rights in them, and a soak watches the workloads in them only.
     * @default absent: the preflight checks the credentials' rights in every namespace, and a soak
     * watches every namespace
     */
    readonly namespaces?: readonly string[];
    /**
     * The program's config, the same for every stack, as `pulumi config` keys: `logLevel` (the
     * project's namespace) or `kubernetes:…`. `fleet-rollout` hands it to every stack's run together with
     * the stack's `fleetSelection`, and writes neither to the stacks' settings files: committed with
     * this file, it makes every checkout (a CI job, a colleague's, a resumed rollout) run exactly the
     * same config. `preview --config` layers a value over it for one preview only.
     *
     * @example
     * ```yaml
     * config:
     *   logLevel: info
     *   euApiUrl: https://api.eu.example.com
     * ```
     * @default no config
     */
    readonly config?: Readonly<Record<string, string | number | boolean>>;
}

/** A cluster of a {@link FleetDefinition}. */
export interface FleetDefinitionCluster {
    /** The cluster's name, unique in the fleet (letters, digits, `-`, `_`, `.`; at most 63 characters). */
    readonly name: string;
    /** The cluster's region. */
    readonly region: string;
    /** The path of the cluster's kubeconfig, absolute, `~/…`, or relative to `kubeconfigDir`. @default `<name>.yaml` */
    readonly kubeconfig?: string;
    /** The kubeconfig context to use. @default the kubeconfig's current context */
    readonly context?: string;
    /**
     * The names the cluster had before, oldest first, when it is renamed: the program keeps its
     * resources (the `Fleet`'s `formerNames`), and `fleet-rollout` moves them from the stack whose
     * state holds them under an old name when the new name puts the cluster in another stack.
     * @default none
     */
    readonly formerNames?: readonly string[];
}

/** How a fleet is split into stacks. Give `by` or `shards`. */
export interface StackLayout {
    /** One stack per region, named after the region, or one per cluster, named after the cluster. */
    readonly by?: "region" | "cluster";
    /** This many stacks, `shard-1-of-N` … `shard-N-of-N`, clusters assigned by a stable hash of their names. */
    readonly shards?: number;
}

/**
 * One wave of a rollout: the stacks it runs, and optionally how long its workloads must stay healthy
 * afterwards (`soak`), a command that must pass (`gate`), and the longest it may take (`timeout`).
 *
 * @example
 * ```yaml
 * waves:
 *   - { name: canary, select: "cluster:us-east-1", soak: 10m, gate: ./smoke.sh, timeout: 30m }
 *   - { name: rest, select: "*", timeout: 1h }
 * ```
 */
export interface WaveDefinition extends WaveOptions {
    /** The wave's name, unique among the waves. */
    readonly name: string;
    /**
     * Which stacks the wave runs, as a selector:
     * - `region:eu` or `region:eu,us`, `cluster:a` or `cluster:a,b`: the stacks of these clusters;
     * - `shard:2/20`, a list `shard:2,3,7/20`, a range `shard:2-5/20` or both `shard:1,4-6/20`: these
     *   shards (1-based); with `stacks: { shards: N }`, the count after `/` must be N;
     * - `25%`: a share of the stacks (1% to 100%): a quarter of all the plan's stacks, rounded up, at
     *   least one and no more than are left, taken in plan order (shard 1 first, or fleet order) from
     *   the stacks no other selector names and no earlier `%` or `*` wave took;
     * - `*`: every stack no other wave runs.
     *
     * A stack rolls out as a whole, so a wave must take all of a stack's clusters or none.
     *
     * @example
     * ```yaml
     * stacks: { shards: 20 }
     * waves:
     *   - { name: canary, select: "shard:1/20" }
     *   - { name: early, select: "25%" }    # shards 2 to 6
     *   - { name: rest, select: "*" }       # shards 7 to 20
     * ```
     */
    readonly select: string;
}

const name = (what: string) =>
    z
        .string(`must be a ${what} name`)
        .max(MAX_FLEET_NAME_LENGTH, `is at most ${MAX_FLEET_NAME_LENGTH} characters`)
        .regex(FLEET_NAME, "is letters, digits, '-', '_' and '.', starting and ending with a letter or digit");

/** A DNS-1123 label, as Kubernetes names namespaces. */
const NAMESPACE = /^(?=.{1,63}$)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;

/** A zod refinement that reports `check`'s message, if any, as the field's issue. */
const refineWith = (check: (value: string) => string | undefined) => (value: string, ctx: z.RefinementCtx) => {
    const message = check(value);
    if (message !== undefined) ctx.addIssue({ code: "custom", message });
};

const waveDuration = (option: "soak" | "timeout") =>
    z
        .string(`must be a duration such as 10m`)
        .superRefine(refineWith((value) => durationProblem(value, option)))
        .optional();

const definitionSchema = z.strictObject({
    clusters: z
        .array(
            z.strictObject({
                name: name("cluster"),
                region: name("region"),
                kubeconfig: z.string("must be a path").optional(),
                context: z.string("must be a string").optional(),
                formerNames: z.array(name("cluster"), "must be a list of cluster names").optional(),
            }),
            "must be a list of clusters",
        )
        .min(1, "a fleet needs at least one cluster; the limit is 1 or more"),
    kubeconfigDir: z.string("must be a path").optional(),
    stacks: z
        .strictObject({
            by: z.enum(["region", "cluster"], 'must be "region" or "cluster"').optional(),
            shards: z.number("must be a number").int("must be a whole number").min(1, "must be at least 1").optional(),
        })
        .optional(),
    waves: z
        .array(
            z
                .strictObject({
                    name: name("wave"),
                    select: z.string("must be a selector"),
                    soak: waveDuration("soak"),
                    gate: z.string("must be a command").superRefine(refineWith(gateProblem)).optional(),
                    timeout: waveDuration("timeout"),
                })
                .superRefine((wave, ctx) => {
                    const problem = timeoutAgainstSoakProblem(wave);
                    if (problem) ctx.addIssue({ code: "custom", path: ["timeout"], message: problem });
                }),
            "must be a list of waves",
        )
        .optional(),
    namespaces: z.array(z.string("must be a namespace name").regex(NAMESPACE, "is a namespace name: lower-case letters, digits and '-', at most 63, starting and ending with a letter or digit"), "must be a list of namespaces").optional(),
    config: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()], "must be a string, a number or true/false"), "must be a map of config keys to values").optional(),
});

/** A definition file that cannot be used; its message lists every problem with its field. */
export class FleetDefinitionError extends FileProblemsError {
    constructor(file: string, problems: readonly Problem[]) {
        super("fleet definition", file, problems);
        this.name = "FleetDefinitionError";
    }
}

/** Reads and checks a fleet definition file (`.yaml`, `.yml` or `.json`); throws a {@link FleetDefinitionError}. */
export function loadFleetDefinition(file: string): FleetDefinition {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch (err) {
        throw new FleetDefinitionError(file, [{ field: "file", message: `cannot be read: ${(err as Error).message}` }]);
    }
    const definition = parseFleetDefinition(text, file);
    // A relative kubeconfigDir is relative to the file, so the file means the same from any working directory.
    return { ...definition, kubeconfigDir: path.resolve(path.dirname(path.resolve(file)), expandHome(definition.kubeconfigDir ?? ".")) };
}

/** Parses and checks a definition's text (YAML, of which JSON is a subset); throws a {@link FleetDefinitionError}. */
export function parseFleetDefinition(text: string, file = "(fleet definition)"): FleetDefinition {
    let raw: unknown;
    try {
        raw = parseYaml(text);
    } catch (err) {
        throw new FleetDefinitionError(file, [{ field: "file", message: `is not YAML or JSON: ${(err as Error).message.split("\n")[0]}` }]);
    }
    const problems = definitionProblems(raw);
    if (problems.length > 0) throw new FleetDefinitionError(file, problems);
    return raw as FleetDefinition;
}

/** Everything wrong with a definition that can be told from the file alone. Waves are checked when planned. */
export function definitionProblems(raw: unknown): Problem[] {
    const result = definitionSchema.safeParse(raw);
    if (!result.success) {
        return result.error.issues.map((issue) => {
            const at = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]] : issue.path;
            const message = issue.code === "unrecognized_keys" ? `is not a known field (${issue.keys.map((k) => `\`${k}\``).join(", ")})` : issue.message;
            return { field: at.length ? fieldPath(at) : "(top level)", message };
        });
    }
    const definition = result.data;
    const problems: Problem[] = [];
    const seen = new Map<string, number>();
    definition.clusters.forEach((c, i) => {
        const first = seen.get(c.name);
        if (first !== undefined) problems.push({ field: `clusters[${i}].name`, cluster: c.name, message: `duplicates clusters[${first}].name; cluster names must be unique` });
        else seen.set(c.name, i);
    });
    problems.push(...formerNameProblems(definition.clusters));
    if (definition.stacks?.by !== undefined && definition.stacks?.shards !== undefined) {
        problems.push({ field: "stacks", message: "sets both `by` and `shards`; give one" });
    }
    return problems;
}

/**
 * The `Fleet` arguments of a definition for one stack: every cluster's name and region, and a
 * kubeconfig only for the clusters `select` picks, so a shard stack reads no other cluster's file.
 *
 * @example
 * ```ts
 * const fleet = new Fleet("shop", fleetArgsFromDefinition(loadFleetDefinition("fleet.yaml"), selectionFromConfig()));
 * ```
 */
export function fleetArgsFromDefinition(definition: FleetDefinition, select?: FleetSelection, kubeconfigDir?: string): FleetArgs {
    const selected = new Set(selectClusters(definition.clusters, select).map((c) => c.name));
    const clusters = definition.clusters.map((c): FleetClusterArgs => {
        const formerNames = c.formerNames?.length ? { formerNames: [...c.formerNames] } : {};
        if (!selected.has(c.name)) return { name: c.name, region: c.region, ...formerNames };
        const file = kubeconfigPath(definition, c, kubeconfigDir);
        // The contents, not the path, so the provider keeps working wherever the state is used.
        return { name: c.name, region: c.region, context: c.context, kubeconfig: fs.readFileSync(file, "utf8"), ...formerNames };
    });
    return { clusters, select };
}

/**
 * The absolute path of a cluster's kubeconfig: its `kubeconfig` (default `<name>.yaml`), relative to
 * `kubeconfigDir` (the definition's, itself resolved against the file by {@link loadFleetDefinition}).
 * The program reads this file, and the rollout command hands the same path to preflight, soaks and
 * gates, so they reach the cluster the stack changed.
 */
export function kubeconfigPath(definition: FleetDefinition, cluster: FleetDefinitionCluster, kubeconfigDir?: string): string {
    const dir = expandHome(kubeconfigDir ?? definition.kubeconfigDir ?? ".");
    return path.resolve(dir, expandHome(cluster.kubeconfig ?? `${cluster.name}.yaml`));
}

/** The config every stack of `definition` runs with: its `config`, as strings, then `overrides` over it. */
export function stackConfig(definition: FleetDefinition, overrides: Readonly<Record<string, string>> = {}): Record<string, string> {
    return { ...Object.fromEntries(Object.entries(definition.config ?? {}).map(([k, v]) => [k, String(v)])), ...overrides };
}
