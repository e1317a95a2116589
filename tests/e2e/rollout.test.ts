import * as assert from "assert";
import { ChildProcess, execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CliRun, env, kubeconfigDir, pulumiEnv, ROOT, run, startRollout } from "./harness";

/**
 * The rollout command (`npm run rollout`, lib/rollout-cli) on the real engine: one sharded program
 * (tests/e2e/rollout-program), one stack per cluster of a local fleet of 6 clusters in 3 regions.
 * fleet-3 is left out: the main suite stops it on purpose ("unreachable"), and a run of these scenarios
 * beside it would see its clusters come and go. This suite stops and starts fleet-4 only.
 */

const FLEET = [
    { name: "us-east-1", region: "us", kwok: "fleet-1" },
    { name: "eu-west-1", region: "eu", kwok: "fleet-2" },
    { name: "eu-central-1", region: "eu", kwok: "fleet-7" },
    { name: "us-west-2", region: "us", kwok: "fleet-4" },
    { name: "ap-south-1", region: "ap", kwok: "fleet-5" },
    { name: "ap-northeast-1", region: "ap", kwok: "fleet-6" },
] as const;
type ClusterName = (typeof FLEET)[number]["name"];
const ALL = FLEET.map((c) => c.name);
const EU: ClusterName[] = ["eu-west-1", "eu-central-1"];
const CANARY: ClusterName = "us-west-2"; // on fleet-4, which this suite may stop
const REST: ClusterName[] = ["us-east-1", "ap-south-1", "ap-northeast-1"];
const WAVES = ["--wave", `canary=cluster:${CANARY}`, "--wave", "eu=region:eu", "--wave", "rest=*"];
const PROGRAM = path.join(__dirname, "rollout-program");
const FLEET_SCRIPT = path.join(ROOT, "scripts/fleet");

/** One scenario: its own namespace in every cluster, its own file backend, the 6 shard stacks. */
class RolloutScenario {
    readonly namespace: string;
    readonly fleetFile: string;
    private readonly vars: Record<string, string>;

    constructor(readonly name: string) {
        this.namespace = `e2e-rollout-${name}`;
        this.vars = pulumiEnv(`rollout-${name}`, "e2e-only-passphrase");
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), `rollout-${name}-`));
        this.fleetFile = path.join(dir, "fleet.yaml");
        const clusters = FLEET.map((c) => `  - { name: ${c.name}, region: ${c.region}, kubeconfig: ${c.kwok}.yaml }`).join("\n");
        fs.writeFileSync(this.fleetFile, `kubeconfigDir: ${kubeconfigDir()}\nclusters:\n${clusters}\nstacks: { by: cluster }\n`);
        // Stack config files of an earlier scenario (another backend) must not leak into this one.
        for (const f of fs.readdirSync(PROGRAM)) if (/^Pulumi\..+\.yaml$/.test(f)) fs.rmSync(path.join(PROGRAM, f));
        for (const c of FLEET) this.kubectl(c.name, "delete", "namespace", this.namespace, "--ignore-not-found", "--wait=true", "--timeout=120s");
    }

    /** The arguments every preview and up of this scenario passes. */
    private base(command: string): string[] {
        return [command, "-f", this.fleetFile, "-C", PROGRAM, "--json", "--concurrency", "3", "--config", `namespace=${this.namespace}`, "--config", `fleetFile=${this.fleetFile}`];
    }

    /** Starts the command as a user would in development (`npm run rollout -- …`). */
    start(command: string, ...args: string[]): { child: ChildProcess; done: Promise<CliRun>; stderr: () => string } {
        return startRollout(this.vars, [...this.base(command), ...args]);
    }

    /** Runs the command to its end. */
    async cli(command: string, ...args: string[]): Promise<CliRun> {
        const result = await this.start(command, ...args).done;
        if (result.json === undefined) throw new Error(`fleet-rollout ${command} printed no JSON (exit ${result.code}):\n${result.stderr}\n${result.stdout}`);
        return result;
    }

    kubectl(cluster: ClusterName, ...args: string[]): string {
        const kwok = FLEET.find((c) => c.name === cluster)!.kwok;
        return run("kubectl", ["--kubeconfig", path.join(kubeconfigDir(), `${kwok}.yaml`), "--request-timeout=10s", ...args]);
    }

    get(cluster: ClusterName, kind: string, name: string): any {
        return JSON.parse(this.kubectl(cluster, "-n", this.namespace, "get", kind, name, "-o", "json"));
    }

    logLevel(cluster: ClusterName): string {
        return this.get(cluster, "configmap", "app-config").data.LOG_LEVEL;
    }

    /** The web Deployment's rollout revision. */
    revision(cluster: ClusterName): string {
        return this.get(cluster, "deployment", "web").metadata.annotations["deployment.kubernetes.io/revision"];
    }

    /** When the program last wrote the cluster's ConfigMap, from its managed fields (second resolution). */
    configMapWrittenAt(cluster: ClusterName): number {
        const cm = JSON.parse(this.kubectl(cluster, "-n", this.namespace, "get", "configmap", "app-config", "-o", "json", "--show-managed-fields"));
        const fields: { time: string }[] = cm.metadata.managedFields;
        return Math.max(...fields.map((f) => Date.parse(f.time)));
    }

    webReady(cluster: ClusterName): boolean {
        const web = this.get(cluster, "deployment", "web");
        return web.status.updatedReplicas === 2 && web.status.readyReplicas === 2 && web.status.observedGeneration === web.metadata.generation;
    }

    report(line: string): void {
        console.log(`      [${this.name}] ${line}`);
    }

    /** Clears the scenario's objects from every cluster; its throwaway backend stays in the temp dir. */
    dispose(): void {
        for (const c of FLEET) {
            try {
                this.kubectl(c.name, "delete", "namespace", this.namespace, "--ignore-not-found", "--wait=false");
            } catch {
                // A stopped cluster is cleaned when the next scenario of this name starts.
            }
        }
    }
}

