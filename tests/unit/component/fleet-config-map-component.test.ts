import * as pulumi from "@pulumi/pulumi";
import { ComponentProvider } from "@pulumi/pulumi/provider/experimental";
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { contentHash } from "../../../lib";
import { FleetConfigMap, FleetConfigMapArgs } from "../../../lib/component";
import { allCreated, captureProgramFailures, findCreated, mocksTellImportsFromReads, settle, useMocks, valueOf } from "../mocks";

const COMPONENT_DIR = path.resolve(__dirname, "../../../lib/component");
/** The schema the compiled component package serves as it is (lib/component/compiled-provider.ts). */
const SCHEMA = path.join(COMPONENT_DIR, "schema.json");
/**
 * What the committed schema adds to the inferred one's language options, for the SDKs `pulumi package gen-sdk` generates from
 * it (the analyzer writes no `language` section). Go: `generateExtraInputTypes`, because Pulumi's Go code
 * generator (pkg/v3 v3.276.0) writes `Clusters []ClusterArgs` into `FleetConfigMapArgs` but no `ClusterArgs`
 * type when a type's only use is a plain array among a resource's inputs; with every input type
 * generated, the SDK compiles (examples/go-fleet builds on it).
 */
const LANGUAGE_OPTIONS: Record<string, object> = { go: { generateExtraInputTypes: true } };

/** The inferred schema with {@link LANGUAGE_OPTIONS} added to each language's own options. */
function withLanguageOptions(inferred: any): any {
    const language = { ...inferred.language };
    for (const [name, options] of Object.entries(LANGUAGE_OPTIONS)) language[name] = { ...language[name], ...options };
    return { ...inferred, language };
}
const CONFIGMAP = "kubernetes:core/v1:ConfigMap";

/** The arguments a YAML program would give: plain values only. */
function args(extra: Partial<FleetConfigMapArgs> = {}): FleetConfigMapArgs {
    return {
        clusters: [
            { name: "us-east-1", region: "us", kubeconfig: "us" },
            { name: "eu-west-1", region: "eu", kubeconfig: "eu" },
            { name: "eu-central-1", region: "eu", kubeconfig: "eu2", context: "eu-central" },
        ],
        metadata: { namespace: "shop" },
        data: { LOG_LEVEL: "info", API_URL: "https://api.example.com" },
        overrides: { regions: { eu: { data: { API_URL: "https://api.eu.example.com" } } }, clusters: { "eu-central-1": { data: { LOG_LEVEL: "debug" } } } },
        keySets: { logLevel: ["LOG_LEVEL"] },
        ...extra,
    };
}

const EFFECTIVE = {
    "us-east-1": { LOG_LEVEL: "info", API_URL: "https://api.example.com" },
    "eu-west-1": { LOG_LEVEL: "info", API_URL: "https://api.eu.example.com" },
    "eu-central-1": { LOG_LEVEL: "debug", API_URL: "https://api.eu.example.com" },
};
const KEY = "checksum.fleet-configmap.dev/app-config";
const hashOf = (data: Record<string, string>) => contentHash({ data, binaryData: {} });

