import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { ALL_CLUSTERS, CliRun, Cluster, ensureFleet, kubectl, kubectlGet, pulumiEnv, ROOT, startRollout } from "./harness";

/**
 * `fleet-rollout explain` and `drift` on the real engine: the example program (examples/fleet) with
 * its own fleet.yaml (three local clusters, stacks `us` and `eu`), deployed by `fleet-rollout up` into
 * a namespace of its own, on a file backend of its own.
 */

const NAMESPACE = "e2e-explain-drift";
// The example's fleet.yaml, with the config this suite's stacks run with (its own namespace) committed in it.
const FLEET_FILE = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "explain-drift-fleet-")), "fleet.yaml");
const example = parseYaml(fs.readFileSync(path.join(ROOT, "examples/fleet/fleet.yaml"), "utf8"));
// Its waves as they stand, soak and gate included; the gate's path made absolute, since this copy lives elsewhere.
const waves = example.waves.map((w: any) => (w.gate ? { ...w, gate: path.join(ROOT, "examples/fleet", w.gate) } : w));
fs.writeFileSync(FLEET_FILE, stringifyYaml({ ...example, waves, namespaces: [NAMESPACE, "default"], config: { ...example.config, namespace: NAMESPACE } }));
const STACKS = ["us", "eu"];

/** Runs the command as a user would in development (`npm run rollout -- …`). */
function cli(vars: Record<string, string>, command: string, ...args: string[]): Promise<CliRun> {
    return startRollout(vars, [command, "-f", FLEET_FILE, "-C", ROOT, "--json", ...args]).done;
}

function appConfig(cluster: Cluster): Record<string, string> {
    return kubectlGet(cluster, NAMESPACE, "configmap", "app-config").data;
}

function report(line: string): void {
    console.log(`      [explain-drift] ${line}`);
}

