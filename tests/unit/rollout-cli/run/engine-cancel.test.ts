import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { Engine } from "../../../../lib/rollout-cli/run/engine";

const stack = { name: "eu", selector: "region:eu", clusters: [{ name: "eu-west-1", region: "eu" }] };

/** An engine whose stack `eu` is a stand-in: its `up` runs until its signal is aborted, as `pulumi up` cancels on SIGINT. */
function engineWithHangingUp(calls: { signals: AbortSignal[] }): Engine {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "engine-cancel-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: shop\nruntime: nodejs\n");
    const engine = new Engine({ workDir: dir, config: {}, refresh: false });
    const up = (opts: { signal: AbortSignal }) => {
        calls.signals.push(opts.signal);
        return new Promise((_resolve, reject) => opts.signal.addEventListener("abort", () => reject(new Error("update canceled")), { once: true }));
    };
    // The Automation API's Stack is the engine's private business; the stand-in needs only `up`.
    (engine as unknown as { stacks: Map<string, unknown> }).stacks.set("eu", { up });
    return engine;
}

describe("the engine's cancel of one stack (a wave's timeout)", () => {
    it("aborts the stack's pulumi at once when the runner's cancel signal is aborted, and reports it cancelled", async () => {
        const calls = { signals: [] as AbortSignal[] };
        const engine = engineWithHangingUp(calls);
        const cancel = new AbortController();
        setTimeout(() => cancel.abort(), 20);
        try {
            const outcome = await engine.runner("up")(stack, () => undefined, cancel.signal);
            assert.strictEqual(outcome.cancelled, true);
            assert.match(outcome.error!, /^stack eu: cancelled: update canceled/);
            assert.strictEqual(calls.signals[0].aborted, true);
            assert.strictEqual(engine.interrupted(), false, "a timeout is not Ctrl-C: later waves are the rollout's business");
        } finally {
            engine.dispose();
        }
    });

    it("does not start a stack whose wave already reached its timeout", async () => {
        const calls = { signals: [] as AbortSignal[] };
        const engine = engineWithHangingUp(calls);
        const cancel = new AbortController();
        cancel.abort();
        try {
            const outcome = await engine.runner("up")(stack, () => undefined, cancel.signal);
            assert.deepStrictEqual([outcome.cancelled, outcome.error], [true, "stack eu: not started (cancelled)"]);
            assert.strictEqual(calls.signals.length, 0);
        } finally {
            engine.dispose();
        }
    });
});
