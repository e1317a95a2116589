import { FleetDefinition, WaveDefinition } from "../../fleet/fleet-definition";
import { boundedList, boundedQuotedList, MAX_LISTED } from "../../errors/bounded-list";
import { ALL, FleetSelection, formatSelector, selectClusters } from "../../fleet/fleet-selection";
import { assignShards } from "../../fleet/shard-assignment";
import { Problem } from "../../errors/problems";
import { parseDuration } from "../../fleet/durations";
import { WaveOptionName } from "../../fleet/wave-options";
import { applyWaveOptionFlags, WaveOptionFlag } from "./wave-option-flags";
import { isRest, parseWaveSelector, shareSize, waveClusters, WaveSelection, waveSelectionProblems } from "./wave-selector";

/** A cluster of the fleet, as a plan names it. */
export interface PlannedCluster {
    /** The cluster's name. */
    readonly name: string;
    /** The cluster's region. */
    readonly region: string;
}

/** One shard stack: a Pulumi stack of the program that manages a selection of the fleet. */
export interface PlannedStack {
    /** The Pulumi stack name. */
    readonly name: string;
    /** The selector set as the stack's `fleetSelection` config, e.g. `region:eu`. */
    readonly selector: string;
    /** The clusters the stack manages, in fleet order. */
    readonly clusters: readonly PlannedCluster[];
}

/** One wave: stacks that roll out together, after every earlier wave has succeeded. */
export interface PlannedWave {
    /** The wave's name. */
    readonly name: string;
    /** How the wave was selected, as the user wrote it, e.g. `cluster:us-east-1`, `shard:2-5/20`, `25%` or `*`. */
    readonly selector: string;
    /** Its stacks, in plan order. */
    readonly stacks: readonly PlannedStack[];
    /** How long its wired workloads are watched after its `up` succeeded, in milliseconds. @default absent: no soak */
    readonly soakMs?: number;
    /** The command run after the soak; a non-zero exit fails the wave. @default absent: no gate */
    readonly gate?: PlannedGate;
    /** The longest the wave may take, `up`, soak and gate, in milliseconds. @default absent: no timeout */
    readonly timeoutMs?: number;
}

/** A wave's gate: its command, and where it was written, which is where it runs. */
export interface PlannedGate {
    /** The shell command, as written. */
    readonly command: string;
    /** `fleet file`: it runs in the fleet file's directory; `command line` (`--gate`): in the current one. */
    readonly writtenIn: "fleet file" | "command line";
}

/** What a rollout will do: the waves in order, each with its stacks. */
export interface RolloutPlan {
    /** Every shard stack of the fleet, in order. */
    readonly stacks: readonly PlannedStack[];
    /** The waves, in order; every stack in the plan is in exactly one. */
    readonly waves: readonly PlannedWave[];
    /**
     * When the fleet is split into `shards: N` stacks: how many clusters each of the N shards has,
     * shard 1 first, an empty shard (which has no stack) as 0. Always the whole fleet, even when the
     * plan is restricted to some stacks. @default absent: the fleet is split by region or by cluster
     */
    readonly shardSizes?: readonly number[];
}

/** A wave as given: its name, its selector, its options, and where it was written (for messages). */
export interface WaveSpec extends WaveDefinition {
    /** Where the wave was written: `--wave canary` or `waves[0]`. */
    readonly field: string;
    /** The options that `--soak`, `--gate` or `--wave-timeout` set, with their flags. @default none */
    readonly optionFields?: Partial<Record<WaveOptionName, string>>;
}

/** Bad input to a plan; carries every problem found. Nothing has run when it is thrown. */
export class PlanError extends Error {
    constructor(
        readonly what: string,
        readonly problems: readonly Problem[],
    ) {
        super(what);
        this.name = "PlanError";
    }
}

