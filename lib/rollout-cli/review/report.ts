/**
 * `fleet-rollout report`: joins the `preview --json` documents of shard stacks previewed apart (one CI
 * matrix job each) into the preview of them all, rendered exactly as one preview of every stack would
 * be. Parts of another fleet definition or plan (other clusters, other selectors, other config) are
 * refused, as are a stack given twice and a document of another version.
 */
import { boundedQuotedList } from "../../errors/bounded-list";
import { Problem } from "../../errors/problems";
import { PlanError } from "../plan/plan";
import { PreviewResult, StackResult } from "../run/run";
import { FleetShape } from "./fleet-shape";
import { PREVIEW_SCHEMA, PreviewDocument } from "./preview-document";

/** A part as read: its file name (for messages) and its parsed content. */
export interface ReportPart {
    /** The file it was read from. */
    readonly file: string;
    /** Its parsed JSON. */
    readonly document: unknown;
}

/** The joined preview: every stack of the parts in plan order, the plan's other stacks as not started. */
export interface JoinedPreview {
    /** The preview of every stack of the plan. */
    readonly result: PreviewResult;
    /** The fleet the parts are of. */
    readonly shape: FleetShape;
    /** Stacks of the plan that no part previewed. */
    readonly missing: readonly string[];
}

/** Joins parts; throws a {@link PlanError} naming every refused part before anything is printed. */
export function joinParts(parts: readonly ReportPart[]): JoinedPreview {
    const problems: Problem[] = [];
    if (parts.length === 0) throw new PlanError("nothing to report", [{ field: "parts", message: "no preview documents were given; pass the files that `fleet-rollout preview --json` wrote" }]);
    const documents: { file: string; doc: PreviewDocument }[] = [];
    for (const part of parts) {
        const doc = part.document as Partial<PreviewDocument> | null;
        if (!doc || typeof doc !== "object" || doc.schema !== PREVIEW_SCHEMA) {
            const found = doc && typeof doc === "object" && "schema" in doc ? `"${String(doc.schema)}"` : "none";
            problems.push({ field: part.file, message: `is not a \`fleet-rollout preview --json\` document of schema "${PREVIEW_SCHEMA}" (schema: ${found})` });
            continue;
        }
        documents.push({ file: part.file, doc: doc as PreviewDocument });
    }
    const first = documents[0];
    for (const { file, doc } of documents.slice(1)) {
        if (doc.fleet.definition !== first.doc.fleet.definition) {
            problems.push({ field: file, message: `is of another fleet definition than ${first.file} (definition digest ${doc.fleet.definition.slice(0, 12)}, not ${first.doc.fleet.definition.slice(0, 12)})` });
        } else if (doc.fleet.plan !== first.doc.fleet.plan) {
            problems.push({ field: file, message: `is of another plan than ${first.file}: other stacks, selectors or config (plan digest ${doc.fleet.plan.slice(0, 12)}, not ${first.doc.fleet.plan.slice(0, 12)})` });
        }
    }
    const byStack = new Map<string, { file: string; stack: StackResult }>();
    for (const { file, doc } of documents) {
        for (const s of doc.stacks) {
            const earlier = byStack.get(s.name);
            if (earlier) {
                problems.push({ field: file, message: `previews stack "${s.name}", which ${earlier.file} previews too; give each stack once` });
                continue;
            }
            const clusters = doc.clusters
                .filter((c) => c.stack === s.name)
                .map(({ cluster, region, stack, configMaps, restarts, other }) => ({ cluster, region, stack, configMaps, restarts, other }));
            byStack.set(s.name, { file, stack: { stack: s.name, status: s.status, clusters, outside: s.outside, failedClusters: s.failedClusters, ...(s.error ? { error: s.error } : {}) } });
        }
    }
    if (problems.length > 0) throw new PlanError("the preview documents cannot be joined", problems);
    const shape = first.doc.fleet;
    const missing = shape.stacks.filter((s) => !byStack.has(s));
    const stacks = shape.stacks.filter((s) => byStack.has(s)).map((s) => byStack.get(s)!.stack);
    const statuses = documents.map((d) => d.doc.status);
    const status = statuses.includes("interrupted") ? "interrupted" : statuses.includes("failed") ? "failed" : "succeeded";
    return { result: { status, stacks }, shape, missing };
}

/** The line that says which stacks of the plan no part previewed. */
export function missingLine(missing: readonly string[]): string | undefined {
    return missing.length === 0 ? undefined : `not in the report: ${missing.length} stack${missing.length === 1 ? "" : "s"} of the plan had no preview (${boundedQuotedList(missing)}).`;
}
