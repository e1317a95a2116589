/**
 * A review as text: one block per group of clusters with identical changes, then the steps outside the
 * fleet, the errors, and a summary that counts every cluster and every step. The same lines serve the
 * terminal, `up`'s waves and the markdown comment.
 */
import { boundedList, MAX_LISTED } from "../../errors/bounded-list";
import { ConfigMapChange, ResourceChange } from "./changes";
import { ChangeReview, GroupBody } from "./change-review";
import { groupHeading } from "./cluster-list";
import { FleetShape } from "./fleet-shape";
import { Group } from "./groups";
import { keyDiffLines } from "./value-diff";

/** At most this many field paths are named for one resource. */
const MAX_FIELDS = 5;

/** The sign a line starts with for each operation, as in a diff. */
const SIGN: Readonly<Record<string, string>> = { create: "+", delete: "-", update: "~", replace: "±", import: "=" };

/** A group's title: its status and its clusters, compacted (`changes: region eu (48 clusters)`). */
export function groupTitle(group: Group<GroupBody>, shape: Pick<FleetShape, "regions">): string {
    return groupHeading(group.body.status === "failed" ? "FAILED" : group.body.status, group.clusters, shape);
}

/**
 * What every cluster of a group changes, one line each, every line starting with its sign (`+`, `-`,
 * `~`, `±`): ConfigMaps with each key's values, the workloads that restart, and other resources with
 * the fields that change (never their values, which may be secret).
 */
export function groupBodyLines(body: GroupBody): string[] {
    const lines: string[] = [];
    for (const cm of body.configMaps) lines.push(...configMapLines(cm));
    if (body.restarts.length > 0) lines.push(`~ restart ${boundedList(body.restarts.map((r) => r.name))}`);
    for (const r of body.other) lines.push(resourceLine(r));
    return lines;
}

function configMapLines(cm: ConfigMapChange): string[] {
    const sign = SIGN[cm.op] ?? "~";
    // An update that changes no key says which fields it changes, so that "no data changes" can be read off the review.
    const fields = cm.fields && cm.fields.length > 0 ? `: ${boundedList(cm.fields, (f) => f, MAX_FIELDS)}, no key changes` : "";
    const head = `${sign} configmap ${cm.name}${cm.op === "update" || cm.op === "create" || cm.op === "delete" ? "" : ` (${cm.op})`}${fields}`;
    // The key lines keep their own sign first, so a markdown diff block colours them, and are indented after it.
    return [head, ...cm.values.flatMap(keyDiffLines).map((l) => `${l[0]}   ${l.slice(2)}`)];
}

function resourceLine(r: ResourceChange): string {
    const fields = r.fields.length > 0 ? `: ${boundedList(r.fields, (f) => f, MAX_FIELDS)}` : "";
    return `${SIGN[r.op] ?? "~"} ${r.op === "replace" ? "replace " : ""}${r.name}${fields}`;
}

/** The groups as text: a title per group and, for groups with changes, their lines indented under it. */
export function groupLines(review: ChangeReview, shape: Pick<FleetShape, "regions">): string[] {
    const lines: string[] = [];
    for (const group of review.groups) {
        lines.push(groupTitle(group, shape));
        lines.push(...groupBodyLines(group.body).map((l) => `  ${l}`));
    }
    return lines;
}

/** The steps outside the fleet, bounded: `outside the fleet: + Stack/shop-us (stack us), …`. */
export function outsideLines(review: ChangeReview): string[] {
    if (review.outside.length === 0) return [];
    const items = review.outside.map((o) => `${SIGN[o.op] ?? "~"} ${o.name} (stack ${o.stack})`);
    return [`outside the fleet (on no fleet provider): ${boundedList(items)}`];
}

/** The stacks' errors, at most {@link MAX_LISTED} of them; `--json` has every one. */
export function errorLines(review: ChangeReview): string[] {
    const lines = review.errors.slice(0, MAX_LISTED).map((e) => `error: ${e.error}`);
    if (review.errors.length > MAX_LISTED) lines.push(`error: and ${review.errors.length - MAX_LISTED} more stacks failed (--json has every error)`);
    return lines;
}

/**
 * `2 of 3 clusters change, in 1 group; 1 unchanged. 6 steps: 6 on clusters, 0 outside the fleet.`
 * Clusters whose stack did not preview are counted apart, never as unchanged.
 */
export function summaryLine(review: ChangeReview): string {
    const count = (statuses: string[]) => review.clusters.filter((c) => statuses.includes(c.status)).length;
    const changing = count(["changes"]);
    const groups = review.groups.filter((g) => g.body.status === "changes").length;
    const unchanged = count(["unchanged"]);
    const notDone = review.clusters.length - changing - unchanged;
    const parts = [`${changing} of ${review.clusters.length} cluster${review.clusters.length === 1 ? "" : "s"} change${changing > 0 ? `, in ${groups} group${groups === 1 ? "" : "s"}` : ""}`, `${unchanged} unchanged`];
    if (notDone > 0) parts.push(`${notDone} not previewed or failed`);
    const steps = review.steps.clusters + review.steps.outside;
    return `${parts.join("; ")}. ${steps} step${steps === 1 ? "" : "s"}: ${review.steps.clusters} on clusters, ${review.steps.outside} outside the fleet.`;
}
