import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ALL_CLUSTERS, Cluster, ensureFleet, EngineRun, EU_CLUSTERS, kubectlGet, ROOT, run, Scenario, touched } from "./harness";

/**
 * The YAML example (examples/yaml-fleet) on the real engine: a Pulumi YAML program that declares the
 * multi-language FleetConfigMap of lib/component, served compiled from dist/component (which the suite's
 * `npm run build` writes) by the Node.js language host's plugin runner, and wires each Deployment's hash
 * from the component's outputs. What this proves for YAML holds for
 * any language, since the component is reached only through the engine.
 */
const EXAMPLE = path.join(ROOT, "examples/yaml-fleet");
const KEY = "checksum.fleet-configmap.dev/app-config";
const WORKLOADS = ["web", "worker"] as const;

/**
 * A schema as the CLI prints it after binding: `optional` markers live only in the `required` lists,
 * empty lists and `dependencies` are left out, and `config` is always there. Applied to the committed
 * schema the compiled package serves (which the unit tests prove the types' own), so the two can be compared.
 */
function asCliPrintsIt(value: any): any {
    if (Array.isArray(value)) return value.map(asCliPrintsIt);
    if (value === null || typeof value !== "object") return value;
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
        if (key === "optional" || ((key === "required" || key === "requiredInputs" || key === "dependencies") && Array.isArray(v) && v.length === 0)) continue;
        out[key] = (key === "required" || key === "requiredInputs") && Array.isArray(v) ? [...v].sort() : asCliPrintsIt(v);
    }
    return out;
}

/** What every object the example owns in the clusters looks like now: its resourceVersion. */
function objects(s: Scenario): Record<string, string | undefined> {
    const result: Record<string, string | undefined> = {};
    for (const cluster of ALL_CLUSTERS) {
        result[`${cluster}/configmap/app-config`] = kubectlGet(cluster, s.namespace, "configmap", "app-config")?.metadata.resourceVersion;
        for (const w of WORKLOADS) result[`${cluster}/deployment/${w}`] = kubectlGet(cluster, s.namespace, "deployment", w)?.metadata.resourceVersion;
    }
    return result;
}

function revision(s: Scenario, cluster: Cluster, name: string): string {
    return kubectlGet(cluster, s.namespace, "deployment", name).metadata.annotations["deployment.kubernetes.io/revision"];
}

/** The resources a run changed, as `type::name` (a provider and a ConfigMap can share a name). */
function changed(run: EngineRun): string[] {
    const steps = run.steps.filter((s) => !["same", "read", "refresh"].includes(s.op));
    return [...new Set(steps.map((s) => `${s.type.split(":").pop()}::${s.urn.split("::").pop()}`))].sort();
}