/** The shard stacks a definition splits the fleet into: by region (the default), by cluster, or N shards. */
export function planStacks(definition: FleetDefinition): PlannedStack[] {
    const clusters = definition.clusters.map(({ name, region }) => ({ name, region }));
    const layout = definition.stacks ?? {};
    const stack = (name: string, selection: FleetSelection): PlannedStack => ({ name, selector: formatSelector(selection), clusters: selectClusters(clusters, selection) });
    if (layout.shards !== undefined) {
        const count = layout.shards;
        // The fleet is assigned once, as selectClusters picks each shard from the same assignment.
        const shards = assignShards(clusters.map((c) => c.name), count);
        const byShard = new Map<number, PlannedCluster[]>();
        for (const c of clusters) {
            const shard = shards.get(c.name)!;
            if (!byShard.has(shard)) byShard.set(shard, []);
            byShard.get(shard)!.push(c);
        }
        // A shard with no cluster (only while the fleet has fewer clusters than shards) would be an empty
        // stack; it is left out until a cluster lands in it.
        return Array.from({ length: count }, (_, i) => ({ name: `shard-${i + 1}-of-${count}`, selector: formatSelector({ shard: { index: i + 1, count } }), clusters: byShard.get(i + 1) ?? [] })).filter(
            (s) => s.clusters.length > 0,
        );
    }
    if (layout.by === "cluster") return clusters.map((c) => stack(c.name, { clusters: [c.name] }));
    return [...new Set(clusters.map((c) => c.region))].map((region) => stack(region, { regions: [region] }));
}

/**
 * Parses `--wave NAME=SELECTOR` arguments. Problems name the argument as written.
 */
export function parseWaveArguments(args: readonly string[]): { waves: WaveSpec[]; problems: Problem[] } {
    const waves: WaveSpec[] = [];
    const problems: Problem[] = [];
    for (const arg of args) {
        const eq = arg.indexOf("=");
        if (eq <= 0 || eq === arg.length - 1) {
            problems.push({ field: `--wave ${arg}`, message: "is not NAME=SELECTOR, e.g. `--wave canary=cluster:us-east-1` or `--wave rest='*'`" });
            continue;
        }
        const name = arg.slice(0, eq);
        waves.push({ name, select: arg.slice(eq + 1), field: `--wave ${name}` });
    }
    return { waves, problems };
}

/** The waves of a definition file, with their fields for messages. */
export function definitionWaves(definition: FleetDefinition): WaveSpec[] | undefined {
    return definition.waves?.map((w, i) => ({ ...w, field: `waves[${i}] (${w.name})` }));
}

/**
 * Puts every stack in exactly one wave. Selector waves (`region:eu`, `cluster:a,b`, `shard:1,4-6/20`)
 * take their clusters first, wherever they are in the list; then, in wave order, each `P%` wave takes
 * a share of the stacks left whole (see {@link WaveSelection.percent}) and the first `*` wave takes
 * every cluster still in no wave. A stack rolls out as a whole, so all of its clusters must be in the
 * same wave. Throws a {@link PlanError} naming every problem: an unknown region or cluster, a bad
 * shard or share, a cluster in two waves, a stack split across waves, a cluster in no wave, a wave
 * naming no stack. Messages name at most {@link MAX_LISTED} clusters or stacks each, and say how many
 * more there are: a fleet of a thousand clusters gives a refusal that can still be read.
 *
 * @param waves The waves from the command line; without them, the definition's, or one wave of every stack.
 * @param only Restricts the plan to these stacks (a CI matrix job runs one); waves left empty are
 * dropped. The waves are planned over every stack first, so a `%` wave takes the same stacks in every job.
 * @param optionFlags `--soak`, `--gate` and `--wave-timeout`: each sets one option of one of the
 * waves planned (the command line's, or else the file's), over the file's value.
 */
