import * as assert from "assert";
import { ClusterChanges } from "../../../../lib/rollout-cli/review/changes";
import { GateResult } from "../../../../lib/rollout-cli/gate/gate-command";
import { parseWaveArguments, PlannedStack, PlannedWave, planRollout, RolloutPlan } from "../../../../lib/rollout-cli/plan/plan";
import { previewAll, rollOut, StackOutcome, StackRunner, WaveChecks } from "../../../../lib/rollout-cli/run/run";
import { SoakProblem, SoakResult } from "../../../../lib/rollout-cli/soak/soak-verdict";

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

/** The plan with options set on its waves, by name. */
function withOptions(options: Record<string, Partial<Pick<PlannedWave, "soakMs" | "gate" | "timeoutMs">>>): RolloutPlan {
    return { ...plan, waves: plan.waves.map((w) => ({ ...w, ...options[w.name] })) };
}

const soaked = (status: SoakResult["status"], problems: SoakProblem[] = []): SoakResult => ({ status, durationMs: 600_000, elapsedMs: 61_000, clusters: 1, workloads: 2, problems });
const gated = (status: GateResult["status"], exitCode?: number, output: string[] = []): GateResult => ({ command: "./smoke.sh", status, elapsedMs: 5, output, ...(exitCode !== undefined ? { exitCode } : {}) });

/** Wave checks that log what they do and answer as told, per wave. */
function fakeChecks(log: string[], answers: { soak?: Record<string, SoakResult>; gate?: Record<string, GateResult> } = {}): WaveChecks {
    return {
        soak: async (wave) => (log.push(`soak ${wave.name}`), answers.soak?.[wave.name] ?? soaked("passed")),
        gate: async (wave) => (log.push(`gate ${wave.name}`), answers.gate?.[wave.name] ?? gated("passed", 0)),
    };
}

/** Resolves when `signal` is aborted, with what `then` gives. */
const whenAborted = <T>(signal: AbortSignal | undefined, then: () => T) => new Promise<T>((resolve) => signal?.addEventListener("abort", () => resolve(then()), { once: true }));