describe("the multi-language FleetConfigMap component (lib/component)", () => {
    beforeEach(() => useMocks());

    it("declares a Fleet and the library's FleetConfigMap as its children, and gives every per-cluster value as an output", async () => {
        const app = new FleetConfigMap("app-config", args());
        await settle();
        assert.deepStrictEqual(
            allCreated(CONFIGMAP).map((c) => [c.name, c.inputs.data]),
            Object.entries(EFFECTIVE).map(([cluster, data]) => [`app-config-${cluster}`, data]),
        );
        assert.match(findCreated(CONFIGMAP, "app-config-eu-central-1").provider!, /::app-config-eu-central-1::/, "on its cluster's provider");
        const parent = await valueOf(app.urn);
        assert.match(parent!, /::fleet-configmap:index:FleetConfigMap::app-config$/);
        assert.strictEqual(findCreated("fleet:index:Fleet", "app-config").type, "fleet:index:Fleet");

        assert.strictEqual(await valueOf(app.configMapName), "app-config");
        assert.strictEqual(await valueOf(app.namespace), "shop");
        assert.strictEqual(await valueOf(app.annotationKey), KEY);
        const hashes = Object.fromEntries(Object.entries(EFFECTIVE).map(([c, d]) => [c, hashOf(d)]));
        assert.deepStrictEqual(await valueOf(app.hashes), hashes);
        assert.deepStrictEqual(await valueOf(app.podAnnotations), Object.fromEntries(Object.entries(hashes).map(([c, h]) => [c, { [KEY]: h }])));
        assert.deepStrictEqual(await valueOf(app.keySetPodAnnotations), {
            logLevel: Object.fromEntries(Object.entries(EFFECTIVE).map(([c, d]) => [c, { [KEY]: hashOf({ LOG_LEVEL: d.LOG_LEVEL }) }])),
        });
        assert.deepStrictEqual(await valueOf(app.names), { "us-east-1": "app-config", "eu-west-1": "app-config", "eu-central-1": "app-config" });
        assert.deepStrictEqual(await valueOf(app.parts), { "us-east-1": ["app-config"], "eu-west-1": ["app-config"], "eu-central-1": ["app-config"] });
        const provenance = (await valueOf(app.provenance))!;
        assert.deepStrictEqual(Object.keys(provenance), ["us-east-1", "eu-west-1", "eu-central-1"]);
        assert.ok(!JSON.stringify(provenance).includes("https://"), "provenance holds no value");
    });

    it("manages only the selected clusters, and names the immutable strategy's content-named ConfigMaps", async () => {
        const app = new FleetConfigMap("app-config", args({ select: "region:eu", strategy: "immutable" }));
        const names = (await valueOf(app.names))!;
        assert.deepStrictEqual(Object.keys(names), ["eu-west-1", "eu-central-1"]);
        assert.strictEqual(names["eu-west-1"], `app-config-${hashOf(EFFECTIVE["eu-west-1"]).slice(0, 10)}`);
        await settle();
        assert.deepStrictEqual(allCreated(CONFIGMAP).map((c) => c.name), ["app-config-eu-west-1", "app-config-eu-central-1"]);
    });

    it("refuses, before anything is registered, a selector that is not one and a cluster name that is not a plain string", async () => {
        const bad = args({ select: "continent:eu" });
        (bad.clusters[1] as { name: unknown }).name = pulumi.output("eu-west-1");
        assert.throws(
            () => new FleetConfigMap("app-config", bad),
            (err: Error) => {
                assert.match(err.message, /^FleetConfigMap "app-config" has invalid arguments; nothing was changed:/);
                assert.match(err.message, /`clusters\[1\]\.name`: must be a string known at preview \(not the output of another resource\); got an Output/);
                assert.match(err.message, /`select`: "continent:eu" is not a selector/);
                return true;
            },
        );
        await settle();
        assert.deepStrictEqual(allCreated(CONFIGMAP), []);
        assert.deepStrictEqual(allCreated("fleet-configmap:index:FleetConfigMap"), []);
    });

    it("keeps the library's refusals: a secret in one cluster's override writes no cluster's ConfigMap", async () => {
        const failures = captureProgramFailures();
        const app = new FleetConfigMap("app-config", args({ overrides: { clusters: { "eu-west-1": { data: { DB_PASSWORD: pulumi.secret("hunter2") } } } } }));
        await assert.rejects(valueOf(app.podAnnotations), /`overrides\.clusters\["eu-west-1"\]\.data\.DB_PASSWORD` \(cluster "eu-west-1"\): is a Pulumi secret/);
        await settle();
        assert.deepStrictEqual(allCreated(CONFIGMAP), []);
        const messages = await failures.stop();
        assert.ok(messages.every((m) => !m.includes("hunter2")), "the secret's value is never shown");
    });

    it("passes externalConsumers and adopt to the library: a hash-annotation patch per cluster, and an import of each adopted ConfigMap", async function () {
        new FleetConfigMap("app-config", args({ externalConsumers: { regions: { eu: [{ kind: "Deployment", name: "legacy-web" }] } }, adopt: ["eu-west-1"] }));
        await settle();
        if (!mocksTellImportsFromReads) this.skip(); // the floor SDK's mocks cannot tell an import from a read (mocks.ts)
        assert.deepStrictEqual(allCreated("kubernetes:apps/v1:DeploymentPatch").map((p) => p.name), ["app-config-eu-west-1-deployment-shop-legacy-web", "app-config-eu-central-1-deployment-shop-legacy-web"]);
        assert.deepStrictEqual(allCreated(CONFIGMAP).filter((c) => c.readId === undefined).map((c) => `${c.name} ${c.importId ?? "created"}`).sort(), ["app-config-eu-central-1 created", "app-config-eu-west-1 shop/app-config", "app-config-us-east-1 created"]);
    });

    describe("as the SDK's component provider serves it from the TypeScript source, with the schema it infers", function () {
        // The analyzer builds a TypeScript program of the package: seconds, once for these tests.
        this.timeout(120_000);
        let provider: ComponentProvider;
        let schema: any;
        before(async () => {
            provider = new ComponentProvider({ components: [FleetConfigMap], dirname: COMPONENT_DIR, name: "fleet-configmap" });
            schema = JSON.parse(await provider.getSchema());
        });

        // The compiled package serves lib/component/schema.json without inferring it: this is what keeps it
        // the types' schema, so that a changed argument or output with a stale schema.json fails here.
        it("infers from the TypeScript types the committed schema the compiled package serves (`UPDATE_SCHEMA=1 npm run test:unit` rewrites it after an intended change)", () => {
            const actual = JSON.stringify(withLanguageOptions(schema), null, 2) + "\n";
            if (process.env.UPDATE_SCHEMA === "1") fs.writeFileSync(SCHEMA, actual);
            assert.strictEqual(actual, fs.readFileSync(SCHEMA, "utf8"), `the component's schema changed; review the difference and rewrite ${path.relative(process.cwd(), SCHEMA)}`);
        });

        it("is versioned with the package it wraps", () => {
            const own = JSON.parse(fs.readFileSync(path.join(COMPONENT_DIR, "package.json"), "utf8"));
            const library = JSON.parse(fs.readFileSync(path.join(COMPONENT_DIR, "../../package.json"), "utf8"));
            assert.strictEqual(schema.version, library.version, "the schema's version is lib/component/package.json's, which must follow the package's");
            assert.strictEqual(own.name, "fleet-configmap", "the package name of every type token, and of dist/component/package.json");
        });

        it("every argument is plain data, and the strategy an enum", () => {
            const resource = schema.resources["fleet-configmap:index:FleetConfigMap"];
            assert.deepStrictEqual(resource.requiredInputs, ["clusters"]);
            assert.deepStrictEqual(schema.types["fleet-configmap:index:Strategy"].enum.map((e: { value: string }) => e.value), ["in-place", "immutable", "split"]);
            assert.deepStrictEqual(schema.types["fleet-configmap:index:ConsumerKind"].enum.map((e: { value: string }) => e.value), ["Deployment", "StatefulSet", "DaemonSet"]);
            assert.deepStrictEqual(Object.keys(resource.inputProperties).filter((k) => ["externalConsumers", "adopt"].includes(k)).sort(), ["adopt", "externalConsumers"]);
            assert.deepStrictEqual(Object.keys(resource.properties).sort(), ["annotationKey", "configMapName", "hashes", "keySetPodAnnotations", "names", "namespace", "parts", "podAnnotations", "provenance"]);
        });

        it("constructs it from the inputs the engine sends, and returns its outputs", async () => {
            const result = await provider.construct("app-config", "fleet-configmap:index:FleetConfigMap", args() as unknown as pulumi.Inputs, {});
            const state = result.state as Record<string, pulumi.Output<unknown>>;
            assert.deepStrictEqual(Object.keys(state).sort(), Object.keys(schema.resources["fleet-configmap:index:FleetConfigMap"].properties).sort());
            assert.deepStrictEqual(await valueOf(state.podAnnotations as pulumi.Output<unknown>), Object.fromEntries(Object.entries(EFFECTIVE).map(([c, d]) => [c, { [KEY]: hashOf(d) }])));
        });
    });
});
