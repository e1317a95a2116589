import * as assert from "assert";
import { PlanError } from "../../../../lib/rollout-cli/plan/plan";
import { previewJson, renderPreview } from "../../../../lib/rollout-cli/review/render";
import { joinParts } from "../../../../lib/rollout-cli/review/report";
import { syntheticPreview, syntheticShape } from "./synthetic-preview";

/** The preview document one CI job writes for one stack (`preview --stack S --json`), as read back from its file. */
function part(stack: string, shape = syntheticShape(150), all = syntheticPreview({ clusters: 150, configMaps: 1, regionOverride: "eu" })) {
    const result = { status: all.status, stacks: all.stacks.filter((s) => s.stack === stack) };
    return { file: `${stack}.json`, document: JSON.parse(JSON.stringify(previewJson(result, shape))) as unknown };
}

function refusal(fn: () => unknown): PlanError {
    try {
        fn();
    } catch (err) {
        assert.ok(err instanceof PlanError, String(err));
        return err;
    }
    throw new Error("expected a refusal");
}

describe("joining the preview documents of shard stacks", () => {
    it("prints exactly what one preview of every stack prints, whatever order the parts come in", () => {
        const whole = renderPreview(syntheticPreview({ clusters: 150, configMaps: 1, regionOverride: "eu" }), syntheticShape(150));
        const joined = joinParts([part("shard-3"), part("shard-1"), part("shard-2")]);
        assert.deepStrictEqual(joined.missing, []);
        assert.deepStrictEqual(joined.result.stacks.map((s) => s.stack), ["shard-1", "shard-2", "shard-3"], "in plan order");
        assert.strictEqual(renderPreview(joined.result, joined.shape), whole);
    });

    it("names the stacks of the plan no part previewed", () => {
        const joined = joinParts([part("shard-1"), part("shard-3")]);
        assert.deepStrictEqual(joined.missing, ["shard-2"]);
        assert.deepStrictEqual(joined.result.stacks.map((s) => s.stack), ["shard-1", "shard-3"]);
    });

    it("refuses a part of another fleet definition, of another plan, a stack given twice, and a document that is not a preview", () => {
        const other = { ...syntheticShape(150), plan: "another-plan" };
        const foreign = { ...syntheticShape(150), definition: "another-definition" };
        const err = refusal(() => joinParts([part("shard-1"), part("shard-2", other), part("shard-3", foreign), part("shard-1"), { file: "notes.json", document: { schema: "x" } }]));
        assert.deepStrictEqual(
            err.problems.map((p) => `${p.field}: ${p.message.replace(/ \(.*\)$/, "")}`),
            [
                'notes.json: is not a `fleet-rollout preview --json` document of schema "fleet-rollout/preview@1"',
                "shard-2.json: is of another plan than shard-1.json: other stacks, selectors or config",
                "shard-3.json: is of another fleet definition than shard-1.json",
                'shard-1.json: previews stack "shard-1", which shard-1.json previews too; give each stack once',
            ],
        );
    });
});