describe("fleet-rollout explain and drift on the real engine (the example on 3 local clusters, stacks us and eu)", function () {
    this.timeout(15 * 60 * 1000);
    // The example's gate checks the namespace this suite deploys to.
    // Transpile-only from the start, as the command's one type-check would have its stacks: the check
    // itself is proven by the rollout suite, so these runs are spared it.
    const vars = { ...pulumiEnv("explain-drift", "e2e-only-passphrase"), SMOKE_NAMESPACE: NAMESPACE, PULUMI_NODEJS_TRANSPILE_ONLY: "true" };
    // A repair is one wave of both stacks: the example's own waves, with their 30 s soak and gate, are
    // proven by the first up in before(); soaking again after each repair would prove nothing new.
    const REPAIR = ["up", "--refresh", "--no-progress", "--wave", "repair=*"] as const;
    // The example's stack config files live beside Pulumi.yaml at the repository root; a developer's own
    // `us`/`eu` files (another backend, another salt) are put aside for the suite and put back after it.
    const aside = fs.mkdtempSync(path.join(os.tmpdir(), "explain-drift-config-"));
    const configFiles = STACKS.map((s) => path.join(ROOT, `Pulumi.${s}.yaml`));

    before(async () => {
        ensureFleet();
        for (const f of configFiles) if (fs.existsSync(f)) fs.renameSync(f, path.join(aside, path.basename(f)));
        for (const c of ALL_CLUSTERS) kubectl(c, "delete", "namespace", NAMESPACE, "--ignore-not-found", "--wait=true", "--timeout=120s");
        const up = await cli(vars, "up", "--no-progress");
        assert.strictEqual(up.code, 0, up.stderr);
    });

    after(() => {
        for (const c of ALL_CLUSTERS) {
            try {
                kubectl(c, "delete", "namespace", NAMESPACE, "--ignore-not-found", "--wait=false");
            } catch {
                // cleaned by the next run's before()
            }
        }
        for (const f of configFiles) {
            fs.rmSync(f, { force: true });
            const kept = path.join(aside, path.basename(f));
            if (fs.existsSync(kept)) fs.renameSync(kept, f);
        }
    });

    it("refuses stacks that were never deployed, and an unknown ConfigMap, before running anything", async () => {
        const empty = pulumiEnv("explain-drift-empty", "e2e-only-passphrase");
        for (const command of [["explain", "app-config"], ["drift"]]) {
            const r = await cli(empty, command[0], ...command.slice(1));
            assert.strictEqual(r.code, 2, `${command[0]}: ${r.stderr}`);
            assert.strictEqual(r.stdout, "");
            assert.match(r.stderr, /^fleet-rollout: error: a stack was never deployed; nothing was run:\n/);
            assert.match(r.stderr, /`stack us`: was never deployed: the backend has no stack "us" \(clusters us-east-1\); run `fleet-rollout up` first/);
            assert.match(r.stderr, /`stack eu`: was never deployed: the backend has no stack "eu" \(clusters eu-west-1, eu-central-1\)/);
        }
        const backend = empty.PULUMI_BACKEND_URL.replace(/^file:\/\//, "");
        assert.ok(!fs.existsSync(path.join(backend, ".pulumi", "stacks")), "no stack was created in the empty backend");
        report("explain and drift on an empty backend: exit 2, both stacks named as never deployed");

        const wrong = await cli(vars, "explain", "app-confg");
        assert.strictEqual(wrong.code, 2);
        assert.match(wrong.stderr, /`app-confg`: no FleetConfigMap of that name is in the state of stacks us, eu; its FleetConfigMaps are "app-config", "shop-settings"/);
    });

    it("explain shows, per cluster, the layers of the README's override table, read from the stacks' state", async () => {
        // README, "What each cluster gets": LOG_LEVEL, API_URL and FEATURE_X in each cluster, and the layer behind each.
        const expected: Record<Cluster, Record<string, [string | null, string, string]>> = {
            "us-east-1": { LOG_LEVEL: ["info", "base", "data.LOG_LEVEL"], API_URL: ["https://api.example.com", "base", "data.API_URL"], FEATURE_X: ["on", "base", "data.FEATURE_X"] },
            "eu-west-1": {
                LOG_LEVEL: ["info", "base", "data.LOG_LEVEL"],
                API_URL: ["https://api.eu.example.com", "overrides.regions.eu", "overrides.regions.eu.data.API_URL"],
                FEATURE_X: ["on", "base", "data.FEATURE_X"],
            },
            "eu-central-1": {
                LOG_LEVEL: ["debug", "overrides.clusters.eu-central-1", 'overrides.clusters["eu-central-1"].data.LOG_LEVEL'],
                API_URL: ["https://api.eu.example.com", "overrides.regions.eu", "overrides.regions.eu.data.API_URL"],
                FEATURE_X: [null, "overrides.clusters.eu-central-1", 'overrides.clusters["eu-central-1"].remove[0]'],
            },
        };
        for (const cluster of ALL_CLUSTERS) {
            const r = await cli(vars, "explain", "app-config", "--cluster", cluster);
            assert.strictEqual(r.code, 0, r.stderr);
            const got: Record<string, [string | null, string, string]> = {};
            for (const k of r.json.keys) if (k.key in expected[cluster]) got[k.key] = [k.value, k.layer, k.field];
            for (const k of r.json.removed) got[k.key] = [null, k.layer, k.field];
            assert.deepStrictEqual(got, expected[cluster], cluster);
            // And what explain says is what the cluster has.
            const live = appConfig(cluster);
            for (const k of r.json.keys) assert.strictEqual(live[k.key], k.value, `${cluster} ${k.key}`);
            assert.deepStrictEqual(Object.keys(live).sort(), r.json.keys.map((k: any) => k.key).sort(), `${cluster}: the same keys`);
        }

        const across = await cli(vars, "explain", "app-config");
        assert.strictEqual(across.code, 0, across.stderr);
        assert.deepStrictEqual(across.json.same, ["app.properties"]);
        assert.deepStrictEqual(
            across.json.differing.map((k: any) => `${k.key}: ${k.values.map((v: any) => `${v.removed ? "(removed)" : v.value} by ${v.layer} in ${v.clusters.join("+")}`).join(" | ")}`),
            [
                "API_URL: https://api.example.com by base in us-east-1 | https://api.eu.example.com by overrides.regions.eu in eu-west-1+eu-central-1",
                "FEATURE_X: on by base in us-east-1+eu-west-1 | (removed) by overrides.clusters.eu-central-1 in eu-central-1",
                "LOG_LEVEL: info by base in us-east-1+eu-west-1 | debug by overrides.clusters.eu-central-1 in eu-central-1",
            ],
        );
        report(`explain across clusters: ${across.json.differing.map((k: any) => k.key).join(", ")} differ; ${across.json.same.join(", ")} the same`);
    });

    it("drift reports a kubectl edit of one key in one cluster for that cluster and key only (exit 3), changes nothing, and reports in sync after up --refresh (exit 0)", async () => {
        const clean = await cli(vars, "drift", "--no-progress");
        assert.strictEqual(clean.code, 0, clean.stderr);
        assert.deepStrictEqual(clean.json.clusters.map((c: any) => c.status), ["in sync", "in sync", "in sync"]);

        kubectl("eu-west-1", "-n", NAMESPACE, "patch", "configmap", "app-config", "--type", "merge", "-p", '{"data":{"LOG_LEVEL":"trace"}}');
        const drifted = await cli(vars, "drift", "--no-progress");
        assert.strictEqual(drifted.code, 3, drifted.stderr);
        assert.strictEqual(drifted.json.status, "drifted");
        assert.deepStrictEqual(drifted.json.failed, []);
        const byCluster = Object.fromEntries(drifted.json.clusters.map((c: any) => [c.cluster, c]));
        assert.deepStrictEqual(Object.keys(byCluster).sort(), [...ALL_CLUSTERS].sort());
        assert.deepStrictEqual(byCluster["eu-west-1"].configMaps, [{ name: `${NAMESPACE}/app-config`, keys: [{ key: "LOG_LEVEL", drift: "changed", before: "info", after: "trace" }] }]);
        assert.deepStrictEqual(byCluster["eu-west-1"].annotations, []);
        assert.deepStrictEqual(byCluster["eu-west-1"].other, []);
        assert.strictEqual(byCluster["eu-west-1"].status, "drifted");
        for (const c of ["us-east-1", "eu-central-1"]) assert.strictEqual(byCluster[c].status, "in sync", c);
        assert.strictEqual(appConfig("eu-west-1").LOG_LEVEL, "trace", "drift changed nothing in the cluster");
        report(`after kubectl patch of LOG_LEVEL in eu-west-1: exit ${drifted.code}; ${drifted.json.clusters.map((c: any) => `${c.cluster} ${c.status}`).join(", ")}`);

        const repair = await cli(vars, ...REPAIR);
        assert.strictEqual(repair.code, 0, repair.stderr);
        assert.strictEqual(appConfig("eu-west-1").LOG_LEVEL, "info", "up --refresh took the edit back");
        const after = await cli(vars, "drift", "--no-progress");
        assert.strictEqual(after.code, 0, after.stderr);
        assert.strictEqual(after.json.status, "in sync");
        assert.deepStrictEqual(after.json.clusters.map((c: any) => `${c.cluster}:${c.status}`), ["us-east-1:in sync", "eu-west-1:in sync", "eu-central-1:in sync"]);
        report("after fleet-rollout up --refresh: drift exit 0, every cluster in sync");
    });

    it("drift reports a wired workload's hash annotation edited with kubectl, and the field conflict that keeps its preview from running (exit 1)", async () => {
        const key = "checksum.fleet-configmap.dev/app-config";
        const hash = kubectlGet("us-east-1", NAMESPACE, "deployment", "worker").spec.template.metadata.annotations[key];
        kubectl("us-east-1", "-n", NAMESPACE, "patch", "deployment", "worker", "--type", "merge", "-p", JSON.stringify({ spec: { template: { metadata: { annotations: { [key]: "edited" } } } } }));
        try {
            const r = await cli(vars, "drift", "--no-progress");
            assert.strictEqual(r.code, 1, r.stderr);
            assert.strictEqual(r.json.status, "failed");
            const us = r.json.clusters.find((c: any) => c.cluster === "us-east-1");
            assert.deepStrictEqual(us.annotations, [{ workload: "deployment/worker", annotation: key, drift: "changed" }]);
            assert.deepStrictEqual(us.configMaps, []);
            assert.deepStrictEqual(r.json.failed.map((f: any) => f.stack), ["us"]);
            assert.match(r.json.failed[0].error, /^stack us: .*conflict/);
            assert.deepStrictEqual(r.json.clusters.filter((c: any) => c.stack === "eu").map((c: any) => c.status), ["in sync", "in sync"]);
            report(`worker's annotation edited in us-east-1: exit 1, annotation reported, error: ${r.json.failed[0].error.slice(0, 120)}…`);
        } finally {
            // The README's repair: kubectl now owns the annotation, so re-create the workload.
            kubectl("us-east-1", "-n", NAMESPACE, "delete", "deployment", "worker");
            const repair = await cli(vars, ...REPAIR);
            assert.strictEqual(repair.code, 0, repair.stderr);
        }
        assert.strictEqual(kubectlGet("us-east-1", NAMESPACE, "deployment", "worker").spec.template.metadata.annotations[key], hash, "the program's hash is back");
    });
});