export function planRollout(definition: FleetDefinition, waves: readonly WaveSpec[] | undefined, only?: readonly string[], optionFlags: readonly WaveOptionFlag[] = []): RolloutPlan {
    const clusters = definition.clusters.map(({ name, region }) => ({ name, region }));
    const stacks = planStacks(definition);
    const given = waves && waves.length > 0 ? waves : definitionWaves(definition);
    const withOptions = applyWaveOptionFlags(given && given.length > 0 ? given : [{ name: "all", select: ALL, field: "the default wave" }], optionFlags);
    const specs = withOptions.waves;
    const problems: Problem[] = [...withOptions.problems];

    const seenNames = new Map<string, string>();
    for (const spec of specs) {
        const earlier = seenNames.get(spec.name);
        if (earlier) problems.push({ field: spec.field, message: `repeats the wave name "${spec.name}" of ${earlier}; wave names are unique` });
        else seenNames.set(spec.name, spec.field);
    }

    const context = { clusters, shards: definition.stacks?.shards };
    const selections: { spec: WaveSpec; selection: WaveSelection }[] = [];
    for (const spec of specs) {
        const { selection, problem } = parseWaveSelector(spec.select, spec.field);
        const wrong = selection ? waveSelectionProblems(selection, context, spec.field, spec.select) : [problem!];
        if (wrong.length > 0) problems.push(...wrong);
        else selections.push({ spec, selection: selection! });
    }

    // Which wave each cluster is in. Selector waves first: they name their clusters wherever they stand.
    const waveOf = new Map<string, WaveSpec>();
    for (const { spec, selection } of selections) {
        const taken = new Map<WaveSpec, string[]>();
        for (const cluster of waveClusters(clusters, selection) ?? []) {
            const other = waveOf.get(cluster.name);
            if (!other) waveOf.set(cluster.name, spec);
            else if (taken.has(other)) taken.get(other)!.push(cluster.name);
            else taken.set(other, [cluster.name]);
        }
        for (const [other, names] of taken) problems.push(inTwoWaves(spec, other, names));
    }
    // Then `%` and `*` waves in order, from what is left. A `%` wave takes only stacks no selector wave
    // touched; a part-taken stack is left to `*`, whose split is then reported with its clusters.
    const whole = stacks.filter((s) => s.clusters.every((c) => !waveOf.has(c.name)));
    let next = 0;
    for (const { spec, selection } of selections) {
        if (selection.percent !== undefined) {
            const take = whole.slice(next, next + shareSize(selection.percent, stacks.length));
            next += take.length;
            for (const stack of take) for (const c of stack.clusters) waveOf.set(c.name, spec);
        } else if (isRest(selection)) {
            next = whole.length;
            for (const cluster of clusters) if (!waveOf.has(cluster.name)) waveOf.set(cluster.name, spec);
        }
    }

    const stacksOf = new Map<string, PlannedStack[]>(specs.map((s) => [s.name, []]));
    const unwaved: string[] = [];
    const split: { stack: PlannedStack; byWave: Map<string, string[]> }[] = [];
    for (const stack of stacks) {
        const byWave = new Map<string, string[]>();
        for (const c of stack.clusters) {
            const wave = waveOf.get(c.name);
            if (!wave) unwaved.push(c.name);
            else byWave.set(wave.name, [...(byWave.get(wave.name) ?? []), c.name]);
        }
        if (byWave.size > 1) split.push({ stack, byWave });
        else if (byWave.size === 1 && !stack.clusters.some((c) => !waveOf.has(c.name))) {
            stacksOf.get([...byWave.keys()][0])!.push(stack);
        }
    }
    problems.push(...splitProblems(split));
    if (unwaved.length > 0) {
        problems.push({ field: "waves", message: `clusters ${boundedQuotedList(unwaved)} are in no wave; end with a wave of the rest, e.g. \`--wave rest='*'\`` });
    }

    const onlySet = only && only.length > 0 ? new Set(only) : undefined;
    for (const name of only ?? []) {
        if (!stacks.some((s) => s.name === name)) problems.push({ field: `--stack ${name}`, message: `the plan has no stack "${name}"; its stacks are ${boundedQuotedList(stacks.map((s) => s.name))}` });
    }
    const claiming = new Set(waveOf.values());
    const planned: PlannedWave[] = [];
    for (const spec of specs) {
        const waveStacks = stacksOf.get(spec.name) ?? [];
        if (!claiming.has(spec) && !problems.some((p) => p.field === spec.field)) {
            const selection = selections.find((s) => s.spec === spec)?.selection;
            const why = selection?.percent !== undefined ? "every stack is already in an earlier wave" : selection && isRest(selection) ? "every cluster is already in an earlier wave" : "it selects no cluster";
            problems.push({ field: spec.field, message: `names no stack: ${why}` });
        }
        const kept = onlySet ? waveStacks.filter((s) => onlySet.has(s.name)) : waveStacks;
        if (kept.length > 0) planned.push({ name: spec.name, selector: spec.select, stacks: kept, ...plannedOptions(spec) });
    }
    if (problems.length > 0) throw new PlanError("the rollout plan is invalid", dedupe(problems));
    return { stacks: onlySet ? stacks.filter((s) => onlySet.has(s.name)) : stacks, waves: planned, ...shardLayout(definition, stacks) };
}

