import * as assert from "assert";
import { ALL_CLUSTERS, Cluster, CLUSTERS, CONSUMERS, EngineRun, ensureFleet, EU_CLUSTERS, kubectl, kubectlGet, revisions, run, ROOT, Scenario, touched } from "./harness";
import * as path from "path";

const HASH_KEY = "checksum.fleet-configmap.dev/app-config";
const EXPECTED_DATA: Record<Cluster, Record<string, string>> = {
    "us-east-1": { API_URL: "https://api.example.com", FEATURE_X: "on", LOG_LEVEL: "info" },
    "eu-west-1": { API_URL: "https://api.eu.example.com", FEATURE_X: "on", LOG_LEVEL: "info" },
    "eu-central-1": { API_URL: "https://api.eu.example.com", LOG_LEVEL: "debug" },
};

function configMap(cluster: Cluster, s: Scenario) {
    return kubectlGet(cluster, s.namespace, "configmap", "app-config");
}

function podTemplateHash(cluster: Cluster, s: Scenario, kind: string, name: string): string | undefined {
    return kubectlGet(cluster, s.namespace, kind, name)?.spec.template.metadata.annotations?.[HASH_KEY];
}

/** Runs a scenario on its own stack, and always destroys it. */
function scenario(title: string, name: string, body: (s: Scenario) => Promise<void>, config: Record<string, string> = {}) {
    it(title, async () => {
        const s = await Scenario.create(name, config);
        try {
            await body(s);
        } finally {
            await s.dispose();
        }
    });
}

