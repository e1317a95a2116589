/**
 * `fleet-rollout import NAMESPACE/NAME`: reads one ConfigMap from every cluster of the fleet
 * (read-config-maps.ts), derives the layered definition that gives each cluster exactly what it holds
 * (adoption/derive-layering.ts), prints how the copies diverge, and writes the adopted-config file a
 * program loads. It writes nothing, and exits 2, when any cluster cannot be adopted: a cluster not
 * read, an immutable or oversized ConfigMap, a key that looks like a credential, or a name that
 * matches nothing. It changes nothing in any cluster. `--check` compares the clusters with a file
 * written before instead, and writes nothing.
 */
import * as fs from "fs";
import * as path from "path";
import { AdoptedConfig, AdoptedConfigError, adoptedConfigText, loadAdoptedConfig } from "../../adoption/adopted-config";
import { adoptionMismatches, adoptListMismatch } from "../../adoption/adoption-check";
import { adoptionProblems, secretLikeKeys } from "../../adoption/adoption-refusals";
import { proposeConsumers } from "../../adoption/consumer-proposal";
import { managerSummaries } from "../../adoption/field-managers";
import { deriveLayering } from "../../adoption/derive-layering";
import { AdoptedMetadata, deriveMetadata } from "../../adoption/derive-metadata";
import { divergenceReport, withholdValues } from "../../adoption/divergence-report";
import { FleetObservation } from "../../adoption/observed-config-map";
import { boundedList, boundedQuotedList, MAX_LISTED } from "../../errors/bounded-list";
import { FleetDefinition } from "../../fleet/fleet-definition";
import { formatProblem, Problem } from "../../errors/problems";
import { Invocation } from "../arguments";
import { ClusterAccess } from "../cluster-api/cluster-access";
import { ClusterApi } from "../cluster-api/cluster-api";
import { EXIT } from "../exit-codes";
import { runList } from "../run/stack-run";
import { adoptionSnippet, renderDivergence } from "./import-text";
import { readFleetConfigMaps } from "./read-config-maps";

/** What `import` reads from and writes to. */
export interface ImportContext {
    /** The clusters' API servers. */
    readonly api: ClusterApi;
    /** Every cluster to read, in fleet order. */
    readonly clusters: readonly ClusterAccess[];
    /** The program's directory: the file is written relative to it, and the snippet names it so. */
    readonly workDir: string;
    /** Writes to stdout. */
    readonly print: (text: string) => void;
    /** Writes to stderr. */
    readonly error: (text: string) => void;
}

/** What one import found and would write: the result of {@link adopt}, pure given the observation. */
export interface Adoption {
    /** The report, values of credential-like keys withheld. */
    readonly report: ReturnType<typeof divergenceReport>;
    /** Why the ConfigMap cannot be adopted; empty when it can. */
    readonly problems: readonly Problem[];
    /** The adopted-config file's text (written only when there are no problems). */
    readonly text: string;
    /** Annotations the file leaves out, which the first `up` removes, with their clusters (see derive-metadata.ts). */
    readonly dropped: AdoptedMetadata["dropped"];
}

/** How {@link adopt} treats what it finds. */
export interface AdoptOptions {
    /** The file's header lines. @default none */
    readonly header?: readonly string[];
    /** `--take-ownership`. @default false */
    readonly takeOwnership?: boolean;
    /** `--not-secret`: keys cleared of looking like credentials. @default none */
    readonly notSecret?: readonly string[];
}

/**
 * Derives the definition, the report and the refusals from what was read. Pure, so that the benchmark
 * and the tests run exactly what the command runs after reading.
 */
