/**
 * Safe config changes on the real engine and three local clusters: all-or-nothing refusals, per-key
 * restarts, per-cluster key checks, mount-clash warnings and the immutable strategy.
 */
import { EngineEvent } from "@pulumi/pulumi/automation";
import * as assert from "assert";
import { ALL_CLUSTERS, Cluster, ensureFleet, EngineRun, EU_CLUSTERS, kubectl, kubectlGet, revisions, Scenario, touched } from "./harness";

const HASH_KEY = "checksum.fleet-configmap.dev/app-config";
/** Every workload the program wires to app-config in every cluster. */
const WIRED = [
    { kind: "deployment", name: "web" },
    { kind: "deployment", name: "worker" },
    { kind: "statefulset", name: "db" },
    { kind: "daemonset", name: "agent" },
] as const;

/** Runs a scenario on its own stack (names prefixed `safe-`), and always destroys it. */
function scenario(title: string, name: string, body: (s: Scenario) => Promise<void>, config: Record<string, string> = {}) {
    it(title, async () => {
        const s = await Scenario.create(`safe-${name}`, config);
        try {
            await body(s);
        } finally {
            await s.dispose();
        }
    });
}

/** What a run printed as errors: the engine's error diagnostics plus the CLI's text. */
function errorsOf(run: EngineRun & { error: string }): { diagnostics: string[]; text: string } {
    return { diagnostics: run.diagnostics.filter((d) => d.startsWith("error:")), text: `${run.error}\n${run.stdout}` };
}

/** Every object in a cluster the scenario could have written: ConfigMaps and wired workloads, with their resourceVersions. */
function snapshot(s: Scenario): Record<string, string> {
    const result: Record<string, string> = {};
    for (const cluster of ALL_CLUSTERS) {
        const cms = JSON.parse(kubectl(cluster, "-n", s.namespace, "get", "configmaps", "-l", "app=shop", "-o", "json")).items;
        for (const cm of cms) result[`${cluster}/configmap/${cm.metadata.name}`] = cm.metadata.resourceVersion;
        for (const w of WIRED) result[`${cluster}/${w.kind}/${w.name}`] = kubectlGet(cluster, s.namespace, w.kind, w.name)?.metadata.resourceVersion ?? "absent";
    }
    return result;
}

function podTemplateHash(cluster: Cluster, s: Scenario, kind: string, name: string): string | undefined {
    return kubectlGet(cluster, s.namespace, kind, name)?.spec.template.metadata.annotations?.[HASH_KEY];
}

