import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CliRun, kubeconfigDir, pulumiEnv, removeStackSettings, ROOT, startRollout } from "./harness";
import { clearNamespace, dropNamespace, ensureSixClusters, kubectlOn, releaseSixClusters, SIX_CLUSTERS, SixClusterName, useSixClusters } from "./six-clusters";

/**
 * Re-sharding a live fleet (issue 31) on the real engine: the rollout command (lib/rollout-cli) over
 * the local fleet of 6 clusters (six-clusters.ts), one program (tests/e2e/reshard-program) whose stacks
 * change with the fleet file's layout. When the layout changes, every cluster's resources move
 * between the stacks' states (`pulumi state move`) before anything runs: nothing is deleted or
 * created in any cluster, and every object keeps its UID, its generation and its data.
 *
 * The text outputs docs/SHARDS.md quotes are asserted verbatim against tests/e2e/reshard-expected/
 * (`UPDATE_RESHARD_EXPECTED=1` rewrites them from a run, to be reviewed like code).
 */

const FLEET = SIX_CLUSTERS;
type ClusterName = SixClusterName;
const PROGRAM = path.join(__dirname, "reshard-program");
const EXPECTED = path.join(__dirname, "reshard-expected");

/** One scenario: its own namespace in every cluster, its own file backend. */
class ReshardScenario {
    readonly namespace: string;
    readonly fleetFile: string;
    readonly vars: Record<string, string>;
    readonly backend: string;

