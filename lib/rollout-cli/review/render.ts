import { boundedList } from "../../errors/bounded-list";
import { changed, ClusterChanges, ConfigMapChange, ResourceChange } from "./changes";
import { ChangeReview, reviewChanges } from "./change-review";
import { errorLines, groupLines, outsideLines, summaryLine } from "./change-text";
import { FleetShape } from "./fleet-shape";
import { renderMarkdown } from "./markdown";
import { previewDocument } from "./preview-document";
import { PreviewResult, RolloutResult, StackResult } from "../run/run";
import { waveCheckLines, waveFailureSummary } from "../waves/wave-check-text";

// Human output groups clusters with identical changes (review/); `--by-cluster` keeps one row per
// cluster; `--json` prints the same fields as one JSON document, with whole lists and values.

/** How a preview or an up is printed. */
export interface RenderOptions {
    /** One table row per cluster instead of groups. @default false */
    readonly byCluster?: boolean;
    /** Lines printed after the summary (a report's missing stacks). @default none */
    readonly extra?: readonly string[];
}

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

/** `preview`: the groups (or, with `byCluster`, the per-cluster table), outside steps, errors and a summary that counts every step. */
export function renderPreview(result: PreviewResult, shape: FleetShape, options: RenderOptions = {}): string {
    const review = reviewChanges(result.stacks, "preview");
    const lines = options.byCluster ? [clusterTable(review).trimEnd()] : groupLines(review, shape);
    lines.push(...outsideLines(review), ...errorLines(review), summaryLine(review), ...(options.extra ?? []));
    if (result.status === "interrupted") lines.push("interrupted: the previews not shown did not run.");
    return lines.join("\n") + "\n";
}

/** `preview --markdown`: the review as a pull-request comment. */
export function renderPreviewMarkdown(result: PreviewResult, shape: FleetShape, options: RenderOptions = {}): string {
    const extra = [...(options.extra ?? []), ...(result.status === "interrupted" ? ["interrupted: the previews not shown did not run."] : [])];
    return renderMarkdown(reviewChanges(result.stacks, "preview"), shape, "fleet-rollout preview", extra);
}

/** `preview --json`: the versioned document (review/preview-document.ts). */
export function previewJson(result: PreviewResult, shape: FleetShape): object {
    return previewDocument(result, shape);
}

/** `up`: each wave with its groups of clusters (or per-cluster table), then what failed and what did not start. */
export function renderRollout(result: RolloutResult, shape: FleetShape, options: RenderOptions = {}): string {
    const lines: string[] = [];
    result.waves.forEach((wave, i) => {
        lines.push(`wave ${i + 1} "${wave.name}" (${wave.selector}): ${wave.status}`);
        if (wave.status === "not started") return;
        const review = reviewChanges(wave.stacks, "up");
        const body = options.byCluster ? clusterTable(review).trimEnd().split("\n") : groupLines(review, shape);
        lines.push(...[...body, ...outsideLines(review), ...errorLines(review), summaryLine(review), ...waveCheckLines(wave)].map((l) => `  ${l}`));
    });
    lines.push(rolloutSummary(result));
    return lines.join("\n") + "\n";
}

/** `up --json`: each wave with its groups and per-cluster changes; the same fields as the text. */
export function rolloutJson(result: RolloutResult): object {
    return {
        command: "up",
        status: result.status,
        failedClusters: failedClusters(result),
        notStartedWaves: result.waves.filter((w) => w.status === "not started").map((w) => w.name),
        waves: result.waves.map((w) => {
            const review = reviewChanges(w.stacks, "up");
            return {
                name: w.name,
                selector: w.selector,
                status: w.status,
                ...(w.soak ? { soak: w.soak } : {}),
                ...(w.gate ? { gate: w.gate } : {}),
                ...(w.failure ? { failure: w.failure } : {}),
                groups: review.groups.map((g) => ({ ...g.body, clusters: g.clusters })),
                stacks: w.stacks.map(stackJson),
            };
        }),
    };
}

function clusterTable(review: ChangeReview): string {
    const status = new Map(review.clusters.map((c) => [c.cluster, c.status]));
    return renderClusterTable(review.clusters, (c) => {
        const s = status.get(c.cluster)!;
        return s === "changes" || s === "unchanged" ? undefined : s === "failed" ? "FAILED" : s;
    });
}

function rolloutSummary(result: RolloutResult): string {
    const notStarted = result.waves.filter((w) => w.status === "not started").map((w) => `"${w.name}"`);
    const rest = notStarted.length ? ` Waves not started: ${notStarted.join(", ")}.` : "";
    if (result.status === "succeeded") return `rollout succeeded: ${result.waves.length} wave${result.waves.length === 1 ? "" : "s"}.`;
    if (result.status === "interrupted") {
        const at = result.waves.find((w) => w.status === "interrupted");
        return `rollout interrupted${at ? ` in wave "${at.name}"` : ""}; stacks in flight were stopped cleanly. Run the same command again to finish.${rest}`;
    }
    const at = result.waves.find((w) => w.status === "failed")!;
    const failed = failedClusters(result);
    // A wave can fail with no failed stack: by its soak, its gate or its timeout.
    const why = [failed.length > 0 ? `failed clusters ${boundedList(failed)}` : undefined, waveFailureSummary(at)].filter((p) => p !== undefined).join("; ");
    return `rollout stopped at wave "${at.name}": ${why}.${rest}`;
}

function failedClusters(result: RolloutResult): string[] {
    return result.waves.flatMap((w) => w.stacks.flatMap((s) => s.failedClusters));
}

function stackJson(s: StackResult): object {
    return {
        name: s.stack,
        status: s.status,
        failedClusters: s.failedClusters,
        ...(s.error ? { error: s.error } : {}),
        outside: s.outside,
        clusters: s.clusters.map((c) => ({ ...c, changed: changed(c) })),
    };
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