describe("FleetConfigMap from a Pulumi YAML program on the real engine (examples/yaml-fleet, 3 local clusters, 2 regions)", function () {
    this.timeout(20 * 60 * 1000);

    before(() => ensureFleet());

    it("`pulumi package get-schema dist/component` prints the committed schema, lib/component/schema.json", () => {
        const printed = JSON.parse(run("pulumi", ["package", "get-schema", path.join(ROOT, "dist/component")]));
        const committed = JSON.parse(fs.readFileSync(path.join(ROOT, "lib/component/schema.json"), "utf8"));
        assert.deepStrictEqual(asCliPrintsIt(printed), asCliPrintsIt({ config: {}, ...committed }));
    });

    it("deploys, rolls exactly the region whose override changed, refuses a secret once with nothing changed, and then changes nothing", async () => {
        const s = await Scenario.create("yaml-fleet", {}, EXAMPLE);
        try {
            // 0. A first preview on the new stack, as a reviewer runs it before anything exists: it plans
            // each cluster's ConfigMap and workloads, and its outputs resolve without the live objects.
            let started = Date.now();
            const plan = await s.preview();
            const planned = touched(plan, "create");
            for (const cluster of ALL_CLUSTERS) {
                for (const name of [`app-config-${cluster}`, `web-${cluster}`, `worker-${cluster}`]) assert.ok(planned.includes(name), `the first preview plans ${name}: ${planned.join(", ")}`);
            }
            s.report(`first preview: ${Math.round((Date.now() - started) / 1000)} s`);

            // 1. First up: every cluster's effective ConfigMap, and each Deployment carries its cluster's hash from the outputs.
            started = Date.now();
            await s.up();
            const outputs = await s.stack.outputs();
            const hashes = outputs.hashes.value as Record<string, string>;
            assert.deepStrictEqual(Object.keys(hashes).sort(), [...ALL_CLUSTERS].sort());
            const expected: Record<Cluster, Record<string, string>> = {
                "us-east-1": { API_URL: "https://api.example.com", FEATURE_X: "on", LOG_LEVEL: "info" },
                "eu-west-1": { API_URL: "https://api.eu.example.com", FEATURE_X: "on", LOG_LEVEL: "info" },
                "eu-central-1": { API_URL: "https://api.eu.example.com", LOG_LEVEL: "debug" },
            };
            for (const cluster of ALL_CLUSTERS) {
                assert.deepStrictEqual(kubectlGet(cluster, s.namespace, "configmap", "app-config").data, expected[cluster], cluster);
                const web = kubectlGet(cluster, s.namespace, "deployment", "web");
                assert.strictEqual(web.spec.template.metadata.annotations[KEY], hashes[cluster], `web in ${cluster} carries its cluster's hash`);
                assert.strictEqual(web.status.readyReplicas, 2, `web ready in ${cluster}`);
                assert.ok(kubectlGet(cluster, s.namespace, "deployment", "worker").spec.template.metadata.annotations[KEY], `worker in ${cluster} carries its key set's hash`);
            }
            s.report(`first up: ${Math.round((Date.now() - started) / 1000)} s; hashes ${JSON.stringify(hashes)}`);

            // 2. A regional override changes: only EU's ConfigMaps and EU's web roll; worker reads only LOG_LEVEL and stays.
            const before = Object.fromEntries(ALL_CLUSTERS.flatMap((c) => WORKLOADS.map((w) => [`${c}/${w}`, revision(s, c, w)])));
            const usConfigMap = kubectlGet("us-east-1", s.namespace, "configmap", "app-config").metadata;
            await s.setConfig("euApiUrl", "https://api-v2.eu.example.com");
            started = Date.now();
            const rolled = await s.up();
            assert.deepStrictEqual(changed(rolled), ["ConfigMap::app-config-eu-central-1", "ConfigMap::app-config-eu-west-1", "Deployment::web-eu-central-1", "Deployment::web-eu-west-1"]);
            for (const cluster of ALL_CLUSTERS) {
                const eu = EU_CLUSTERS.includes(cluster);
                assert.strictEqual(kubectlGet(cluster, s.namespace, "configmap", "app-config").data.API_URL, eu ? "https://api-v2.eu.example.com" : "https://api.example.com");
                assert.strictEqual(revision(s, cluster, "web"), eu ? String(Number(before[`${cluster}/web`]) + 1) : before[`${cluster}/web`], `web in ${cluster}`);
                assert.strictEqual(revision(s, cluster, "worker"), before[`${cluster}/worker`], `worker in ${cluster} reads only LOG_LEVEL`);
            }
            const usAfter = kubectlGet("us-east-1", s.namespace, "configmap", "app-config").metadata;
            assert.deepStrictEqual([usAfter.uid, usAfter.resourceVersion], [usConfigMap.uid, usConfigMap.resourceVersion], "us-east-1's ConfigMap is untouched");
            s.report(`region change: ${changed(rolled).join(", ")} (${Math.round((Date.now() - started) / 1000)} s)`);

            // 3. A secret in one cluster's override is refused: one error, no stack trace, nothing changed anywhere.
            const objectsBefore = objects(s);
            const stateBefore = await s.state();
            await s.stack.setConfig("euCentralLogLevel", { value: "hunter2", secret: true });
            for (const [what, result] of [
                ["preview", await s.previewFailing()],
                ["up", await s.upFailing()],
            ] as const) {
                const errors = result.diagnostics.filter((d) => d.startsWith("error:"));
                const refusal = errors.filter((d) => d.includes("has invalid arguments; nothing was changed"));
                assert.strictEqual(refusal.length, 1, `${what}: the refusal is given once:\n${result.diagnostics.join("\n")}`);
                assert.match(refusal[0], /`overrides\.clusters\["eu-central-1"\]\.data\.LOG_LEVEL` \(cluster "eu-central-1"\): is a Pulumi secret/);
                assert.ok(!/\n\s+at .+\(.+:\d+:\d+\)/.test(result.diagnostics.join("\n")), `${what}: no stack trace:\n${result.diagnostics.join("\n")}`);
                assert.ok(!result.diagnostics.join("\n").includes("hunter2") && !result.error.includes("hunter2"), `${what}: the secret is never shown`);
                assert.deepStrictEqual(changed(result), [], `${what}: no step changes anything`);
                s.report(`${what} refused: ${refusal[0].split("\n").slice(0, 2).join(" | ").slice(0, 260)}`);
            }
            assert.deepStrictEqual(objects(s), objectsBefore, "every object in every cluster is unchanged");
            assert.deepStrictEqual(await s.state(), stateBefore, "the stack's state is unchanged");

            // 4. With the secret gone, the program is what was deployed: a second up changes nothing.
            await s.setConfig("euCentralLogLevel", undefined);
            const again = await s.up({ expectNoChanges: true });
            assert.deepStrictEqual(changed(again), []);
            assert.deepStrictEqual(objects(s), objectsBefore);
        } finally {
            await s.dispose();
        }
    });
});