export function adopt(observation: FleetObservation, clusterCount: number, options: AdoptOptions = {}): Adoption {
    const { header = [], takeOwnership = false, notSecret = [] } = options;
    const layering = deriveLayering(observation.found);
    const consumers = proposeConsumers(observation.found);
    const secretLike = secretLikeKeys(observation, notSecret);
    const report = withholdValues(divergenceReport(observation, layering, clusterCount, consumers), new Set(secretLike.map((s) => s.key)));
    const metadata = deriveMetadata(observation.found);
    const problems = [...adoptionProblems(observation, clusterCount, { secretLike, takeOwnership }), ...metadata.problems];
    const { keys: _keys, entries: _entries, ...plain } = layering;
    // Every cluster that has the ConfigMap is taken over with Pulumi's import, so its first preview reads `= import`.
    const adoptList = observation.found.map((cm) => cm.cluster);
    // With --take-ownership, the managers found are the ones the user agreed to take keys from; the program's preview stops at any other.
    const takeOwnershipFrom = takeOwnership ? managerSummaries(observation.found).map((m) => m.manager) : [];
    const text = adoptedConfigText(
        { metadata: { name: observation.name, namespace: observation.namespace, labels: metadata.labels, annotations: metadata.annotations }, ...plain, ...(consumers ? { externalConsumers: consumers } : {}), adopt: adoptList, takeOwnershipFrom },
        header,
    );
    return { report, problems, text, dropped: metadata.dropped };
}

/** Runs `import`; resolves to its exit code: 0 written, 2 refused (nothing written). */
export async function importConfigMap(invocation: Invocation, definition: FleetDefinition, context: ImportContext): Promise<number> {
    const { namespace, name } = invocation.adopt!;
    const relative = invocation.out ?? path.join("adopted", `${name}.yaml`);
    const file = path.resolve(context.workDir, relative);
    if (fs.existsSync(file) && !invocation.overwrite && !invocation.check) {
        context.error(`fleet-rollout: error: ${relative} already exists; nothing was read or written. Give --overwrite to replace it, or --out for another file\n`);
        return EXIT.usage;
    }

    if (invocation.check) return checkAdopted(invocation, relative, file, context);
    const observation = await readWithProgress(invocation, context, invocation.consumers ?? true);

    const header = [
        `ConfigMap ${namespace}/${name}, adopted by \`fleet-rollout import\` from the clusters of ${path.basename(invocation.fleet)}.`,
        "Each cluster gets `data`/`binaryData`, then its region's patch, then its own: the fewest entries that give",
        "every cluster exactly what it held. `adopt` lists the clusters that have it: the program takes those over",
        "with Pulumi's import (`= import` in the first preview) instead of creating them. `metadata` keeps the",
        "labels and annotations every cluster had (kubectl's last-applied-configuration excepted: see docs/ADOPTION.md).",
        "A Pulumi program reads this file with loadAdoptedConfig().",
    ];
    const result = adopt(observation, definition.clusters.length, { header, takeOwnership: invocation.takeOwnership, notSecret: invocation.notSecret });
    const snippet = adoptionSnippet(name, path.relative(context.workDir, file).split(path.sep).join("/"));
    const refused = result.problems.length > 0;
    if (invocation.json) {
        context.print(
            JSON.stringify({ ...result.report, problems: result.problems, dropped: result.dropped, written: refused ? null : relative, snippet: refused ? null : snippet }, null, 2) + "\n",
        );
    } else {
        context.print(renderDivergence(result.report));
    }
    if (refused) {
        const shown = result.problems.slice(0, MAX_LISTED).map((p) => `  - ${formatProblem(p)}`);
        if (result.problems.length > MAX_LISTED) shown.push(`  - and ${result.problems.length - MAX_LISTED} more problems`);
        context.error(`fleet-rollout: error: ConfigMap ${namespace}/${name} cannot be adopted; nothing was written:\n${shown.join("\n")}\n`);
        return EXIT.usage;
    }
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, result.text);
    if (!invocation.json) {
        for (const d of result.dropped) {
            context.print(
                `\n${d.annotation} (kubectl apply's record of its last apply) is not in the file: the first \`up\` removes it in ${d.clusters.length} cluster${d.clusters.length === 1 ? "" : "s"} (${boundedQuotedList(d.clusters)}), since Pulumi manages the ConfigMap from then on.\n`,
            );
        }
        context.print(`\nWrote ${relative}. In the program:\n\n${snippet}`);
    }
    return EXIT.ok;
}

