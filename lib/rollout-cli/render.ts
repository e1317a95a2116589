import { changed, ClusterChanges, ConfigMapChange, ResourceChange } from "./changes";
import { PreviewResult, RolloutResult, StackResult } from "./run";

// Human output is a table per command; --json prints the same fields as one JSON document.

/** One table of every cluster: which ConfigMaps change, which workloads restart; unchanged ones say so. */
export function renderClusterTable(clusters: readonly ClusterChanges[], statusOf?: (c: ClusterChanges) => string | undefined): string {
    const rows = clusters.map((c) => {
        const status = statusOf?.(c);
        const unchanged = !changed(c);
        return [
            c.cluster,
            c.region,
            c.stack,
            status ?? (unchanged ? "unchanged" : c.configMaps.map(configMapCell).join(", ") || "-"),
            status || unchanged ? "" : c.restarts.map((r) => r.name).join(", ") || "-",
            status || unchanged ? "" : c.other.map(resourceCell).join(", "),
        ];
    });
    return table(["CLUSTER", "REGION", "STACK", "CONFIGMAPS", "RESTARTS", "OTHER CHANGES"], rows);
}

/** `preview`: the per-cluster table, failed stacks, and a summary line. */
export function renderPreview(result: PreviewResult): string {
    const clusters = result.stacks.flatMap((s) => s.clusters);
    const failed = result.stacks.filter((s) => s.status === "failed" || s.status === "cancelled" || s.status === "not started");
    const failedStack = new Map(failed.map((s) => [s.stack, s.status === "failed" ? "preview failed" : s.status]));
    const shown = [...clusters, ...failed.filter((s) => s.clusters.length === 0).flatMap(placeholderRows)];
    const lines = [renderClusterTable(shown, (c) => failedStack.get(c.stack))];
    for (const s of failed) if (s.error) lines.push(`error: ${s.error}`);
    const changing = clusters.filter((c) => !failedStack.has(c.stack) && changed(c));
    const unchanged = clusters.filter((c) => !failedStack.has(c.stack) && !changed(c));
    lines.push(`${changing.length} cluster${changing.length === 1 ? "" : "s"} change${changing.length === 1 ? "s" : ""}${changing.length ? ` (${changing.map((c) => c.cluster).join(", ")})` : ""}; ${unchanged.length} unchanged${unchanged.length ? ` (${unchanged.map((c) => c.cluster).join(", ")})` : ""}.`);
    if (result.status === "interrupted") lines.push("interrupted: the previews not shown did not run.");
    return lines.join("\n") + "\n";
}

/** The JSON of a preview: the same fields as the table. */
export function previewJson(result: PreviewResult): object {
    return {
        command: "preview",
        status: result.status,
        clusters: result.stacks.flatMap((s) => s.clusters.map((c) => ({ ...c, changed: changed(c) }))),
        stacks: result.stacks.map((s) => ({ ...stackJson(s), clusters: s.clusters.map((c) => c.cluster) })),
    };
}

/** `up`: each wave with its stacks and per-cluster changes, then what failed and what did not start. */
export function renderRollout(result: RolloutResult): string {
    const lines: string[] = [];
    result.waves.forEach((wave, i) => {
        lines.push(`wave ${i + 1} "${wave.name}" (${wave.selector}): ${wave.status}`);
        const clusters = wave.stacks.flatMap((s) => (s.clusters.length > 0 ? s.clusters : []));
        if (wave.status !== "not started" && clusters.length > 0) {
            const status = new Map(wave.stacks.map((s) => [s.stack, s]));
            const text = renderClusterTable(clusters, (c) => {
                const s = status.get(c.stack)!;
                if (s.status === "failed") return s.failedClusters.includes(c.cluster) ? "FAILED" : changed(c) ? undefined : "not changed (its stack failed)";
                if (s.status === "cancelled") return "cancelled";
                return undefined;
            });
            lines.push(...text.trimEnd().split("\n").map((l) => `  ${l}`));
        }
        for (const s of wave.stacks) if (s.error) lines.push(`  error: ${s.error}`);
    });
    lines.push(summaryLine(result));
    return lines.join("\n") + "\n";
}

/** The JSON of an up: the same fields as the text. */
export function rolloutJson(result: RolloutResult): object {
    return {
        command: "up",
        status: result.status,
        failedClusters: failedClusters(result),
        notStartedWaves: result.waves.filter((w) => w.status === "not started").map((w) => w.name),
        waves: result.waves.map((w) => ({ name: w.name, selector: w.selector, status: w.status, stacks: w.stacks.map(stackJson) })),
    };
}

function summaryLine(result: RolloutResult): string {
    const notStarted = result.waves.filter((w) => w.status === "not started").map((w) => `"${w.name}"`);
    const rest = notStarted.length ? ` Waves not started: ${notStarted.join(", ")}.` : "";
    if (result.status === "succeeded") return `rollout succeeded: ${result.waves.length} wave${result.waves.length === 1 ? "" : "s"}.`;
    if (result.status === "interrupted") {
        const at = result.waves.find((w) => w.status === "interrupted");
        return `rollout interrupted${at ? ` in wave "${at.name}"` : ""}; stacks in flight were stopped cleanly. Run the same command again to finish.${rest}`;
    }
    const at = result.waves.find((w) => w.status === "failed")!;
    return `rollout stopped at wave "${at.name}": failed clusters ${failedClusters(result).join(", ")}.${rest}`;
}

function failedClusters(result: RolloutResult): string[] {
    return result.waves.flatMap((w) => w.stacks.flatMap((s) => s.failedClusters));
}

function stackJson(s: StackResult): object {
    return { name: s.stack, status: s.status, failedClusters: s.failedClusters, ...(s.error ? { error: s.error } : {}), clusters: s.clusters.map((c) => ({ ...c, changed: changed(c) })) };
}

function placeholderRows(s: StackResult): ClusterChanges[] {
    return [{ cluster: "(all)", region: "", stack: s.stack, configMaps: [], restarts: [], other: [] }];
}

function configMapCell(c: ConfigMapChange): string {
    const name = c.name.split("/").pop();
    if (c.op !== "update") return `${name} (${c.op})`;
    return c.keys.length ? `${name} [${c.keys.join(" ")}]` : `${name}`;
}

function resourceCell(r: ResourceChange): string {
    return `${r.op} ${r.name}`;
}

/** A text table: columns padded to their widest cell, two spaces apart, the last column unpadded. */
export function table(header: string[], rows: string[][]): string {
    const all = [header, ...rows];
    const widths = header.map((_, i) => Math.max(...all.map((r) => r[i].length)));
    return all.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]))).join("  ").trimEnd()).join("\n") + "\n";
}