/** A wave's soak, gate and timeout as the plan carries them; only those set. Their values were checked before. */
function plannedOptions(spec: WaveSpec): Pick<PlannedWave, "soakMs" | "gate" | "timeoutMs"> {
    const soakMs = spec.soak === undefined ? undefined : parseDuration(spec.soak);
    const timeoutMs = spec.timeout === undefined ? undefined : parseDuration(spec.timeout);
    return {
        ...(soakMs !== undefined ? { soakMs } : {}),
        ...(spec.gate !== undefined ? { gate: { command: spec.gate, writtenIn: spec.optionFields?.gate ? "command line" : "fleet file" } } : {}),
        ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    };
}

/** Clusters a wave names that an earlier-resolved wave already took: one problem per pair of waves. */
function inTwoWaves(spec: WaveSpec, other: WaveSpec, names: readonly string[]): Problem {
    const rule = `already in wave "${other.name}" (${other.select}); a cluster rolls out in one wave`;
    if (names.length === 1) return { field: spec.field, cluster: names[0], message: `is ${rule}` };
    return { field: spec.field, message: `clusters ${boundedQuotedList(names)} are ${rule}` };
}

/**
 * How many split stacks are reported one by one, with their clusters. A wave such as `region:eu` over
 * shard stacks splits every shard; past the first few, more of the same message only buries the advice.
 */
const MAX_SPLIT_SHOWN = 5;

/**
 * One problem per split stack for the first {@link MAX_SPLIT_SHOWN}, naming at most
 * {@link MAX_LISTED} clusters per wave; then one problem that counts the other split stacks and names
 * at most {@link MAX_LISTED} of them.
 */
function splitProblems(split: readonly { stack: PlannedStack; byWave: Map<string, string[]> }[]): Problem[] {
    const advice = "a stack rolls out as a whole, so select whole stacks";
    const problems: Problem[] = split.slice(0, MAX_SPLIT_SHOWN).map(({ stack, byWave }) => ({
        field: `stack ${stack.name}`,
        message: `is split across waves (${[...byWave].map(([wave, names]) => `${boundedList(names)} in wave "${wave}"`).join("; ")}); ${advice} (its selector is ${stack.selector}) or split the fleet into smaller stacks (\`stacks: { by: cluster }\`)`,
    }));
    const rest = split.slice(MAX_SPLIT_SHOWN);
    if (rest.length > 0) {
        const names = boundedQuotedList(rest.map((s) => s.stack.name));
        problems.push({ field: "waves", message: `${rest.length} more stack${rest.length === 1 ? " is" : "s are"} split across waves (${split.length} in all): ${names}; ${advice}` });
    }
    return problems;
}

/** The shard count and every shard's size (empty shards too, as 0), when the fleet is split into shards. */
function shardLayout(definition: FleetDefinition, stacks: readonly PlannedStack[]): Pick<RolloutPlan, "shardSizes"> {
    const count = definition.stacks?.shards;
    if (count === undefined) return {};
    const sizes = new Map(stacks.map((s) => [s.selector, s.clusters.length]));
    return { shardSizes: Array.from({ length: count }, (_, i) => sizes.get(formatSelector({ shard: { index: i + 1, count } })) ?? 0) };
}

function dedupe(problems: Problem[]): Problem[] {
    const seen = new Set<string>();
    return problems.filter((p) => {
        const key = `${p.field}\0${p.cluster}\0${p.message}`;
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
    });
}