describe("a fleet on the real engine (3 local clusters, 2 regions)", function () {
    this.timeout(20 * 60 * 1000);

    before(() => ensureFleet());

    /**
     * One stack, deployed once, that the tests below change in turn, in order: each starts from the
     * fleet the one before it left, converged. A first deploy of the fleet is the most expensive step
     * of a test (about a minute of the engine, its providers and the clusters' rollouts), so the tests
     * that only need some deployed fleet share this one instead of each deploying its own.
     */
    describe("one stack, deployed once and changed test by test", function () {
        let s: Scenario;
        let first: EngineRun;

        before(async () => {
            s = await Scenario.create("fleet");
            first = await s.up();
        });
        after(async () => s?.dispose());

        it("first deploy: every cluster holds its effective ConfigMap, and every consumer carries its hash and is ready", async () => {
            const hashes = (await s.stack.outputs()).hashes.value as Record<Cluster, string>;
            s.report(`created ${touched(first, "create").length} resources; hashes ${JSON.stringify(hashes)}`);
            for (const cluster of ALL_CLUSTERS) {
                const cm = configMap(cluster, s);
                assert.deepStrictEqual(cm.data, EXPECTED_DATA[cluster], `data in ${cluster}`);
                for (const w of CONSUMERS) {
                    // db reads only LOG_LEVEL (configMapKeyRef), so it carries a hash of that key alone (per-key restarts).
                    if (w.name === "db") assert.match(podTemplateHash(cluster, s, w.kind, w.name) ?? "", /^[0-9a-f]{64}$/, `db in ${cluster} carries its keys' hash`);
                    else assert.strictEqual(podTemplateHash(cluster, s, w.kind, w.name), hashes[cluster], `${w.kind}/${w.name} in ${cluster} carries the hash`);
                }
                assert.strictEqual(podTemplateHash(cluster, s, "deployment", "static"), undefined, "a workload reading no FleetConfigMap is untouched");
                const web = kubectlGet(cluster, s.namespace, "deployment", "web");
                assert.strictEqual(web.status.readyReplicas, 2, `web ready in ${cluster}`);
            }
            assert.strictEqual(hashes["eu-west-1"] === hashes["us-east-1"], false);
            s.report(`checked with kubectl: data per cluster, ${CONSUMERS.length} consumers annotated per cluster, web 2/2 ready`);
        });

        it("an unchanged program is a no-op", async () => {
            const again = await s.up({ expectNoChanges: true });
            assert.deepStrictEqual(touched(again), []);
            await s.preview({ expectNoChanges: true, refresh: true });
            s.report("second up and refreshed preview: no changes");
        });

        it("bad input fails at preview with the package's message, leaving clusters and state unchanged", async () => {
            const state = await s.state();
            const versions = ALL_CLUSTERS.map((c) => configMap(c, s).metadata.resourceVersion);

            await s.setConfig("bigValueBytes", String(1024 * 1024 + 1));
            const big = await s.previewFailing();
            assert.match(big.error, /FleetConfigMap "app-config" has invalid arguments; nothing was changed/);
            assert.match(big.error, /`data\.BIG` \(cluster "us-east-1"\): the effective ConfigMap holds 1,048,6\d\d bytes of values, over the limit of 1,048,576 bytes \(1 MiB\)/);
            await s.setConfig("bigValueBytes", undefined);

            await s.setConfig("extraRegionOverride", "europe");
            const typo = await s.upFailing();
            assert.match(typo.error, /`overrides\.regions\.europe`: the fleet has no region "europe"; its regions are "us", "eu"/);
            assert.deepStrictEqual(touched(typo), [], "up changed nothing");
            await s.setConfig("extraRegionOverride", undefined);

            assert.deepStrictEqual(await s.state(), state, "state unchanged");
            assert.deepStrictEqual(ALL_CLUSTERS.map((c) => configMap(c, s).metadata.resourceVersion), versions, "clusters unchanged");
            s.report("1 MiB + 1 value and an unknown region: both refused before any change");
        });

        it("a one-region change previews and rolls only that region's ConfigMaps and consumers, updating ConfigMaps in place", async () => {
            const uids = Object.fromEntries(ALL_CLUSTERS.map((c) => [c, configMap(c, s).metadata.uid]));
            const before = revisions(s.namespace);

            await s.setConfig("euApiUrl", "https://api-v2.eu.example.com");
            const preview = await s.preview();
            // db reads only LOG_LEVEL, which this change leaves alone: it does not roll (per-key restarts).
            const expected = EU_CLUSTERS.flatMap((c) => [`app-config-${c}`, `web-${c}`, `worker-${c}`, `agent-${c}`]).sort();
            assert.deepStrictEqual(touched(preview), expected, "preview lists exactly the EU ConfigMaps and their consumers");
            assert.deepStrictEqual(touched(preview, "update"), expected, "all of them as in-place updates");
            s.report(`preview: update ${touched(preview).join(", ")}`);

            const result = await s.up();
            assert.deepStrictEqual(touched(result), expected);
            const after = revisions(s.namespace);
            for (const key of Object.keys(before)) {
                const [cluster, , name] = key.split("/");
                const shouldRoll = EU_CLUSTERS.includes(cluster as Cluster) && name !== "static" && name !== "db";
                if (shouldRoll) assert.notStrictEqual(after[key], before[key], `${key} rolled`);
                else assert.strictEqual(after[key], before[key], `${key} kept its revision`);
            }
            for (const cluster of ALL_CLUSTERS) {
                assert.strictEqual(configMap(cluster, s).metadata.uid, uids[cluster], `ConfigMap in ${cluster} updated in place`);
            }
            assert.strictEqual(configMap("eu-west-1", s).data.API_URL, "https://api-v2.eu.example.com");
            assert.strictEqual(configMap("us-east-1", s).data.API_URL, "https://api.example.com");
            s.report(`revisions before ${JSON.stringify(before)}`);
            s.report(`revisions after  ${JSON.stringify(after)}`);
        });

        it("drift in one cluster is shown by a refreshed preview for that cluster only and repaired by up --refresh", async () => {
            // What the program gives eu-west-1 now (the one-region change above may have run before this).
            const declared = configMap("eu-west-1", s).data;
            kubectl("eu-west-1", "-n", s.namespace, "patch", "configmap", "app-config", "--type=merge", "-p", '{"data":{"LOG_LEVEL":"tampered"}}');
            const preview = await s.preview({ refresh: true });
            assert.deepStrictEqual(touched(preview, "update"), ["app-config-eu-west-1"], "only the drifted ConfigMap shows a diff");
            s.report(`kubectl patch in eu-west-1; preview --refresh: update ${touched(preview, "update").join(", ")}`);
            await s.up({ refresh: true });
            assert.deepStrictEqual(configMap("eu-west-1", s).data, declared, "drift repaired");
            assert.strictEqual(declared.LOG_LEVEL, EXPECTED_DATA["eu-west-1"].LOG_LEVEL, "repaired to the declared value, not the tampered one");

            const before = revisions(s.namespace);
            kubectl("us-east-1", "-n", s.namespace, "rollout", "restart", "deployment/web");
            kubectl("us-east-1", "-n", s.namespace, "rollout", "status", "deployment/web", "--timeout=120s");
            const restarted = revisions(s.namespace)["us-east-1/deployment/web"];
            assert.notStrictEqual(restarted, before["us-east-1/deployment/web"]);
            await s.up({ refresh: true });
            assert.strictEqual(revisions(s.namespace)["us-east-1/deployment/web"], restarted, "the next up does not undo a rollout restart");
            const web = kubectlGet("us-east-1", s.namespace, "deployment", "web");
            assert.ok(web.spec.template.metadata.annotations["kubectl.kubernetes.io/restartedAt"], "restartedAt kept");
            s.report(`rollout restart in us-east-1 (revision ${restarted}) survived up --refresh`);
        });

        it("an unreachable cluster fails by name under --continue-on-error, and the fleet converges once it is back", async () => {
            const fleetScript = path.join(ROOT, "scripts/fleet");
            run(fleetScript, ["stop-cluster", CLUSTERS["eu-central-1"]]);
            try {
                await s.setConfig("euApiUrl", "https://api-v3.eu.example.com");
                const failed = await s.upFailing({ continueOnError: true });
                assert.match(failed.error + failed.diagnostics.join("\n"), /eu-central-1/, "the failing cluster is named");
                assert.strictEqual(configMap("eu-west-1", s).data.API_URL, "https://api-v3.eu.example.com", "the reachable EU cluster was updated");
                s.report(`with eu-central-1 down: updated ${touched(failed, "update").join(", ")}`);
            } finally {
                run(fleetScript, ["start-cluster", CLUSTERS["eu-central-1"]]);
            }
            await s.up({ refresh: true });
            assert.strictEqual(configMap("eu-central-1", s).data.API_URL, "https://api-v3.eu.example.com", "converged after the cluster came back");
            await s.preview({ expectNoChanges: true, refresh: true });
            s.report("eu-central-1 back: converged, and a refreshed preview shows no changes");
        });

        it("destroy removes every ConfigMap and workload from every cluster", async () => {
            await s.destroy();
            for (const cluster of ALL_CLUSTERS) {
                assert.strictEqual(configMap(cluster, s), undefined, `ConfigMap gone from ${cluster}`);
                for (const w of [...CONSUMERS, { kind: "deployment", name: "static" }]) {
                    assert.strictEqual(kubectlGet(cluster, s.namespace, w.kind, w.name), undefined, `${w.kind}/${w.name} gone from ${cluster}`);
                }
            }
            s.report("destroy: nothing left in any cluster");
        });
    });

    scenario("a cluster given by the user's own provider behaves like one given by kubeconfig", "byo-provider", async (s) => {
        await s.up();
        const uid = configMap("eu-central-1", s).metadata.uid;
        await s.setConfig("euApiUrl", "https://api-byo.eu.example.com");
        const result = await s.up();
        assert.deepStrictEqual(touched(result, "update").filter((n) => n.startsWith("app-config")), ["app-config-eu-central-1", "app-config-eu-west-1"]);
        assert.strictEqual(configMap("eu-central-1", s).metadata.uid, uid, "updated in place through the user's provider");
        assert.strictEqual(podTemplateHash("eu-central-1", s, "deployment", "worker"), ((await s.stack.outputs()).hashes.value as Record<string, string>)["eu-central-1"]);
        s.report("own provider with enableConfigMapMutable: in-place update, transform wiring works");
    }, { byoProvider: "mutable" });

    scenario("a user's provider without enableConfigMapMutable gets the documented warning and a replaced ConfigMap", "byo-immutable", async (s) => {
        const first = await s.up();
        assert.ok(first.diagnostics.some((d) => /cluster "eu-central-1": the provider you gave is not known to have `enableConfigMapMutable: true`/.test(d)), first.diagnostics.join("\n"));
        const uid = configMap("eu-central-1", s).metadata.uid;
        await s.setConfig("euApiUrl", "https://api-byo.eu.example.com");
        const preview = await s.preview();
        assert.ok(preview.steps.some((st) => st.urn.endsWith("::app-config-eu-central-1") && /replace/.test(st.op)), "previewed as a replacement");
        await s.up();
        assert.notStrictEqual(configMap("eu-central-1", s).metadata.uid, uid, "replaced, as documented");
        assert.strictEqual(configMap("eu-central-1", s).data.API_URL, "https://api-byo.eu.example.com");
        s.report("own provider without enableConfigMapMutable: warned, then replaced (new UID)");
    }, { byoProvider: "immutable" });
});
