import * as assert from "assert";
import { ClusterChanges } from "../../../lib/rollout-cli/changes";
import { parseWaveArguments, PlannedStack, planRollout } from "../../../lib/rollout-cli/plan";
import { previewAll, rollOut, StackOutcome, StackRunner } from "../../../lib/rollout-cli/run";

const clusters = [
    { name: "us-east-1", region: "us" },
    { name: "eu-west-1", region: "eu" },
    { name: "eu-central-1", region: "eu" },
    { name: "ap-south-1", region: "ap" },
];
const plan = planRollout({ clusters, stacks: { by: "cluster" } }, parseWaveArguments(["canary=cluster:us-east-1", "eu=region:eu", "rest=*"]).waves);

function changes(stack: PlannedStack, changed: boolean): ClusterChanges[] {
    return stack.clusters.map((c) => ({
        cluster: c.name,
        region: c.region,
        stack: stack.name,
        configMaps: changed ? [{ name: "default/app-config", op: "update", keys: ["API_URL"], values: [{ key: "API_URL", before: "a", after: "b" }] }] : [],
        restarts: [],
        other: [],
    }));
}

/** A runner that records the order stacks start and end in, and fails the stacks named. */
function fakeRunner(fail: string[] = [], delayMs = 5) {
    const log: string[] = [];
    let running = 0;
    let maxRunning = 0;
    const runner: StackRunner = async (stack, progress) => {
        log.push(`start ${stack.name}`);
        running++;
        maxRunning = Math.max(maxRunning, running);
        progress("update app-config");
        await new Promise((r) => setTimeout(r, delayMs));
        running--;
        log.push(`end ${stack.name}`);
        const outcome: StackOutcome = fail.includes(stack.name)
            ? { clusters: changes(stack, false), outside: [], error: `stack ${stack.name}: web: timed out waiting for the Deployment to be ready`, failedClusters: [stack.clusters[0].name] }
            : { clusters: changes(stack, true), outside: [] };
        return outcome;
    };
    return { runner, log, maxRunning: () => maxRunning };
}

const options = { concurrency: 2, interrupted: () => false, progress: false };

describe("rollout run (orchestration, with a stand-in for the engine)", () => {
    it("runs wave after wave, and a wave's stacks in parallel up to the concurrency limit", async () => {
        const fake = fakeRunner();
        const result = await rollOut(plan, fake.runner, options);
        assert.strictEqual(result.status, "succeeded");
        assert.deepStrictEqual(result.waves.map((w) => `${w.name}:${w.status}`), ["canary:succeeded", "eu:succeeded", "rest:succeeded"]);
        // The canary ends before any EU stack starts; EU ends before the rest starts.
        assert.ok(fake.log.indexOf("end us-east-1") < fake.log.indexOf("start eu-west-1"));
        assert.ok(fake.log.indexOf("end eu-central-1") < fake.log.indexOf("start ap-south-1"));
        assert.ok(fake.log.indexOf("start eu-central-1") < fake.log.indexOf("end eu-west-1"), "both EU stacks run at once");
        assert.strictEqual(fake.maxRunning(), 2);
    });

    it("never runs more stacks at once than the limit", async () => {
        const fake = fakeRunner();
        await rollOut(planRollout({ clusters, stacks: { by: "cluster" } }, undefined), fake.runner, { ...options, concurrency: 1 });
        assert.strictEqual(fake.maxRunning(), 1);
    });

    it("stops at the first failed wave, naming the failed clusters and starting nothing after it", async () => {
        const fake = fakeRunner(["us-east-1"]);
        const result = await rollOut(plan, fake.runner, options);
        assert.strictEqual(result.status, "failed");
        assert.deepStrictEqual(result.waves.map((w) => `${w.name}:${w.status}`), ["canary:failed", "eu:not started", "rest:not started"]);
        assert.deepStrictEqual(result.waves[0].stacks[0].failedClusters, ["us-east-1"]);
        assert.match(result.waves[0].stacks[0].error!, /^stack us-east-1: web: timed out/);
        assert.deepStrictEqual(fake.log, ["start us-east-1", "end us-east-1"]);
    });

    it("fails a wave if any one of its stacks fails, and starts none of its stacks after the failure", async () => {
        const fake = fakeRunner(["eu-west-1"]);
        const result = await rollOut(plan, fake.runner, { ...options, concurrency: 1 });
        assert.deepStrictEqual(result.waves.map((w) => `${w.name}:${w.status}`), ["canary:succeeded", "eu:failed", "rest:not started"]);
        assert.deepStrictEqual(result.waves[1].stacks.map((s) => `${s.stack}:${s.status}`), ["eu-west-1:failed", "eu-central-1:not started"]);
    });

    it("reports a converged wave as unchanged", async () => {
        const runner: StackRunner = async (stack) => ({ clusters: changes(stack, false), outside: [] });
        const result = await rollOut(plan, runner, options);
        assert.strictEqual(result.status, "succeeded");
        assert.ok(result.waves.every((w) => w.stacks.every((s) => s.status === "unchanged")));
    });

    it("starts no stack once interrupted, and reports the rollout as interrupted", async () => {
        let interrupted = false;
        const runner: StackRunner = async (stack) => {
            interrupted = true; // Ctrl-C arrives while the canary runs; its runner reports the cancellation.
            return { clusters: changes(stack, false), outside: [], error: `stack ${stack.name}: cancelled: update canceled`, cancelled: true };
        };
        const result = await rollOut(plan, runner, { ...options, interrupted: () => interrupted });
        assert.strictEqual(result.status, "interrupted");
        assert.deepStrictEqual(result.waves.map((w) => `${w.name}:${w.status}`), ["canary:interrupted", "eu:not started", "rest:not started"]);
        assert.deepStrictEqual(result.waves[0].stacks[0].failedClusters, [], "a cancelled stack is not a failed cluster");
    });

    it("previews every stack whatever the waves, and fails if any preview fails", async () => {
        const fake = fakeRunner(["eu-central-1"]);
        const result = await previewAll(plan, fake.runner, options);
        assert.strictEqual(result.status, "failed");
        assert.deepStrictEqual(result.stacks.map((s) => `${s.stack}:${s.status}`), ["us-east-1:changed", "eu-west-1:changed", "eu-central-1:failed", "ap-south-1:changed"]);
    });
});
