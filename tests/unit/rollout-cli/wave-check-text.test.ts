import * as assert from "assert";
import { WaveResult } from "../../../lib/rollout-cli/run";
import { waveCheckLines, waveFailureSummary } from "../../../lib/rollout-cli/wave-check-text";

const wave = (extra: Partial<WaveResult>): WaveResult => ({ name: "canary", selector: "region:us", status: "succeeded", stacks: [], ...extra });

describe("wave soak and gate text", () => {
    it("says a passed soak's length and what it watched, and a passed gate's command", () => {
        assert.deepStrictEqual(
            waveCheckLines(
                wave({
                    soak: { status: "passed", durationMs: 600_000, elapsedMs: 600_400, clusters: 2, workloads: 4, problems: [] },
                    gate: { command: "./smoke.sh", status: "passed", exitCode: 0, elapsedMs: 3_200, output: ["ok"] },
                }),
            ),
            ["soak 10m: passed (4 wired workloads in 2 clusters)", "gate ./smoke.sh: passed after 3s"],
        );
    });

    it("lists a failed soak's problems per cluster and workload, and names the wave's failure", () => {
        const problems = [{ cluster: "us-east-1", workload: "deployment shop/web", message: "ready replicas fell from 2 to 1" }];
        const failed = wave({ status: "failed", soak: { status: "failed", durationMs: 600_000, elapsedMs: 95_000, clusters: 1, workloads: 2, problems }, failure: "its soak failed after 1m35s: cluster us-east-1, deployment shop/web: ready replicas fell from 2 to 1" });
        assert.deepStrictEqual(waveCheckLines(failed), [
            "soak 10m: failed after 1m35s (2 wired workloads in 1 cluster)",
            "  us-east-1 deployment shop/web: ready replicas fell from 2 to 1",
            "failed: its soak failed after 1m35s: cluster us-east-1, deployment shop/web: ready replicas fell from 2 to 1",
        ]);
        assert.strictEqual(waveFailureSummary(failed), 'wave "canary" its soak failed after 1m35s: cluster us-east-1, deployment shop/web: ready replicas fell from 2 to 1 (clusters us-east-1)');
    });

    it("shows a failed gate's exit code and its last five lines of output", () => {
        const output = ["1", "2", "3", "4", "5", "6"];
        assert.deepStrictEqual(waveCheckLines(wave({ status: "failed", gate: { command: "./smoke.sh", status: "failed", exitCode: 3, elapsedMs: 1000, output } })), [
            "gate ./smoke.sh: exited 3 after 1s",
            "  | 2",
            "  | 3",
            "  | 4",
            "  | 5",
            "  | 6",
        ]);
        assert.strictEqual(waveFailureSummary(wave({})), undefined);
    });
});