/** Reads the ConfigMap from every cluster with the command's progress display. */
async function readWithProgress(invocation: Invocation, context: ImportContext, consumers: boolean): Promise<FleetObservation> {
    const { namespace, name } = invocation.adopt!;
    let observation: FleetObservation | undefined;
    const total = context.clusters.length;
    await runList(
        [
            {
                title: `reading ConfigMap ${namespace}/${name} from ${total} cluster${total === 1 ? "" : "s"}, ${invocation.concurrency} at a time`,
                task: async (_ctx, task) => {
                    let done = 0;
                    let missing = 0;
                    let unreadable = 0;
                    observation = await readFleetConfigMaps(
                        context.api,
                        context.clusters,
                        namespace,
                        name,
                        invocation.concurrency,
                        (_cluster, read) => {
                            done++;
                            if (read.status === "missing") missing++;
                            if (read.status === "unreadable") unreadable++;
                            task.output = `${done}/${total} read, ${missing} without it, ${unreadable} unreadable`;
                        },
                        consumers,
                    );
                    task.title = `read ConfigMap ${namespace}/${name}: ${total - missing - unreadable} found, ${missing} without it, ${unreadable} unreadable`;
                },
            },
        ],
        { concurrency: 1, interrupted: () => false, progress: invocation.progress },
    );
    return observation!;
}

/**
 * `import --check`: whether the adopted file still gives every cluster exactly what it runs. Exit 0
 * when it does, 3 when some cluster's copy differs (the first `up` would change it), 2 when the file
 * is missing or invalid or a cluster cannot be read. Writes nothing.
 */
async function checkAdopted(invocation: Invocation, relative: string, file: string, context: ImportContext): Promise<number> {
    let config: AdoptedConfig;
    try {
        config = loadAdoptedConfig(file);
    } catch (err) {
        context.error(`fleet-rollout: error: ${err instanceof AdoptedConfigError ? err.message : `${relative}: ${(err as Error).message}`}\nRun import first.\n`);
        return EXIT.usage;
    }
    const observation = await readWithProgress(invocation, context, false);
    if (observation.unreadable.length > 0) {
        const lines = observation.unreadable.slice(0, MAX_LISTED).map((u) => `  - cluster ${JSON.stringify(u.cluster)}: could not be read (${u.reason}: ${u.message})`);
        if (observation.unreadable.length > MAX_LISTED) lines.push(`  - and ${observation.unreadable.length - MAX_LISTED} more clusters`);
        context.error(`fleet-rollout: error: ${relative} cannot be checked against every cluster:\n${lines.join("\n")}\n`);
        return EXIT.usage;
    }
    const mismatches = adoptionMismatches(config, observation.found);
    const missing = observation.missing.map((m) => m.cluster);
    const adoptList = adoptListMismatch(config.adopt, observation.found, missing);
    if (invocation.json) {
        context.print(JSON.stringify({ file: relative, clusters: context.clusters.length, found: observation.found.length, mismatches, missing, adopt: adoptList ?? null }, null, 2) + "\n");
    } else {
        const lines: string[] = [];
        if (mismatches.length === 0) lines.push(`${relative} gives each of the ${observation.found.length} clusters that have ConfigMap ${observation.namespace}/${observation.name} exactly what it runs.`);
        else {
            lines.push(`${relative} differs from what ${mismatches.length} of ${observation.found.length} clusters run; the first \`up\` would change them:`);
            for (const m of mismatches.slice(0, MAX_LISTED)) lines.push(`  ${m.cluster}: ${boundedList(m.keys.map((k) => `${k.key} ${k.change}`))}`);
            if (mismatches.length > MAX_LISTED) lines.push(`  and ${mismatches.length - MAX_LISTED} more clusters`);
            lines.push("Import again (--overwrite) to take what they run now, or keep the file to change them.");
        }
        if (missing.length > 0) lines.push(`Without the ConfigMap (the first \`up\` creates it there): ${boundedQuotedList(missing)}`);
        if (adoptList?.gone.length) lines.push(`\`adopt\` lists clusters that no longer have it (the first preview fails there, with nothing to import): ${boundedQuotedList(adoptList.gone)}`);
        if (adoptList?.unlisted.length) lines.push(`\`adopt\` does not list clusters that have it (the first \`up\` creates over theirs, unreviewed): ${boundedQuotedList(adoptList.unlisted)}`);
        if (adoptList) lines.push("Import again (--overwrite) to list them as they are now.");
        context.print(lines.join("\n") + "\n");
    }
    return mismatches.length === 0 && adoptList === undefined ? EXIT.ok : EXIT.drifted;
}