describe("rollout run: soak, gate and timeout of a wave", () => {
    const gate = { command: "./smoke.sh", writtenIn: "fleet file" as const };

    it("soaks, then gates, a wave after its stacks succeeded and before the next wave starts", async () => {
        const fake = fakeRunner();
        const result = await rollOut(withOptions({ canary: { soakMs: 600_000, gate }, eu: { gate } }), fake.runner, options, fakeChecks(fake.log));
        assert.strictEqual(result.status, "succeeded");
        assert.deepStrictEqual(
            fake.log.filter((l) => !l.includes("eu-central-1")),
            ["start us-east-1", "end us-east-1", "soak canary", "gate canary", "start eu-west-1", "end eu-west-1", "gate eu", "start ap-south-1", "end ap-south-1"],
        );
        assert.strictEqual(result.waves[0].soak?.status, "passed");
        assert.strictEqual(result.waves[0].gate?.status, "passed");
        assert.strictEqual(result.waves[2].soak, undefined);
    });

    it("fails the wave when its soak fails, runs no gate and starts no later wave, saying why", async () => {
        const fake = fakeRunner();
        const problem = { cluster: "us-east-1", workload: "deployment shop/web", message: "ready replicas fell from 2 to 1" };
        const result = await rollOut(withOptions({ canary: { soakMs: 600_000, gate } }), fake.runner, options, fakeChecks(fake.log, { soak: { canary: soaked("failed", [problem, problem]) } }));
        assert.strictEqual(result.status, "failed");
        assert.deepStrictEqual(result.waves.map((w) => `${w.name}:${w.status}`), ["canary:failed", "eu:not started", "rest:not started"]);
        assert.strictEqual(result.waves[0].failure, "its soak failed after 1m1s: cluster us-east-1, deployment shop/web: ready replicas fell from 2 to 1 (and 1 more)");
        assert.ok(!fake.log.includes("gate canary"));
    });

    it("fails the wave when its gate exits non-zero, exactly as a failed up stops the rollout", async () => {
        const fake = fakeRunner();
        const result = await rollOut(withOptions({ eu: { gate } }), fake.runner, options, fakeChecks(fake.log, { gate: { eu: gated("failed", 3, ["checking eu-west-1", "eu-west-1: /healthz 503", ""]) } }));
        assert.strictEqual(result.status, "failed");
        assert.deepStrictEqual(result.waves.map((w) => `${w.name}:${w.status}`), ["canary:succeeded", "eu:failed", "rest:not started"]);
        assert.strictEqual(result.waves[1].failure, "its gate `./smoke.sh` exited 3: eu-west-1: /healthz 503");
        assert.deepStrictEqual(result.waves[1].stacks.map((s) => s.status), ["changed", "changed"], "the stacks' own results stand");
        assert.ok(!fake.log.includes("start ap-south-1"));
    });

    it("soaks and gates a re-run's unchanged wave too, so a gate that failed must pass before the next wave starts", async () => {
        const log: string[] = [];
        const unchanged: StackRunner = async (stack) => ({ clusters: changes(stack, false), outside: [] });
        const result = await rollOut(withOptions({ canary: { soakMs: 600_000, gate } }), unchanged, options, fakeChecks(log, { gate: { canary: gated("failed", 1) } }));
        assert.deepStrictEqual(log, ["soak canary", "gate canary"]);
        assert.deepStrictEqual(result.waves.map((w) => `${w.name}:${w.status}`), ["canary:failed", "eu:not started", "rest:not started"]);
    });

    it("cancels a wave's running stacks at its timeout, starts none of the others, and fails it naming the timeout and the clusters", async () => {
        const started: string[] = [];
        const hanging: StackRunner = (stack, _progress, cancel) => {
            started.push(stack.name);
            // As the engine does: a cancelled `pulumi up` reports a cancellation.
            return whenAborted(cancel, () => ({ clusters: changes(stack, false), outside: [], error: `stack ${stack.name}: cancelled: update canceled`, cancelled: true }));
        };
        const t0 = Date.now();
        const result = await rollOut(withOptions({ eu: { timeoutMs: 50 } }), async (stack, progress, cancel) => (stack.name === "us-east-1" ? { clusters: changes(stack, true), outside: [] } : hanging(stack, progress, cancel)), { ...options, concurrency: 1 });
        assert.ok(Date.now() - t0 < 2000, "the timeout bounds the wave");
        assert.strictEqual(result.status, "failed");
        assert.deepStrictEqual(result.waves.map((w) => `${w.name}:${w.status}`), ["canary:succeeded", "eu:failed", "rest:not started"]);
        assert.strictEqual(result.waves[1].failure, "its timeout of 0s was reached during its `up`");
        assert.deepStrictEqual(result.waves[1].stacks.map((s) => `${s.stack}:${s.status}`), ["eu-west-1:failed", "eu-central-1:not started"]);
        assert.deepStrictEqual(result.waves[1].stacks[0].failedClusters, ["eu-west-1"]);
        assert.strictEqual(result.waves[1].stacks[0].error, "stack eu-west-1: cancelled: update canceled (the wave's timeout of 0s was reached, so the stack was cancelled)");
        assert.deepStrictEqual(started, ["eu-west-1"]);
    });

    it("fails a wave whose timeout kept a stack from starting, even when no stack was running to cancel", async () => {
        // Each `up` finishes on its own, after the timeout; the next one is then not started.
        const slow: StackRunner = async (stack) => (await new Promise((r) => setTimeout(r, 40)), { clusters: changes(stack, true), outside: [] });
        const result = await rollOut(withOptions({ eu: { timeoutMs: 20 } }), slow, { ...options, concurrency: 1 });
        assert.deepStrictEqual(result.waves.map((w) => `${w.name}:${w.status}`), ["canary:succeeded", "eu:failed", "rest:not started"]);
        assert.deepStrictEqual(result.waves[1].stacks.map((s) => `${s.stack}:${s.status}`), ["eu-west-1:changed", "eu-central-1:not started"]);
        assert.strictEqual(result.waves[1].failure, "its timeout of 0s was reached during its `up`");
    });

    it("stops a soak or a gate at the wave's timeout and fails the wave", async () => {
        const hangingChecks: WaveChecks = {
            soak: async (_wave, stop) => whenAborted(stop, () => soaked("stopped")),
            gate: async (_wave, stop) => whenAborted(stop, () => gated("stopped")),
        };
        const duringSoak = await rollOut(withOptions({ canary: { soakMs: 600_000, timeoutMs: 50 } }), fakeRunner().runner, options, hangingChecks);
        assert.deepStrictEqual([duringSoak.status, duringSoak.waves[0].failure], ["failed", "its timeout of 0s was reached during its soak"]);
        const duringGate = await rollOut(withOptions({ canary: { gate, timeoutMs: 50 } }), fakeRunner().runner, options, hangingChecks);
        assert.deepStrictEqual([duringGate.status, duringGate.waves[0].failure, duringGate.waves[0].gate?.status], ["failed", "its timeout of 0s was reached during its gate", "stopped"]);
    });

    it("stops a gate on Ctrl-C and reports the rollout interrupted, not failed", async () => {
        let interrupted = false;
        const checks: WaveChecks = {
            soak: async () => soaked("passed"),
            gate: async (_wave, stop) => {
                setTimeout(() => (interrupted = true), 10);
                return whenAborted(stop, () => gated("stopped"));
            },
        };
        const result = await rollOut(withOptions({ canary: { gate, timeoutMs: 600_000 } }), fakeRunner().runner, { ...options, interrupted: () => interrupted }, checks);
        assert.strictEqual(result.status, "interrupted");
        assert.deepStrictEqual(result.waves.map((w) => `${w.name}:${w.status}`), ["canary:interrupted", "eu:not started", "rest:not started"]);
        assert.strictEqual(result.waves[0].failure, undefined);
    });

    it("refuses to roll out a wave with a soak or gate without the checks to run them", async () => {
        await assert.rejects(rollOut(withOptions({ canary: { gate } }), fakeRunner().runner, options), /wave canary has a soak or a gate, but the rollout was given no WaveChecks/);
    });
});
