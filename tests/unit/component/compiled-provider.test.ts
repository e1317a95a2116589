import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { BUILD_STAMP } from "../../../lib/compiled-build/stale-build";
import { componentClass, CompiledComponentProvider, componentOutputs, servedFrom, ServedSchema } from "../../../lib/component/compiled-provider";
import { FleetConfigMap, FleetConfigMapArgs } from "../../../lib/component";
import { allCreated, settle, useMocks, valueOf } from "../mocks";

const COMPONENT_DIR = path.resolve(__dirname, "../../../lib/component");
const SCHEMA_TEXT = fs.readFileSync(path.join(COMPONENT_DIR, "schema.json"), "utf8");
const SCHEMA = JSON.parse(SCHEMA_TEXT) as ServedSchema;
const TOKEN = "fleet-configmap:index:FleetConfigMap";
const KEY = "checksum.fleet-configmap.dev/app-config";

/** The inputs a YAML program sends: plain values only. */
const ARGS: FleetConfigMapArgs = {
    clusters: [
        { name: "us-east-1", region: "us", kubeconfig: "us" },
        { name: "eu-west-1", region: "eu", kubeconfig: "eu" },
    ],
    metadata: { namespace: "shop" },
    data: { LOG_LEVEL: "info" },
    keySets: { logLevel: ["LOG_LEVEL"] },
};

describe("the compiled component package's provider (lib/component/compiled-provider.ts)", () => {
    beforeEach(() => useMocks());

    it("serves the committed schema as it is, with the schema's version", async () => {
        const provider = new CompiledComponentProvider(SCHEMA_TEXT, { FleetConfigMap });
        assert.strictEqual(await provider.getSchema(), SCHEMA_TEXT);
        assert.strictEqual(provider.version, SCHEMA.version);
    });

    it("constructs the component the type token names, and returns its URN and every output the schema names", async () => {
        const provider = new CompiledComponentProvider(SCHEMA_TEXT, { FleetConfigMap });
        const result = await provider.construct("app-config", TOKEN, ARGS as unknown as pulumi.Inputs, {});
        assert.match((await valueOf(pulumi.output(result.urn)))!, /::fleet-configmap:index:FleetConfigMap::app-config$/);
        const state = result.state as Record<string, pulumi.Output<unknown>>;
        assert.deepStrictEqual(Object.keys(state).sort(), Object.keys(SCHEMA.resources[TOKEN].properties!).sort());
        assert.strictEqual(await valueOf(state.configMapName), "app-config");
        assert.strictEqual(await valueOf(state.namespace), "shop");
        const hashes = (await valueOf(state.hashes)) as Record<string, string>;
        assert.deepStrictEqual(Object.keys(hashes), ["us-east-1", "eu-west-1"]);
        assert.deepStrictEqual(await valueOf(state.podAnnotations), { "us-east-1": { [KEY]: hashes["us-east-1"] }, "eu-west-1": { [KEY]: hashes["eu-west-1"] } });
        assert.deepStrictEqual(Object.keys((await valueOf(state.keySetPodAnnotations)) as object), ["logLevel"]);
        await settle();
        assert.deepStrictEqual(allCreated("kubernetes:core/v1:ConfigMap").map((c) => c.name), ["app-config-us-east-1", "app-config-eu-west-1"]);
    });

    it("accepts the token with an empty module, and refuses another package's, another module's, and a component it does not serve", () => {
        const components = { FleetConfigMap };
        assert.deepStrictEqual(componentClass(SCHEMA, components, "fleet-configmap::FleetConfigMap"), { token: TOKEN, component: FleetConfigMap });
        assert.throws(() => componentClass(SCHEMA, components, "other:index:FleetConfigMap"), /^Error: Invalid package name other, expected 'fleet-configmap'$/);
        assert.throws(() => componentClass(SCHEMA, components, "fleet-configmap:sub:FleetConfigMap"), /Invalid module 'sub'/);
        assert.throws(() => componentClass(SCHEMA, components, "fleet-configmap:index:Fleet"), /Component class not found for 'Fleet'/);
        assert.throws(() => componentClass(SCHEMA, {}, TOKEN), /Component class not found for 'FleetConfigMap'/);
        assert.throws(() => componentClass(SCHEMA, components, "fleet-configmap:FleetConfigMap"), /Invalid resource type/);
    });

    it("refuses a component that lacks an output its schema names, rather than leaving it out", () => {
        assert.throws(() => componentOutputs(SCHEMA, TOKEN, { configMapName: "x" }), /fleet-configmap:index:FleetConfigMap has no output `namespace`, `annotationKey`, .*: the schema and the build do not match; run `npm run build`/);
    });

    describe("on a stale build (servedFrom, as dist/component/plugin.js starts it)", () => {
        let root: string;
        const at = (file: string, seconds: number) => {
            fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
            if (!fs.existsSync(path.join(root, file))) fs.writeFileSync(path.join(root, file), file.endsWith("schema.json") ? SCHEMA_TEXT : "");
            fs.utimesSync(path.join(root, file), seconds, seconds);
        };
        beforeEach(() => {
            root = fs.mkdtempSync(path.join(os.tmpdir(), "compiled-component-"));
            at("lib/component/fleet-config-map.ts", 1_000);
            at("lib/component/schema.json", 1_000);
            at("dist/component/schema.json", 2_000);
            at(`dist/${BUILD_STAMP}`, 2_000);
        });
        afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

        it("serves a fresh build's schema", async () => {
            assert.strictEqual(await servedFrom(path.join(root, "dist/component"), { FleetConfigMap }).getSchema(), SCHEMA_TEXT);
        });

        it("refuses getSchema and construct with one message naming the changed file and `npm run build`, and constructs nothing", async () => {
            at("lib/component/schema.json", 3_000);
            const provider = servedFrom(path.join(root, "dist/component"), { FleetConfigMap });
            const refusal = "@fleet/configmap: the compiled build in dist/ is older than lib/component/schema.json, changed since it was built; run `npm run build`";
            // A RunError: the provider server sends its message alone, without a stack trace.
            const refused = (err: Error) => pulumi.RunError.isInstance(err) && err.message === refusal;
            await assert.rejects(provider.getSchema(), refused);
            await assert.rejects(provider.construct("app-config", TOKEN, ARGS as unknown as pulumi.Inputs, {}), refused);
            await settle();
            assert.deepStrictEqual(allCreated(TOKEN), []);
        });
    });
});