    constructor(readonly name: string) {
        this.namespace = `e2e-reshard-${name}`;
        // Transpile-only, as the command's one type-check would have the stacks run: the rollout suite
        // proves that check, and `npm run typecheck` checks this program (tsconfig.json includes tests/).
        this.vars = { ...pulumiEnv(`reshard-${name}`, "e2e-only-passphrase"), PULUMI_NODEJS_TRANSPILE_ONLY: "true" };
        this.backend = this.vars.PULUMI_BACKEND_URL.replace(/^file:\/\//, "");
        this.fleetFile = path.join(fs.mkdtempSync(path.join(os.tmpdir(), `reshard-${name}-`)), "fleet.yaml");
        removeStackSettings(PROGRAM);
        clearNamespace(this.namespace);
    }

    /**
     * Writes the fleet file with this stack layout and config; `renamed` gives clusters new names, their
     * old ones as `formerNames`; `regions` gives clusters another region.
     */
    setFleet(stacks: string, config: Record<string, string> = {}, renamed: Partial<Record<ClusterName, string>> = {}, regions: Partial<Record<ClusterName, string>> = {}): void {
        const clusters = FLEET.map((c) =>
            renamed[c.name]
                ? `  - { name: ${renamed[c.name]}, region: ${regions[c.name] ?? c.region}, kubeconfig: ${c.kwok}.yaml, formerNames: [${c.name}] }`
                : `  - { name: ${c.name}, region: ${regions[c.name] ?? c.region}, kubeconfig: ${c.kwok}.yaml }`,
        ).join("\n");
        const lines = Object.entries({ namespace: this.namespace, fleetFile: this.fleetFile, ...config }).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`).join("\n");
        fs.writeFileSync(this.fleetFile, `kubeconfigDir: ${kubeconfigDir()}\nclusters:\n${clusters}\nstacks: ${stacks}\nnamespaces: [${this.namespace}]\nconfig:\n${lines}\n`);
    }

    /** Runs the command to its end, `--json`. */
    async cli(command: string, ...args: string[]): Promise<CliRun> {
        const result = await startRollout(this.vars, [command, "-f", this.fleetFile, "-C", PROGRAM, "--json", ...(command === "plan" ? [] : ["--concurrency", "3"]), ...args]).done;
        if (result.json === undefined) throw new Error(`fleet-rollout ${command} printed no JSON (exit ${result.code}):\n${result.stderr}\n${result.stdout}`);
        return result;
    }

    /** Runs the command as a reader sees it: text, no progress. */
    text(command: string, ...args: string[]): Promise<CliRun> {
        return startRollout(this.vars, [command, "-f", this.fleetFile, "-C", PROGRAM, ...(command === "plan" ? [] : ["--no-progress"]), ...args]).done;
    }

    /** Every object the program made in every cluster: its UID, generation and (for the ConfigMap) data. */
    objects(): Record<string, { uid: string; generation?: number; data?: Record<string, string> }> {
        const out: Record<string, { uid: string; generation?: number; data?: Record<string, string> }> = {};
        for (const c of FLEET) {
            const ns = JSON.parse(kubectlOn(c.name, "get", "namespace", this.namespace, "-o", "json"));
            const cm = JSON.parse(kubectlOn(c.name, "-n", this.namespace, "get", "configmap", "app-config", "-o", "json"));
            const web = JSON.parse(kubectlOn(c.name, "-n", this.namespace, "get", "deployment", "web", "-o", "json"));
            out[`${c.name}/namespace`] = { uid: ns.metadata.uid };
            out[`${c.name}/configmap/app-config`] = { uid: cm.metadata.uid, data: cm.data };
            out[`${c.name}/deployment/web`] = { uid: web.metadata.uid, generation: web.metadata.generation };
        }
        return out;
    }

    /** The types and names of a stack's state, as `pulumi stack export` gives them. */
    stateOf(stack: string): string[] {
        const exported = JSON.parse(execFileSync("pulumi", ["stack", "export", "--stack", stack], { cwd: PROGRAM, env: this.vars, encoding: "utf8" }));
        return (exported.deployment.resources ?? []).map((r: { type: string; urn: string }) => `${r.type}::${r.urn.split("::").pop()}`);
    }

    dispose(): void {
        dropNamespace(this.namespace);
        removeStackSettings(PROGRAM);
    }
}

/**
 * Every engine operation of a preview's or up's JSON, on clusters and outside them, as `op cluster name`
 * or `op (stack) Type/name`. A new stack's first run creates, outside every cluster, the components the
 * program registers there (`Fleet/…`, `FleetConfigMap/…`) and the engine's own `pulumi/default` provider.
 */
function operations(json: any): string[] {
    const stacks = json.stacks ?? json.waves.flatMap((w: any) => w.stacks);
    const clusters = json.clusters ?? stacks.flatMap((s: any) => s.clusters);
    const onClusters = clusters.flatMap((c: any) => [...c.configMaps, ...c.restarts, ...c.other].map((r: any) => `${r.op} ${c.cluster} ${r.name}`));
    const outside = stacks.flatMap((s: any) => s.outside.map((r: any) => `${r.op} (${s.name ?? s.stack}) ${r.name}`));
    return [...onClusters, ...outside];
}

/** Asserts that `text` is the expected output `file`, or rewrites the file with UPDATE_RESHARD_EXPECTED=1. */
function assertExpected(file: string, text: string): void {
    const at = path.join(EXPECTED, file);
    if (process.env.UPDATE_RESHARD_EXPECTED === "1") fs.writeFileSync(at, text);
    assert.strictEqual(text, fs.readFileSync(at, "utf8"), `the output differs from ${path.relative(ROOT, at)}, which docs/SHARDS.md quotes`);
}

function scenario(title: string, name: string, body: (s: ReshardScenario) => Promise<void>) {
    it(title, async () => {
        ensureSixClusters();
        const s = new ReshardScenario(name);
        try {
            await body(s);
        } finally {
            s.dispose();
        }
    });
}

describe("re-sharding a live fleet on the real engine (6 local clusters): clusters move between stacks' states, nothing is deleted", function () {
    this.timeout(30 * 60 * 1000);

    useSixClusters(this);
    before(() => ensureSixClusters());
    after(() => releaseSixClusters(this));

    // One scenario walks every layout change, each step starting from the fleet the one before it
    // left (one first deploy, not one per layout change): regions, 2 shards, 3 shards, one stack per
    // cluster with a cluster renamed.
    scenario(
        "from one stack per region to 2 shards, to 3, then to one per cluster with a cluster renamed: up --stack of a stack a cluster leaves is refused; plan lists the moves, preview deletes nothing, a locked stack is refused, move and up move the clusters first and keep every UID, generation and data; a config change then rolls in the new waves",
        "layout",
        async (s) => {
            s.setFleet("{ by: region }");
            const first = await s.cli("up");
            assert.strictEqual(first.code, 0, first.stderr);
            const before = s.objects();

            // A cluster that leaves a stack still planned (us-west-2 moves from "us" to "ap"): a run of that
            // stack alone, as a CI job runs it, is refused before anything runs, since it would delete the
            // cluster; nothing moved.
            s.setFleet("{ by: region }", {}, {}, { "us-west-2": "ap" });
            for (const command of ["preview", "up"]) {
                const refused = await s.text(command, "--stack", "us");
                assert.strictEqual(refused.code, 2, `${command}: ${refused.stderr}`);
                assert.match(refused.stderr, /`stack us` \(cluster "us-west-2"\): moves to stack "ap", which --stack does not select, .*run `fleet-rollout move` \(without --stack\) first/);
            }
            assert.ok(s.stateOf("us").includes("kubernetes:apps/v1:Deployment::web-us-west-2"), "us still holds us-west-2");

            // Regions to 2 shards: preview deletes nothing; up moves every cluster first.
            s.setFleet("{ shards: 2 }");
            const toShards = await s.cli("preview");
            assert.strictEqual(toShards.code, 0, toShards.stderr);
            assert.deepStrictEqual(operations(toShards.json).filter((o) => /^(delete|replace)/.test(o)), []);
            assert.deepStrictEqual(toShards.json.stateMoves.emptiedStacks, ["ap", "eu", "us"]);

            const sharded = await s.cli("up");
            assert.strictEqual(sharded.code, 0, sharded.stderr);
            assert.strictEqual(sharded.json.stateMoves.moves.length, 6);
            assert.deepStrictEqual(operations(sharded.json).filter((o) => !/^create \(shard-\d-of-2\) (Fleet|FleetConfigMap|pulumi)\//.test(o)), []);
            assert.deepStrictEqual(s.objects(), before, "every UID, generation and ConfigMap's data kept");
            for (const old of ["us", "eu", "ap"]) assert.deepStrictEqual(s.stateOf(old).filter((r) => r.startsWith("kubernetes:")), [], `${old} holds no cluster`);

            // 2 shards to 3.
            s.setFleet("{ shards: 3 }");
            const plan = await s.text("plan");
            assert.strictEqual(plan.code, 0, plan.stderr);
            assertExpected("plan.txt", plan.stdout);
            const planned = await s.cli("plan");
            assert.strictEqual(planned.json.stateMoves.moves.length, 6, "every cluster moves: every stack name changes with the count");

            // Before the moves: preview runs only the new stacks (the old ones are not in the plan, and
            // nothing runs them), which list the moves to come and delete or replace nothing.
            const pending = await s.cli("preview");
            assert.strictEqual(pending.code, 0, pending.stderr);
            assert.strictEqual(pending.json.stateMoves.moves.length, 6);
            assert.deepStrictEqual(operations(pending.json).filter((o) => /^(delete|replace)/.test(o)), []);

            // A locked stack is refused by name, before anything moves.
            const lock = path.join(s.backend, ".pulumi", "locks", "organization", "fleet-configmap-e2e-reshard", "shard-1-of-2");
            fs.mkdirSync(lock, { recursive: true });
            fs.writeFileSync(path.join(lock, "e2e-held.json"), JSON.stringify({ pid: 1, username: "e2e", hostname: "e2e", timestamp: new Date().toISOString() }));
            const locked = await s.text("move");
            fs.rmSync(lock, { recursive: true });
            assert.strictEqual(locked.code, 2, locked.stderr);
            assert.match(locked.stderr, /`stack shard-1-of-2`: is locked: an update of it is running/);
            assert.deepStrictEqual(s.stateOf("shard-1-of-2").filter((r) => r.startsWith("kubernetes:")).length > 0, true, "nothing moved");

            const moved = await s.text("move");
            assert.strictEqual(moved.code, 0, moved.stderr);
            const movedLines = moved.stdout.trimEnd().split("\n");
            assert.strictEqual(movedLines[0], "6 clusters changed stack: their resources moved between the stacks' states before anything ran, so nothing is deleted or created");
            for (const c of FLEET) assert.ok(movedLines.some((l) => l.startsWith(`  ${c.name}: shard-`) && l.endsWith("(3 resources)")), `${c.name} moved: ${moved.stdout}`);
            for (const old of ["shard-1-of-2", "shard-2-of-2"]) {
                assert.deepStrictEqual(s.stateOf(old).filter((r) => r.startsWith("kubernetes:") || r.startsWith("pulumi:providers:kubernetes")), [], `${old} holds no cluster`);
            }

            // After the moves: nothing to create, delete or replace in any cluster.
            const after = await s.cli("preview");
            assert.strictEqual(after.code, 0, after.stderr);
            assert.deepStrictEqual(after.json.stateMoves.moves, []);
            assert.deepStrictEqual(operations(after.json).filter((o) => !/^create \(shard-\d-of-3\) (Fleet|FleetConfigMap|pulumi)\//.test(o)), []);

            const up = await s.cli("up");
            assert.strictEqual(up.code, 0, up.stderr);
            assert.deepStrictEqual(operations(up.json).filter((o) => !/^create \(shard-\d-of-3\) (Fleet|FleetConfigMap|pulumi)\//.test(o)), []);
            assert.deepStrictEqual(s.objects(), before, "every UID, generation and ConfigMap's data kept");

            // A config change afterwards rolls as usual, in the new stacks' waves.
            s.setFleet("{ shards: 3 }", { logLevel: "debug" });
            const change = await s.cli("up", "--wave", "first=shard:1/3", "--wave", "rest=*");
            assert.strictEqual(change.code, 0, change.stderr);
            assert.deepStrictEqual(change.json.waves.map((w: any) => [w.name, w.status, w.stacks.map((st: any) => st.name)]), [
                ["first", "succeeded", ["shard-1-of-3"]],
                ["rest", "succeeded", ["shard-2-of-3", "shard-3-of-3"]],
            ]);
            const changed = s.objects();
            for (const c of FLEET) {
                assert.strictEqual(changed[`${c.name}/configmap/app-config`].data!.LOG_LEVEL, "debug");
                assert.strictEqual(changed[`${c.name}/configmap/app-config`].uid, before[`${c.name}/configmap/app-config`].uid, "updated in place");
                assert.strictEqual(changed[`${c.name}/deployment/web`].generation, before[`${c.name}/deployment/web`].generation! + 1, "web restarts once, for the change");
            }

            // A cluster renamed with its old name declared: its stack changes with its name (one stack per
            // cluster), and up moves it and keeps every object.
            s.setFleet("{ by: cluster }", { logLevel: "debug" }, { "ap-south-1": "ap-south-1b" });
            const renamed = await s.cli("up");
            assert.strictEqual(renamed.code, 0, renamed.stderr);
            const moves = renamed.json.stateMoves.moves.filter((m: any) => m.cluster === "ap-south-1b");
            assert.strictEqual(moves.length, 1);
            assert.match(`${moves[0].from} → ${moves[0].to}`, /^shard-\d-of-3 → ap-south-1b$/);
            assert.deepStrictEqual(operations(renamed.json).filter((o) => !/^create \([^)]+\) (Fleet|FleetConfigMap|pulumi)\//.test(o)), []);
            assert.deepStrictEqual(s.objects(), changed, "every UID, generation and ConfigMap's data kept, the renamed cluster's too");
        },
    );
});