describe("safe config changes on the real engine (3 local clusters, 2 regions)", function () {
    this.timeout(20 * 60 * 1000);

    before(() => ensureFleet());

    /**
     * One stack, deployed once, that the tests below change in turn, in order: each starts from the
     * fleet the one before it left. They need a deployed fleet, not a new one, and a first deploy is the
     * most expensive step of a test.
     */
    describe("one stack, deployed once and changed test by test", function () {
        let s: Scenario;

        before(async () => {
            s = await Scenario.create("safe-shared");
            await s.up();
        });
        after(async () => s?.dispose());

        it(
            "a secret in one cluster's override is refused under up --skip-preview and --continue-on-error: printed once, no stack, no cluster and no state changed",
            async () => {
                const state = await s.state();
                const before = snapshot(s);

                // A change that would roll the EU clusters, and a refused value in us-east-1, in one run.
                await s.setConfig("euApiUrl", "https://api-v2.eu.example.com");
                await s.setConfig("secretIn", "us-east-1");
                for (const continueOnError of [false, true]) {
                    const failed = await s.upFailing({ continueOnError }); // the Automation API's up() is `pulumi up --yes --skip-preview`
                    const { diagnostics, text } = errorsOf(failed);
                    const refusals = diagnostics.filter((d) => /FleetConfigMap "app-config" has invalid arguments; nothing was changed/.test(d));
                    assert.strictEqual(refusals.length, 1, `the refusal is printed once:\n${diagnostics.join("\n")}`);
                    assert.match(refusals[0], /`overrides\.clusters\["us-east-1"\]\.data\.DB_PASSWORD` \(cluster "us-east-1"\): is a Pulumi secret/);
                    assert.strictEqual(diagnostics.length, 1, `no other error:\n${diagnostics.join("\n")}`);
                    assert.doesNotMatch(text, /transform failed|unhandled exception|\n\s+at .+:\d+:\d+/, "no stack trace, no transform failure");
                    assert.doesNotMatch(text, /hunter2/, "the secret's value is never shown");
                    assert.deepStrictEqual(touched(failed), [], `no step changed anything (continueOnError ${continueOnError})`);
                    assert.deepStrictEqual(snapshot(s), before, "no ConfigMap or workload changed in any cluster");
                    assert.deepStrictEqual(await s.state(), state, "state unchanged");
                    s.report(`up --skip-preview${continueOnError ? " --continue-on-error" : ""}: refused once (${diagnostics.length} error), nothing changed`);
                }

                // Without the secret the same change goes through, so the refusal above really held something back.
                await s.setConfig("secretIn", undefined);
                const result = await s.up();
                assert.ok(touched(result, "update").includes("app-config-eu-west-1"), "the EU change lands once the secret is gone");
            },
        );

        it("a workload that reads one key is not restarted by another key's change", async () => {
            // db reads only LOG_LEVEL (configMapKeyRef); web, worker and agent read the whole map.
            const hashes = (await s.stack.outputs()).hashes.value as Record<Cluster, string>;
            for (const cluster of ALL_CLUSTERS) {
                assert.strictEqual(podTemplateHash(cluster, s, "deployment", "worker"), hashes[cluster], "whole-map reader: full hash");
                assert.notStrictEqual(podTemplateHash(cluster, s, "statefulset", "db"), hashes[cluster], "per-key reader: a hash of its keys");
            }
            const before = revisions(s.namespace);
            // A value no earlier test of this stack gave, so that the EU clusters' API_URL changes whatever ran before.
            await s.setConfig("euApiUrl", "https://api-v3.eu.example.com");
            const preview = await s.preview();
            assert.ok(!touched(preview).some((n) => n.startsWith("db-")), `db is not in the preview: ${touched(preview).join(", ")}`);
            await s.up();
            const after = revisions(s.namespace);
            for (const cluster of EU_CLUSTERS) {
                assert.strictEqual(after[`${cluster}/statefulset/db`], before[`${cluster}/statefulset/db`], `db in ${cluster} kept its revision`);
                assert.notStrictEqual(after[`${cluster}/deployment/worker`], before[`${cluster}/deployment/worker`], `worker in ${cluster} rolled`);
            }

            // A change of the key db reads does roll it, where that key changes: not in eu-central-1, which overrides LOG_LEVEL.
            await s.setConfig("logLevel", "warn");
            await s.up();
            const logLevel = revisions(s.namespace);
            for (const cluster of ["us-east-1", "eu-west-1"] as Cluster[]) {
                assert.notStrictEqual(logLevel[`${cluster}/statefulset/db`], after[`${cluster}/statefulset/db`], `db in ${cluster} rolled for LOG_LEVEL`);
            }
            assert.strictEqual(logLevel["eu-central-1/statefulset/db"], after["eu-central-1/statefulset/db"], "db in eu-central-1 (LOG_LEVEL overridden) kept its revision");
            s.report(`API_URL change in EU: worker rolled, db (reads LOG_LEVEL only) kept its revision; base LOG_LEVEL change: db rolled in us-east-1 and eu-west-1 only`);
        });

        it("a key removed in one cluster but read by a workload there is refused at preview, naming cluster, workload, key and override", async () => {
            const state = await s.state();
            const before = snapshot(s);
            await s.setConfig("featureReader", "true");
            const expected =
                /cluster "eu-central-1": Deployment "feature-eu-central-1" reads key "FEATURE_X" \(`spec\.template\.spec\.containers\[0\]\.env\[0\]\.valueFrom\.configMapKeyRef`\), which that cluster's effective config does not have: `overrides\.clusters\["eu-central-1"\]\.remove\[0\]` removes it/;

            const preview = await s.previewFailing();
            const previewed = errorsOf(preview);
            assert.strictEqual(previewed.diagnostics.length, 1, previewed.diagnostics.join("\n"));
            assert.match(previewed.diagnostics[0], expected);
            assert.doesNotMatch(previewed.text, /transform failed|unhandled exception|\n\s+at .+:\d+:\d+/);
            assert.deepStrictEqual(snapshot(s), before, "nothing changed in any cluster");
            assert.deepStrictEqual(await s.state(), state, "state unchanged");

            // up --skip-preview: the refused workload is never created, and the error is printed once. The key
            // check is per workload: the readers in the clusters that do have the key may be created meanwhile.
            const up = await s.upFailing();
            const upped = errorsOf(up);
            assert.strictEqual(upped.diagnostics.length, 1, upped.diagnostics.join("\n"));
            assert.match(upped.diagnostics[0], expected);
            assert.doesNotMatch(upped.text, /transform failed|unhandled exception|\n\s+at .+:\d+:\d+/);
            assert.strictEqual(kubectlGet("eu-central-1", s.namespace, "deployment", "feature"), undefined, "the refused workload was not created");
            assert.ok(!Object.keys(await s.state()).some((urn) => urn.endsWith("::feature-eu-central-1")), "nor recorded in the state");
            assert.deepStrictEqual(snapshot(s), before, "no ConfigMap or other wired workload changed");
            s.report(`FEATURE_X read in eu-central-1, where an override removes it: refused at preview (nothing changed) and at up (created meanwhile: ${touched(up, "create").join(", ") || "nothing"})`);
        });
    });

    scenario(
        "a first deploy with a secret in one cluster creates no ConfigMap and no wired workload in any cluster",
        "all-or-nothing-new",
        async (s) => {
            const failed = await s.upFailing();
            const { diagnostics, text } = errorsOf(failed);
            assert.strictEqual(diagnostics.length, 1, diagnostics.join("\n"));
            assert.match(diagnostics[0], /`overrides\.clusters\["eu-west-1"\]\.data\.DB_PASSWORD` \(cluster "eu-west-1"\): is a Pulumi secret/);
            assert.doesNotMatch(text, /transform failed|unhandled exception|\n\s+at .+:\d+:\d+/);
            for (const cluster of ALL_CLUSTERS) {
                const cms = JSON.parse(kubectl(cluster, "get", "configmaps", "-A", "-l", "app=shop", "-o", "json")).items.filter((cm: any) => cm.metadata.namespace === s.namespace);
                assert.deepStrictEqual(cms, [], `no ConfigMap in ${cluster}`);
                for (const w of WIRED) assert.strictEqual(kubectlGet(cluster, s.namespace, w.kind, w.name), undefined, `no ${w.kind}/${w.name} in ${cluster}`);
            }
            const created = touched(failed, "create").filter((n) => /^(app-config|web|worker|db|agent)-/.test(n));
            assert.deepStrictEqual(created, [], "the engine created nothing wired to app-config");
            s.report(`first up refused once; created only ${touched(failed, "create").join(", ") || "nothing"}; no ConfigMap or wired workload anywhere`);
        },
        { secretIn: "eu-west-1" },
    );

    scenario("a FleetConfigMap volume mounted over /etc is warned about at preview, naming cluster, workload and path", "mount-clash", async (s) => {
        const preview = await s.preview();
        for (const cluster of ALL_CLUSTERS) {
            const warning = preview.diagnostics.find((d) => d.startsWith("warning:") && d.includes(`cluster "${cluster}": Deployment "clash-${cluster}"`));
            assert.ok(warning, `a warning for ${cluster}:\n${preview.diagnostics.join("\n")}`);
            assert.match(warning!, /container "clash", mounts ConfigMap "app-config" \(volume "config"\) on "\/etc" without `subPath`, which hides everything the image has in "\/etc"/);
        }
        assert.ok(!preview.diagnostics.some((d) => /Deployment "worker-/.test(d)), "a mount on a directory of its own (/etc/app) is not warned about");
        s.report(`preview warned ${preview.diagnostics.filter((d) => d.includes("hides everything")).length} times (one per cluster)`);
    }, { mountClash: "true" });

    scenario(
        "the immutable strategy creates the new ConfigMap, rolls consumers, then deletes the old one: old pods keep theirs, one ConfigMap per cluster is left",
        "immutable",
        async (s) => {
            await s.up();
            const names = (await s.stack.outputs()).configMapNames.value as Record<Cluster, string>;
            for (const cluster of ALL_CLUSTERS) {
                assert.match(names[cluster], /^app-config-[0-9a-f]{10}$/);
                const cm = kubectlGet(cluster, s.namespace, "configmap", names[cluster]);
                assert.strictEqual(cm.immutable, true, `immutable in ${cluster}`);
                const slow = kubectlGet(cluster, s.namespace, "deployment", "slow");
                assert.strictEqual(slow.spec.template.spec.volumes.find((v: any) => v.name === "config").configMap.name, names[cluster], "the transform pointed the consumer at the content-named ConfigMap");
            }

            await s.setConfig("euApiUrl", "https://api-v2.eu.example.com");
            // Watch eu-west-1 while the up runs. Pods are listed before ConfigMaps, so a ConfigMap seen in a poll
            // existed when that poll's pods were listed.
            const oldName = names["eu-west-1"];
            const seen: { configMaps: string[]; podConfigMaps: string[] }[] = [];
            let watching = true;
            const watcher = (async () => {
                while (watching) {
                    const pods = JSON.parse(kubectl("eu-west-1", "-n", s.namespace, "get", "pods", "-l", "app=slow", "-o", "json")).items;
                    const configMaps = JSON.parse(kubectl("eu-west-1", "-n", s.namespace, "get", "configmaps", "-l", "app=shop", "-o", "json")).items.map((c: any) => c.metadata.name);
                    const running = pods.filter((p: any) => !p.metadata.deletionTimestamp);
                    seen.push({ configMaps, podConfigMaps: running.map((p: any) => p.spec.volumes.find((v: any) => v.name === "config").configMap.name) });
                    await new Promise((r) => setTimeout(r, 500));
                }
            })();
            const order: string[] = [];
            const result = await s.stack.up({
                onEvent: (e: EngineEvent) => {
                    const m = e.resOutputsEvent?.metadata;
                    if (m && /::(app-config|slow)-eu-west-1$/.test(m.urn)) order.push(`${m.op} ${m.urn.split("::").pop()}`);
                },
            });
            watching = false;
            await watcher;
            assert.ok(result.summary.result === "succeeded");
            s.report(`engine order in eu-west-1: ${order.join(" → ")}`);
            assert.deepStrictEqual(
                order.filter((o) => /create-replacement app-config|update slow|delete-replaced app-config/.test(o)),
                ["create-replacement app-config-eu-west-1", "update slow-eu-west-1", "delete-replaced app-config-eu-west-1"],
                "create the new ConfigMap, roll the consumer (Pulumi waits for the rollout), then delete the old one",
            );
            const newName = ((await s.stack.outputs()).configMapNames.value as Record<Cluster, string>)["eu-west-1"];
            assert.notStrictEqual(newName, oldName);
            // During the rollout (new ConfigMap there, old pod still running and not terminating), the old ConfigMap is there.
            const during = seen.filter((o) => o.configMaps.includes(newName) && o.podConfigMaps.includes(oldName) && o.configMaps.includes(oldName));
            assert.ok(during.length > 0, `seen a moment with the new ConfigMap, an old pod running and its old ConfigMap: ${JSON.stringify(seen)}`);
            assert.ok(seen.every((o) => o.podConfigMaps.filter((n) => n === newName).every(() => o.configMaps.includes(newName))), "a new pod never lacked its ConfigMap");
            const both = during;
            for (const cluster of ALL_CLUSTERS) {
                const left = JSON.parse(kubectl(cluster, "-n", s.namespace, "get", "configmaps", "-l", "app=shop", "-o", "json")).items.map((c: any) => c.metadata.name);
                assert.strictEqual(left.length, 1, `exactly one ConfigMap left in ${cluster}: ${left.join(", ")}`);
            }
            assert.strictEqual(kubectlGet("us-east-1", s.namespace, "configmap", names["us-east-1"]).metadata.name, names["us-east-1"], "us-east-1's content did not change, nor its ConfigMap");
            s.report(`old ${oldName} lived through ${both.length} polls of old pods beside new ${newName}; one ConfigMap per cluster after up`);
        },
        { strategy: "immutable", slowRollout: "true" },
    );
});
