import * as assert from "assert";
import { atMost } from "../../../../lib/rollout-cli/run/at-most";

describe("atMost", () => {
    it("runs every item, never more than the bound at once", async () => {
        let running = 0;
        let peak = 0;
        const done: number[] = [];
        await atMost(2, [1, 2, 3, 4, 5], async (n) => {
            running++;
            peak = Math.max(peak, running);
            await new Promise((resolve) => setTimeout(resolve, 5));
            done.push(n);
            running--;
        });
        assert.strictEqual(peak, 2);
        assert.deepStrictEqual([...done].sort(), [1, 2, 3, 4, 5]);
    });

    it("passes a failure on", async () => {
        await assert.rejects(atMost(3, ["a", "b"], async (s) => { if (s === "b") throw new Error("b failed"); }), /b failed/);
    });
});
