import * as assert from "assert";
import { reviewChanges } from "../../../../lib/rollout-cli/review/change-review";
import { GITHUB_COMMENT_LIMIT, renderMarkdown } from "../../../../lib/rollout-cli/review/markdown";
import { syntheticPreview, syntheticShape } from "./synthetic-preview";

describe("the review as a pull-request comment", () => {
    it("puts the summary first, then one collapsible section per group with a diff block", () => {
        const review = reviewChanges(syntheticPreview({ clusters: 9, configMaps: 1, regionOverride: "eu" }).stacks, "preview");
        const md = renderMarkdown(review, syntheticShape(9), "fleet-rollout preview");
        const lines = md.split("\n");
        assert.strictEqual(lines[0], "### fleet-rollout preview");
        assert.strictEqual(lines[2], "**9 of 9 clusters change, in 2 groups; 0 unchanged. 18 steps: 18 on clusters, 0 outside the fleet.**");
        assert.strictEqual((md.match(/<details><summary>/g) ?? []).length, 2);
        assert.ok(md.includes("<details><summary>changes (6 clusters): region us (3 clusters), region ap (3 clusters)</summary>\n\n```diff\n~ configmap shop/config-0\n~   LOG_LEVEL: info → warn\n"));
        assert.ok(md.includes("<details><summary>changes: region eu (3 clusters)</summary>"));
        assert.strictEqual((md.match(/<\/details>/g) ?? []).length, 2);
    });

    it("stays within GitHub's comment limit when every cluster has its own change, and says what it left out", () => {
        const result = syntheticPreview({ clusters: 1000, configMaps: 1 });
        // Every cluster gets its own long value, so no two clusters group.
        const stacks = result.stacks.map((s) => ({
            ...s,
            clusters: s.clusters.map((c) => ({ ...c, configMaps: c.configMaps.map((cm) => ({ ...cm, values: [{ key: "RULES", before: "a\nb\n", after: `a\n${c.cluster}\n${"x".repeat(200)}\n` }] })) })),
        }));
        const md = renderMarkdown(reviewChanges(stacks, "preview"), syntheticShape(1000), "fleet-rollout preview");
        assert.ok(md.length <= GITHUB_COMMENT_LIMIT, `${md.length} characters`);
        const shown = (md.match(/<details>/g) ?? []).length;
        assert.ok(shown > 10 && shown < 1000, `${shown} sections`);
        assert.strictEqual((md.match(/<\/details>/g) ?? []).length, shown, "every section it opens is closed");
        const note = new RegExp(`\\*\\*${1000 - shown} more groups \\(${1000 - shown} clusters: .+ and ${1000 - shown - 10} more\\) left out to stay within GitHub's 65,536-character limit; the \`--json\` report has every group\\.\\*\\*`);
        assert.match(md, note);
    });

    it("cuts one group too large for the comment inside its diff block, and counts the lines it cut", () => {
        const result = syntheticPreview({ clusters: 1, configMaps: 1 });
        const huge = Array.from({ length: 5000 }, (_, i) => `route ${i} -> backend-${i}`).join("\n");
        const stacks = [{ ...result.stacks[0], clusters: [{ ...result.stacks[0].clusters[0], configMaps: [{ name: "shop/routes", op: "create", keys: ["routes"], values: [{ key: "routes", after: huge }] }] }] }];
        const md = renderMarkdown(reviewChanges(stacks, "preview"), syntheticShape(1), "fleet-rollout preview", [], 1200);
        assert.ok(md.length <= 1200, `${md.length} characters`);
        assert.match(md, /~ … \d+ more lines? left out to stay within the comment limit \(--json has them\)\n```\n\n<\/details>/);
    });

    it("escapes HTML in titles and fences a value holding backticks with a longer fence", () => {
        const result = syntheticPreview({ clusters: 1, configMaps: 1 });
        const stacks = [{ ...result.stacks[0], clusters: [{ ...result.stacks[0].clusters[0], configMaps: [{ name: "shop/x", op: "update", keys: ["K"], values: [{ key: "K", before: "a", after: "```<b>" }] }] }] }];
        const md = renderMarkdown(reviewChanges(stacks, "preview"), syntheticShape(1), "fleet-rollout <preview>");
        assert.ok(md.startsWith("### fleet-rollout &lt;preview&gt;"));
        assert.ok(md.includes("````diff\n") && md.includes("~   K: a → ```<b>\n"));
    });
});
