/**
 * The divergence report as a person reads it, and the TypeScript that wires the adopted file into a
 * program. Lists are bounded ("and 38 more"); `--json` has them whole. A value is shown quoted and
 * shortened, a binary value by its size, and a value of a key that looks like a credential not at all.
 */
import { boundedList, boundedQuotedList, MAX_LISTED } from "../../bounded-list";
import { DivergenceReport, ReportedValue } from "../../adoption/divergence-report";
import { quote } from "../../problems";

/** How many characters of a value the text shows. */
const SHOWN_VALUE = 48;

/** The report, one section per divergent key. */
export function renderDivergence(report: DivergenceReport): string {
    const lines: string[] = [];
    const keyCount = report.uniform.length + report.divergent.length;
    lines.push(
        `ConfigMap ${report.configMap}: found in ${report.found} of ${report.clusters} cluster${report.clusters === 1 ? "" : "s"}; ` +
            `${keyCount} key${keyCount === 1 ? "" : "s"}, ${report.uniform.length} the same everywhere, ${report.divergent.length} diverging; ` +
            `${report.entries} override entr${report.entries === 1 ? "y" : "ies"}, the fewest that give every cluster what it holds`,
    );
    if (report.uniform.length > 0) lines.push(`  the same everywhere: ${boundedList(report.uniform)}`);
    for (const key of report.divergent) {
        const show = shownValue;
        lines.push(`  ${key.key}`);
        lines.push(key.base.kind === "absent" ? "    base: absent" : `    base: ${show(key.base)} (${key.baseClusters} cluster${key.baseClusters === 1 ? "" : "s"})`);
        for (const r of key.regions) lines.push(`    region ${r.region}: ${show(r.value)} (${r.clusters} cluster${r.clusters === 1 ? "" : "s"})`);
        if (key.exceptions.length > 0) lines.push(`    exceptions: ${boundedList(key.exceptions.map((e) => `${quote(e.cluster)} ${show(e.value)}`))}`);
        if (key.lacking.length > 0) lines.push(`    lacking: ${boundedQuotedList(key.lacking)}`);
    }
    if (report.missing.length > 0) lines.push(`Without the ConfigMap (the first \`up\` creates it there): ${boundedQuotedList(report.missing)}`);
    for (const m of report.managers) {
        lines.push(`Field manager ${quote(m.manager)} (${m.operation}) owns ${m.fields.length} key${m.fields.length === 1 ? "" : "s"} in ${m.clusters.length} cluster${m.clusters.length === 1 ? "" : "s"}: ${boundedList(m.fields)}; in ${boundedQuotedList(m.clusters)}`);
    }
    const consumers = report.consumers;
    if (consumers) {
        const named = (list: readonly { kind: string; name: string; keys?: readonly string[] }[]) => boundedList(list.map((c) => `${c.kind} ${c.name}${c.keys ? ` (keys ${c.keys.join(", ")})` : ""}`));
        lines.push("Workloads whose pods read it, written as `externalConsumers` (each gets the hash annotation on the first `up`: one restart):");
        if (consumers.fleet) lines.push(`  every cluster: ${named(consumers.fleet)}`);
        for (const [region, list] of Object.entries(consumers.regions ?? {})) lines.push(`  region ${region}: ${named(list)}`);
        const clusters = Object.entries(consumers.clusters ?? {});
        for (const [cluster, list] of clusters.slice(0, MAX_LISTED)) lines.push(`  cluster ${quote(cluster)}: ${named(list)}`);
        if (clusters.length > MAX_LISTED) lines.push(`  and ${clusters.length - MAX_LISTED} more clusters`);
    }
    if (report.podsUnlisted.length > 0) lines.push(`Pods could not be listed (no consumer proposed there): ${boundedList(report.podsUnlisted.map((p) => `${quote(p.cluster)} (${p.reason})`))}`);
    if (report.unreadable.length > 0) lines.push(`Could not be read: ${boundedList(report.unreadable.map((u) => `${quote(u.cluster)} (${u.reason})`))}`);
    return lines.join("\n") + "\n";
}

/** A value as the text shows it: quoted and shortened, a binary value by its size, a removal as `absent`. */
export function shownValue(value: ReportedValue): string {
    if (value.kind === "absent") return "absent";
    if (value.withheld) return "(value withheld: the key looks like a credential)";
    if (value.kind === "binaryData") return `binary, ${Buffer.from(value.value!, "base64").length} bytes`;
    const text = value.value!;
    const quoted = quote(text.length > SHOWN_VALUE ? text.slice(0, SHOWN_VALUE) : text);
    return text.length > SHOWN_VALUE ? `${quoted.slice(0, -1)}…" (${Buffer.byteLength(text, "utf8")} bytes)` : quoted;
}

/**
 * The lines to put in the Pulumi program: a FleetConfigMap that reads the adopted file. `file` is the
 * file's path relative to the program's directory; `resourceName` the name to give it.
 */
export function adoptionSnippet(resourceName: string, file: string, fleetVariable = "fleet"): string {
    const variable = resourceName.replace(/[^A-Za-z0-9]+(.)?/g, (_, c: string | undefined) => (c ? c.toUpperCase() : "")).replace(/^[0-9]/, "_$&");
    return [
        'import { FleetConfigMap, loadAdoptedConfig } from "@fleet/configmap";',
        "",
        `// Adopted by \`fleet-rollout import\`: the base, regional and per-cluster values are in ${file}.`,
        `const ${variable} = new FleetConfigMap(${quote(resourceName)}, { ${fleetVariable === "fleet" ? "fleet" : `fleet: ${fleetVariable}`}, ...loadAdoptedConfig(${quote(file)}) });`,
        "",
    ].join("\n");
}
