import { threeClusterFleet as fleet } from "../fixtures";
import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import { z } from "zod";
import { FleetConfigMap } from "../../../lib";
import { captureProgramFailures, settle, useMocks, valueOf } from "../mocks";

/** The outputs a component registered, as the (mock) engine keeps them in the state. */
async function registeredOutputs(resource: pulumi.Resource): Promise<Record<string, unknown>> {
    const urn = await valueOf(resource.urn);
    await settle();
    await new Promise((resolve) => setTimeout(resolve, 50));
    const monitor = pulumi.runtime.getMonitor() as unknown as { resources: Map<string, { state: { toJavaScript(): Record<string, unknown> } }> };
    return monitor.resources.get(urn!)!.state.toJavaScript();
}

describe("FleetConfigMap provenance output", () => {
    beforeEach(() => useMocks());

    it("names, per cluster, the layer that set each key and the layer that removed each missing one, and is in the state", async () => {
        const app = new FleetConfigMap("app-config", {
            fleet: fleet(),
            data: { LOG_LEVEL: "info", API_URL: "https://api.example.com", FEATURE_X: "on" },
            overrides: {
                regions: { eu: { data: { API_URL: "https://api.eu.example.com" }, remove: ["FEATURE_X"] } },
                clusters: { "eu-central-1": { data: { LOG_LEVEL: "debug", FEATURE_X: "beta" } } },
            },
        });
        const provenance = (await valueOf(app.provenance))!;
        assert.deepStrictEqual(provenance["us-east-1"], {
            keys: {
                API_URL: { layer: "base", field: "data.API_URL", kind: "data" },
                FEATURE_X: { layer: "base", field: "data.FEATURE_X", kind: "data" },
                LOG_LEVEL: { layer: "base", field: "data.LOG_LEVEL", kind: "data" },
            },
            removed: {},
        });
        assert.deepStrictEqual(provenance["eu-west-1"].keys.API_URL, { layer: "overrides.regions.eu", field: "overrides.regions.eu.data.API_URL", kind: "data" });
        assert.deepStrictEqual(provenance["eu-west-1"].removed, { FEATURE_X: { layer: "overrides.regions.eu", field: "overrides.regions.eu.remove[0]" } });
        assert.deepStrictEqual(provenance["eu-central-1"].removed, {}, "re-added by the cluster's override");
        assert.deepStrictEqual(provenance["eu-central-1"].keys.FEATURE_X, {
            layer: "overrides.clusters.eu-central-1",
            field: 'overrides.clusters["eu-central-1"].data.FEATURE_X',
            kind: "data",
        });

        const outputs = await registeredOutputs(app);
        assert.deepStrictEqual(outputs.provenance, provenance, "registered as the component's `provenance` output");
    });

    it("points at the field a regional override set inside a typed object value", async () => {
        const schema = z.object({ "config.json": z.object({ db: z.object({ host: z.string(), pool: z.number() }) }) });
        const app = new FleetConfigMap("typed", {
            fleet: fleet(),
            schema,
            data: { "config.json": { db: { host: "db.internal", pool: 10 } } },
            overrides: { regions: { eu: { data: { "config.json": pulumi.output({ db: { host: "db.eu.internal" } }) } } } },
        });
        const provenance = (await valueOf(app.provenance))!;
        assert.deepStrictEqual(provenance["us-east-1"].keys["config.json"], {
            layer: "base",
            field: 'data["config.json"]',
            kind: "data",
        });
        assert.deepStrictEqual(provenance["eu-west-1"].keys["config.json"], {
            layer: "base",
            field: 'data["config.json"]',
            kind: "data",
            fields: { "db.host": { layer: "overrides.regions.eu", field: 'overrides.regions.eu.data["config.json"].db.host' } },
        });
    });

    it("holds no value, so never a secret; a secret value still makes the FleetConfigMap fail", async () => {
        const failures = captureProgramFailures();
        const app = new FleetConfigMap("leaky", {
            fleet: fleet(),
            data: { LOG_LEVEL: "info" },
            overrides: { clusters: { "eu-west-1": { data: { DB_PASSWORD: pulumi.secret("hunter2") } } } },
        });
        const provenance = (await valueOf(app.provenance))!;
        assert.deepStrictEqual(provenance["eu-west-1"].keys.DB_PASSWORD, { layer: "overrides.clusters.eu-west-1", field: 'overrides.clusters["eu-west-1"].data.DB_PASSWORD', kind: "data" });
        assert.ok(!JSON.stringify(provenance).includes("hunter2"));
        assert.ok((await failures.stop()).some((m) => /DB_PASSWORD.*is a Pulumi secret/.test(m)));
    });
});