function scenario(title: string, name: string, body: (s: RolloutScenario) => Promise<void>) {
    it(title, async () => {
        const s = new RolloutScenario(name);
        try {
            await body(s);
        } finally {
            s.dispose();
        }
    });
}

/** Changed clusters of a preview's or up's JSON. */
function changedClusters(json: any): string[] {
    const clusters = json.clusters ?? json.waves.flatMap((w: any) => w.stacks.flatMap((s: any) => s.clusters));
    return clusters.filter((c: any) => c.changed).map((c: any) => c.cluster).sort();
}

async function deployEverything(s: RolloutScenario): Promise<void> {
    const first = await s.cli("up");
    assert.strictEqual(first.code, 0, first.stderr);
    for (const c of ALL) assert.ok(s.webReady(c), `web ready in ${c}`);
}

describe("the fleet rollout command on the real engine (6 local clusters, 3 regions, one stack per cluster)", function () {
    this.timeout(30 * 60 * 1000);

    before(() => {
        // fleet-1 and fleet-2 are shared with the main suite: start the fleet only when one of ours is missing.
        const answers = (kwok: string) => {
            try {
                return run("kubectl", ["--kubeconfig", path.join(kubeconfigDir(), `${kwok}.yaml`), "--request-timeout=5s", "get", "--raw", "/readyz"]).trim() === "ok";
            } catch {
                return false;
            }
        };
        if (!FLEET.every((c) => answers(c.kwok))) execFileSync(FLEET_SCRIPT, ["up", "7"], { env: env(), stdio: ["ignore", "inherit", "inherit"] });
    });

    scenario("preview lists exactly the clusters that change, and up rolls them wave by wave in order", "waves", async (s) => {
        await deployEverything(s);

        const preview = await s.cli("preview", "--config", "euApiUrl=https://api-v2.eu.example.com");
        assert.strictEqual(preview.code, 0, preview.stderr);
        assert.deepStrictEqual(changedClusters(preview.json), [...EU].sort(), "exactly the EU clusters change");
        for (const c of preview.json.clusters.filter((x: any) => x.changed)) {
            assert.deepStrictEqual(c.configMaps, [{ name: `${s.namespace}/app-config`, op: "update", keys: ["API_URL"] }]);
            assert.deepStrictEqual(c.restarts, [{ name: "deployment/web", op: "update" }]);
        }
        s.report(`preview: changes in ${changedClusters(preview.json).join(", ")}; unchanged: ${preview.json.clusters.filter((c: any) => !c.changed).map((c: any) => c.cluster).join(", ")}`);

        const before = Object.fromEntries(ALL.map((c) => [c, s.revision(c)]));
        const up = await s.cli("up", ...WAVES, "--config", "logLevel=warn");
        assert.strictEqual(up.code, 0, up.stderr);
        assert.deepStrictEqual(up.json.waves.map((w: any) => `${w.name}:${w.status}:${w.stacks.map((x: any) => x.name).join("+")}`), [
            `canary:succeeded:${CANARY}`,
            "eu:succeeded:eu-west-1+eu-central-1",
            "rest:succeeded:us-east-1+ap-south-1+ap-northeast-1",
        ]);
        for (const c of ALL) {
            assert.strictEqual(s.logLevel(c), "warn", `new config in ${c}`);
            assert.notStrictEqual(s.revision(c), before[c], `web rolled in ${c}`);
            assert.ok(s.webReady(c), `web ready in ${c}`);
        }
        // The order, as the clusters record it: each wave's ConfigMaps were written after the previous wave's.
        const at = (cs: ClusterName[]) => cs.map((c) => s.configMapWrittenAt(c));
        assert.ok(Math.max(...at([CANARY])) <= Math.min(...at(EU)), "EU written after the canary");
        assert.ok(Math.max(...at(EU)) <= Math.min(...at(REST)), "the rest written after EU");
        assert.ok(Math.max(...at([CANARY])) < Math.min(...at(REST)), "the rest strictly after the canary");
        // And as the progress shows it: no EU stack started before the canary's stack finished.
        const progress = up.stderr;
        assert.ok(progress.indexOf(`stack ${CANARY} (${CANARY}): changed`) < progress.indexOf("stack eu-west-1 (eu-west-1)"), progress);
        s.report(`ConfigMaps written at ${ALL.map((c) => `${c} ${new Date(s.configMapWrittenAt(c)).toISOString().slice(11, 19)}`).join(", ")}`);
    });

    scenario("a canary whose rollout never becomes ready stops the rollout and leaves later waves untouched; a re-run after the fix converges", "canary-fails", async (s) => {
        await deployEverything(s);
        const before = Object.fromEntries(ALL.map((c) => [c, s.revision(c)]));

        const failed = await s.cli("up", ...WAVES, "--config", "logLevel=warn", "--config", `brokenClusters=${CANARY}`);
        assert.strictEqual(failed.code, 1, failed.stderr);
        assert.strictEqual(failed.json.status, "failed");
        assert.deepStrictEqual(failed.json.failedClusters, [CANARY]);
        assert.deepStrictEqual(failed.json.notStartedWaves, ["eu", "rest"]);
        assert.match(failed.json.waves[0].stacks[0].error, new RegExp(`^stack ${CANARY}: `));
        assert.doesNotMatch(failed.stderr, /\n\s+at .+\(.+:\d+:\d+\)/, "no stack trace");
        for (const c of [...EU, ...REST]) {
            assert.strictEqual(s.logLevel(c), "info", `${c} keeps its config`);
            assert.strictEqual(s.revision(c), before[c], `${c} did not roll`);
        }
        assert.strictEqual(s.logLevel(CANARY), "warn", "the canary got the change");
        assert.strictEqual(s.webReady(CANARY), false, "and its rollout is stuck");
        s.report(`canary failed: ${failed.json.waves[0].stacks[0].error.slice(0, 160)}`);

        const fixed = await s.cli("up", ...WAVES, "--config", "brokenClusters=");
        assert.strictEqual(fixed.code, 0, fixed.stderr);
        assert.deepStrictEqual(fixed.json.waves.map((w: any) => w.status), ["succeeded", "succeeded", "succeeded"]);
        for (const c of ALL) {
            assert.strictEqual(s.logLevel(c), "warn", `${c} converged`);
            assert.ok(s.webReady(c), `web ready in ${c}`);
        }

        const again = await s.cli("up", ...WAVES);
        assert.strictEqual(again.code, 0, again.stderr);
        assert.deepStrictEqual(changedClusters(again.json), [], "a converged fleet is a no-op");
        assert.ok(again.json.waves.every((w: any) => w.stacks.every((x: any) => x.status === "unchanged")));
        s.report("fixed: every wave succeeded; a third run changed nothing");
    });

    scenario("an unreachable canary cluster fails its wave by name and later waves stay untouched", "canary-down", async (s) => {
        await deployEverything(s);
        run(FLEET_SCRIPT, ["stop-cluster", "fleet-4"]);
        let failed: CliRun;
        try {
            failed = await s.cli("up", ...WAVES, "--config", "logLevel=warn");
        } finally {
            run(FLEET_SCRIPT, ["start-cluster", "fleet-4"]);
        }
        assert.strictEqual(failed.code, 1, failed.stderr);
        assert.deepStrictEqual(failed.json.failedClusters, [CANARY]);
        assert.deepStrictEqual(failed.json.notStartedWaves, ["eu", "rest"]);
        for (const c of [...EU, ...REST]) assert.strictEqual(s.logLevel(c), "info", `${c} untouched`);
        const rerun = await s.cli("up", ...WAVES, "--refresh");
        assert.strictEqual(rerun.code, 0, rerun.stderr);
        for (const c of ALL) assert.strictEqual(s.logLevel(c), "warn", `${c} converged`);
        s.report(`fleet-4 stopped: ${failed.json.waves[0].stacks[0].error.slice(0, 160)}; back up: converged`);
    });

    scenario("an interrupted rollout (SIGINT) stops cleanly, and a re-run completes it with nothing lost", "interrupted", async (s) => {
        await deployEverything(s);
        const running = s.start("up", ...WAVES, "--concurrency", "1", "--config", "logLevel=warn");
        // Interrupt in the middle of the EU wave, while a stack is updating.
        const deadline = Date.now() + 5 * 60 * 1000;
        while (!/update (app-config|web)-eu-west-1/.test(running.stderr()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
        assert.ok(Date.now() < deadline, `the EU wave never started:\n${running.stderr()}`);
        running.child.kill("SIGINT");
        const interrupted = await running.done;
        assert.strictEqual(interrupted.code, 130, interrupted.stderr);
        assert.strictEqual(interrupted.json.status, "interrupted");
        assert.deepStrictEqual(interrupted.json.waves.map((w: any) => w.status), ["succeeded", "interrupted", "not started"]);
        for (const c of REST) assert.strictEqual(s.logLevel(c), "info", `${c} not started`);
        s.report(`interrupted: ${JSON.stringify(interrupted.json.waves[1].stacks.map((x: any) => `${x.name}:${x.status}`))}`);

        const rerun = await s.cli("up", ...WAVES);
        assert.strictEqual(rerun.code, 0, rerun.stderr);
        for (const c of ALL) {
            assert.strictEqual(s.logLevel(c), "warn", `${c} has the change`);
            assert.ok(s.webReady(c), `web rolled and ready in ${c}`);
        }
        const check = await s.cli("preview", "--refresh");
        assert.strictEqual(check.code, 0, check.stderr);
        assert.deepStrictEqual(changedClusters(check.json), [], "state and clusters agree: nothing pending, nothing lost");
        s.report(`re-run: ${rerun.json.waves.map((w: any) => `${w.name} ${w.stacks.map((x: any) => x.status).join("/")}`).join("; ")}; refreshed preview: no changes`);
    });

    it("refuses bad waves before running anything, naming what is wrong", async () => {
        const s = new RolloutScenario("bad-input");
        const bad = await s.start("up", "--wave", "canary=cluster:us-wst-2", "--wave", "eu=region:eu", "--wave", "eu2=cluster:eu-west-1", "--wave", "rest=*", "--wave", "late=*").done;
        assert.strictEqual(bad.code, 2);
        assert.strictEqual(bad.stdout, "");
        assert.match(bad.stderr, /`--wave canary`: cluster:us-wst-2: the fleet has no cluster "us-wst-2"/);
        assert.match(bad.stderr, /`--wave eu2` \(cluster "eu-west-1"\): is already in wave "eu" \(region:eu\); a cluster rolls out in one wave/);
        assert.match(bad.stderr, /`--wave late`: names no stack: every cluster is already in an earlier wave/);
        assert.ok(fs.readdirSync(PROGRAM).every((f) => !/^Pulumi\..+\.yaml$/.test(f)), "no stack was even selected");
    });
});
