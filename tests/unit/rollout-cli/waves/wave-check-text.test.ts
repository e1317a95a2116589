import * as assert from "assert";
import { planRollout } from "../../../../lib/rollout-cli/plan/plan";
import { renderRollout, rolloutJson } from "../../../../lib/rollout-cli/review/render";
import { renderPlan } from "../../../../lib/rollout-cli/plan/render-plan";
import { RolloutResult, WaveResult } from "../../../../lib/rollout-cli/run/run";
import { waveCheckLines, waveFailureSummary } from "../../../../lib/rollout-cli/waves/wave-check-text";

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

describe("a rollout stopped by a wave's soak, gate or timeout, as printed", () => {
    it("names the wave's failure in the wave's lines and in the summary, and its checks in the plan", () => {
        const result: RolloutResult = {
            status: "failed",
            waves: [
                {
                    name: "canary",
                    selector: "region:us",
                    status: "failed",
                    stacks: [{ stack: "us", status: "unchanged", clusters: [], outside: [], failedClusters: [] }],
                    gate: { command: "./smoke.sh", status: "failed", exitCode: 3, elapsedMs: 2000, output: ["checking…", "p99 too high"] },
                    failure: "its gate `./smoke.sh` exited 3: p99 too high",
                },
                { name: "rest", selector: "*", status: "not started", stacks: [] },
            ],
        };
        const text = renderRollout(result, { regions: {}, definition: "", plan: "", stacks: [] });
        assert.match(text, /\n {2}gate \.\/smoke\.sh: exited 3 after 2s\n {4}\| checking…\n {4}\| p99 too high\n {2}failed: its gate `\.\/smoke\.sh` exited 3: p99 too high\n/);
        assert.match(text, /\nrollout stopped at wave "canary": wave "canary" its gate `\.\/smoke\.sh` exited 3: p99 too high\. Waves not started: "rest"\.\n$/);
        assert.strictEqual((rolloutJson(result) as any).waves[0].failure, "its gate `./smoke.sh` exited 3: p99 too high");
        const plan = planRollout({ clusters: [{ name: "a", region: "us" }], waves: [{ name: "canary", select: "*", soak: "10m", gate: "./smoke.sh", timeout: "30m" } as never] }, undefined);
        assert.match(renderPlan(plan), /^wave 1 "canary" \(\*\): 1 stack, 1 cluster; soak 10m, gate \.\/smoke\.sh, timeout 30m\n/);
    });
});
