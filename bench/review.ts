/**
 * One measured run of the review of a synthetic preview (tests/unit/rollout-cli/review/synthetic-
 * preview.ts): `grouped` builds and prints what `preview`, `preview --markdown` and `preview --json`
 * print; `by-cluster` prints the per-cluster table (`--by-cluster`), the baseline that lists every
 * cluster. Run in a process of its own so that its peak memory is its own.
 *
 *   ts-node --transpile-only bench/review.ts grouped|by-cluster CLUSTERS CONFIGMAPS
 *
 * Prints one JSON line: `{ ms, maxRssMiB, bytes }`.
 */
import { previewJson, renderPreview, renderPreviewMarkdown } from "../lib/rollout-cli/review/render";
import { syntheticPreview, syntheticShape } from "../tests/unit/rollout-cli/review/synthetic-preview";

const [variant, clusters, configMaps] = [process.argv[2], Number(process.argv[3]), Number(process.argv[4])];
// A region with another value and one cluster's override: three groups, as a real review has.
const result = syntheticPreview({ clusters, configMaps, regionOverride: "eu", clusterOverride: "c0002" });
const shape = syntheticShape(clusters);
const start = process.hrtime.bigint();
let bytes = 0;
if (variant === "grouped") {
    bytes += renderPreview(result, shape).length;
    bytes += renderPreviewMarkdown(result, shape).length;
    bytes += JSON.stringify(previewJson(result, shape)).length;
} else if (variant === "by-cluster") {
    bytes += renderPreview(result, shape, { byCluster: true }).length;
} else {
    throw new Error(`unknown variant ${variant}`);
}
const ms = Number(process.hrtime.bigint() - start) / 1e6;
process.stdout.write(JSON.stringify({ ms, maxRssMiB: process.resourceUsage().maxRSS / 1024, bytes }) + "\n");
