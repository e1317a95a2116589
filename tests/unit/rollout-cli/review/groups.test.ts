import * as assert from "assert";
import { renderPreview } from "../../../../lib/rollout-cli/review/render";
import { reviewChanges } from "../../../../lib/rollout-cli/review/change-review";
import { compactClusters, groupHeading } from "../../../../lib/rollout-cli/review/cluster-list";
import { syntheticPreview, syntheticShape } from "./synthetic-preview";

describe("grouping clusters with identical changes", () => {
    it("prints a change of one key across 1,000 clusters in at most 20 lines", () => {
        const text = renderPreview(syntheticPreview({ clusters: 1000, configMaps: 1 }), syntheticShape(1000));
        const lines = text.trimEnd().split("\n");
        assert.ok(lines.length <= 20, `${lines.length} lines:\n${text}`);
        assert.deepStrictEqual(lines, [
            "changes (1000 clusters): region eu (334 clusters), region us (333 clusters), region ap (333 clusters)",
            "  ~ configmap shop/config-0",
            "  ~   LOG_LEVEL: info → warn",
            "  ~ restart deployment/web",
            "1000 of 1000 clusters change, in 1 group; 0 unchanged. 2000 steps: 2000 on clusters, 0 outside the fleet.",
        ]);
    });

    it("puts a region's other value and one cluster's override in groups of their own, largest first", () => {
        const review = reviewChanges(syntheticPreview({ clusters: 1000, configMaps: 1, regionOverride: "eu", clusterOverride: "c0002" }).stacks, "preview");
        assert.deepStrictEqual(
            review.groups.map((g) => [g.clusters.length, g.body.configMaps[0].values[0].after]),
            [
                [665, "warn"],
                [334, "debug"],
                [1, "trace"],
            ],
        );
        const shape = syntheticShape(1000);
        assert.strictEqual(groupHeading("changes", review.groups[1].clusters, shape), "changes: region eu (334 clusters)");
        assert.strictEqual(groupHeading("changes", review.groups[2].clusters, shape), "changes: c0002");
    });

    it("does not group clusters whose changes differ only in a value, nor in a restart", () => {
        const result = syntheticPreview({ clusters: 3, configMaps: 1 });
        const [a, b, c] = result.stacks[0].clusters;
        const stacks = [{ ...result.stacks[0], clusters: [a, { ...b, restarts: [] }, c] }];
        assert.deepStrictEqual(reviewChanges(stacks, "preview").groups.map((g) => g.clusters), [["c0001", "c0003"], ["c0002"]]);
    });

    it("compacts a group's clusters: whole regions by name and count, then at most ten names and how many more", () => {
        const shape = syntheticShape(60);
        const eu = shape.regions.eu;
        assert.strictEqual(compactClusters([...eu, "c0002"], shape), "region eu (20 clusters), c0002");
        const names = shape.regions.us.slice(0, 15);
        assert.strictEqual(compactClusters(names, shape), `${names.slice(0, 10).join(", ")} and 5 more`);
    });
});
