import * as assert from "assert";
import * as path from "path";
import { ALL_CLUSTERS, Cluster, ensureFleet, EU_CLUSTERS, kubectlGet, revisions, Scenario, touched } from "./harness";

const PROGRAM = path.join(__dirname, "typed-program");
const WORKLOADS = [
    { kind: "deployment", name: "reader" },
    { kind: "deployment", name: "env-reader" },
];

function configMap(cluster: Cluster, s: Scenario) {
    return kubectlGet(cluster, s.namespace, "configmap", "typed-config");
}

function configJson(host: string): string {
    // Canonical JSON: keys sorted, no whitespace.
    return JSON.stringify({ db: { host, pool: 10 }, features: ["search"] });
}

/** Every object the scenario's program owns in the clusters, with its resourceVersion. */
function resourceVersions(s: Scenario): Record<string, string> {
    const result: Record<string, string> = {};
    for (const cluster of ALL_CLUSTERS) {
        result[`${cluster}/configmap/typed-config`] = configMap(cluster, s)?.metadata.resourceVersion;
        for (const w of WORKLOADS) result[`${cluster}/${w.kind}/${w.name}`] = kubectlGet(cluster, s.namespace, w.kind, w.name)?.metadata.resourceVersion;
    }
    return result;
}

describe("a typed FleetConfigMap on the real engine (3 local clusters, 2 regions)", function () {
    this.timeout(20 * 60 * 1000);

    before(() => ensureFleet());

    it("writes a JSON file key per cluster, rolls only the region whose field override changed, and refuses an invalid regional value at preview with nothing changed", async () => {
        const s = await Scenario.create("typed-json-file", {}, PROGRAM);
        try {
            await s.up();
            const expected: Record<Cluster, string> = {
                "us-east-1": configJson("db.internal"),
                "eu-west-1": configJson("db.eu.internal"),
                "eu-central-1": configJson("db.eu.internal"),
            };
            for (const cluster of ALL_CLUSTERS) {
                assert.deepStrictEqual(configMap(cluster, s).data, { LOG_LEVEL: "info", PORT: "8080", "config.json": expected[cluster] }, `data in ${cluster}`);
            }
            const state = (await s.stack.exportStack()).deployment.resources;
            const component = state.find((r: { type: string }) => r.type === "fleet:index:FleetConfigMap");
            assert.deepStrictEqual(component.outputs.provenance["eu-west-1"].keys["config.json"].fields, {
                "db.host": { layer: "overrides.regions.eu", field: 'overrides.regions.eu.data["config.json"].db.host' },
            }, "provenance in the stack state points at the regional field");
            s.report(`first up: config.json per cluster ${JSON.stringify(expected)}`);

            // A regional field override: only that region's file changes, and only its consumers roll.
            const before = revisions(s.namespace, WORKLOADS);
            const uids = Object.fromEntries(ALL_CLUSTERS.map((c) => [c, configMap(c, s).metadata.uid]));
            await s.setConfig("euDbHost", "db-v2.eu.internal");
            const expectedTouched = EU_CLUSTERS.flatMap((c) => [`typed-config-${c}`, `reader-${c}`, `env-reader-${c}`]).sort();
            const preview = await s.preview();
            assert.deepStrictEqual(touched(preview), expectedTouched, "preview lists exactly the EU ConfigMaps and their consumers");
            const result = await s.up();
            assert.deepStrictEqual(touched(result, "update"), expectedTouched);
            assert.deepStrictEqual(touched(result), expectedTouched);
            const after = revisions(s.namespace, WORKLOADS);
            for (const key of Object.keys(before)) {
                const rolled = EU_CLUSTERS.includes(key.split("/")[0] as Cluster);
                if (rolled) assert.notStrictEqual(after[key], before[key], `${key} rolled`);
                else assert.strictEqual(after[key], before[key], `${key} kept its revision`);
            }
            for (const cluster of EU_CLUSTERS) {
                assert.strictEqual(configMap(cluster, s).data["config.json"], configJson("db-v2.eu.internal"), `config.json in ${cluster}: host changed, pool kept`);
            }
            assert.strictEqual(configMap("us-east-1", s).data["config.json"], configJson("db.internal"));
            for (const cluster of ALL_CLUSTERS) assert.strictEqual(configMap(cluster, s).metadata.uid, uids[cluster], `updated in place in ${cluster}`);
            s.report(`field override: updated ${touched(result).join(", ")}; us-east-1 kept its revisions`);

            // An invalid regional value: refused at preview and under up, nothing changed anywhere.
            const stateBefore = await s.state();
            const versions = resourceVersions(s);
            await s.setConfig("euPort", "80800");
            for (const failed of [await s.previewFailing(), await s.upFailing()]) {
                assert.match(failed.error, /FleetConfigMap "typed-config" has invalid arguments; nothing was changed/);
                for (const cluster of EU_CLUSTERS) {
                    assert.match(
                        failed.error,
                        new RegExp(`\`overrides\\.regions\\.eu\\.data\\.PORT\` \\(cluster "${cluster}"\\): key "PORT": Invalid value: 80800 \\(set by overrides\\.regions\\.eu\\): Too big: expected number to be <=65535`),
                    );
                }
                assert.doesNotMatch(failed.error, /cluster "us-east-1"/);
                assert.doesNotMatch(failed.error, /\n\s+at .+:\d+:\d+\)?\n/, "no stack trace");
                assert.deepStrictEqual(touched(failed), [], "nothing changed");
            }
            assert.deepStrictEqual(await s.state(), stateBefore, "state unchanged");
            assert.deepStrictEqual(resourceVersions(s), versions, "every cluster's objects unchanged (resourceVersions)");
            s.report("PORT 80800 in eu: refused at preview and up, naming both EU clusters; state and resourceVersions unchanged");
            s.report(`the error as printed:\n${(await s.previewFailing()).error.split("\n").filter((l) => /invalid arguments|PORT/.test(l)).join("\n")}`);
        } finally {
            await s.dispose();
        }
    });
});
