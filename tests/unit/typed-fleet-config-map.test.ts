import { threeClusterFleet as fleet } from "./fixtures";
import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import { z } from "zod";
import { contentHash, Fleet, FleetConfigMap } from "../../lib";
import { allCreated, captureProgramFailures, findCreated, settle, useMocks, valueOf } from "./mocks";

const CONFIGMAP = "kubernetes:core/v1:ConfigMap";

const schema = z.object({
    LOG_LEVEL: z.enum(["debug", "info", "warn"]),
    PORT: z.number().int().min(1).max(65535),
    FEATURE_X: z.boolean().optional(),
    "config.json": z.object({
        db: z.object({ host: z.string().min(1), pool: z.number().int().positive(), tls: z.boolean().optional() }),
        regions: z.array(z.string()),
    }),
});

const base = {
    LOG_LEVEL: "info" as const,
    PORT: 8080,
    FEATURE_X: true,
    "config.json": { db: { host: "db.internal", pool: 10, tls: true }, regions: ["us", "eu"] },
};

describe("typed FleetConfigMap", () => {
    beforeEach(() => useMocks());

    describe("rendering and deep overrides", () => {
        it("writes numbers, booleans and objects as strings, and merges a regional field into the JSON file of that region only", async () => {
            new FleetConfigMap("app", {
                fleet: fleet(),
                schema,
                data: base,
                overrides: {
                    regions: { eu: { data: { "config.json": { db: { host: "db.eu.internal", tls: null } } } } },
                    clusters: { "eu-central-1": { data: { PORT: 8443 }, remove: ["FEATURE_X"] } },
                },
            });
            await settle();
            assert.deepStrictEqual(findCreated(CONFIGMAP, "app-us-east-1").inputs.data, {
                FEATURE_X: "true",
                LOG_LEVEL: "info",
                PORT: "8080",
                "config.json": '{"db":{"host":"db.internal","pool":10,"tls":true},"regions":["us","eu"]}',
            });
            assert.deepStrictEqual(findCreated(CONFIGMAP, "app-eu-west-1").inputs.data, {
                FEATURE_X: "true",
                LOG_LEVEL: "info",
                PORT: "8080",
                "config.json": '{"db":{"host":"db.eu.internal","pool":10},"regions":["us","eu"]}',
            });
            assert.deepStrictEqual(findCreated(CONFIGMAP, "app-eu-central-1").inputs.data, {
                LOG_LEVEL: "info",
                PORT: "8443",
                "config.json": '{"db":{"host":"db.eu.internal","pool":10},"regions":["us","eu"]}',
            });
        });

        it("hashes what it writes, the same whatever order object keys were written in", async () => {
            const f = fleet();
            const a = new FleetConfigMap("a", { fleet: f, schema, data: base });
            const b = new FleetConfigMap("b", {
                fleet: f,
                schema,
                data: { "config.json": { regions: ["us", "eu"], db: { tls: true, pool: 10, host: "db.internal" } }, FEATURE_X: true, PORT: 8080, LOG_LEVEL: "info" },
            });
            const hashes = (await valueOf(a.hashes))!;
            assert.deepStrictEqual(hashes, await valueOf(b.hashes));
            await settle();
            assert.strictEqual(hashes["us-east-1"], contentHash({ data: findCreated(CONFIGMAP, "a-us-east-1").inputs.data, binaryData: {} }));
        });

        it("merges Output values once resolved, like the same plain values", async () => {
            const f = fleet();
            const overrides = { regions: { eu: { data: { "config.json": pulumi.output({ db: { host: "db.eu.internal" } }) } } } };
            const fromOutputs = new FleetConfigMap("outputs", { fleet: f, schema, data: { ...base, PORT: pulumi.output(8080) }, overrides });
            const plain = new FleetConfigMap("plain", { fleet: f, schema, data: base, overrides: { regions: { eu: { data: { "config.json": { db: { host: "db.eu.internal" } } } } } } });
            assert.deepStrictEqual(await valueOf(fromOutputs.hashes), await valueOf(plain.hashes));
        });
    });

    describe("per-cluster schema check", () => {
        const refuses = (build: (f: Fleet) => unknown, ...patterns: RegExp[]) => async () => {
            const f = fleet();
            assert.throws(() => build(f), (err: Error) => {
                assert.ok(pulumi.ResourceError.isInstance(err), "a ResourceError, so Pulumi prints it without a stack");
                assert.match(err.message, /has invalid arguments; nothing was changed/);
                for (const pattern of patterns) assert.match(err.message, pattern);
                return true;
            });
            await settle();
            assert.strictEqual(allCreated(CONFIGMAP).length, 0, "no cluster's ConfigMap may be registered");
            assert.strictEqual(allCreated("fleet:index:FleetConfigMap").length, 0, "nor the component itself");
        };

        it(
            "refuses an invalid regional value, naming every cluster, the key, the value and the layer",
            refuses(
                (f) => new FleetConfigMap("app", { fleet: f, schema, data: base, overrides: { regions: { eu: { data: { PORT: 80800 } } } } }),
                /`overrides\.regions\.eu\.data\.PORT` \(cluster "eu-west-1"\): key "PORT": Invalid value: 80800 \(set by overrides\.regions\.eu\): Too big: expected number to be <=65535/,
                /`overrides\.regions\.eu\.data\.PORT` \(cluster "eu-central-1"\): key "PORT": Invalid value: 80800/,
            ),
        );

        it(
            "points at the field inside an object value, and at the layer that set that field",
            refuses(
                (f) =>
                    new FleetConfigMap("app", {
                        fleet: f,
                        schema,
                        data: base,
                        overrides: { clusters: { "eu-central-1": { data: { "config.json": { db: { pool: -1 } } } } } },
                    }),
                /`overrides\.clusters\["eu-central-1"\]\.data\["config\.json"\]\.db\.pool` \(cluster "eu-central-1"\): key "config\.json", field db\.pool: Invalid value: -1 \(set by overrides\.clusters\.eu-central-1\): Too small/,
            ),
        );

        it(
            "reports every failure of every cluster across layers in one error",
            refuses(
                (f) =>
                    new FleetConfigMap("app", {
                        fleet: f,
                        schema,
                        data: { ...base, LOG_LEVEL: "verbose" as "info" },
                        overrides: {
                            regions: { eu: { data: { "config.json": { db: { host: "" } } } } },
                            clusters: { "us-east-1": { data: { PORT: 0 } } },
                        },
                    }),
                /`data\.LOG_LEVEL` \(cluster "us-east-1"\): key "LOG_LEVEL": Invalid value: "verbose" \(set by base\): Invalid option/,
                /`data\.LOG_LEVEL` \(cluster "eu-west-1"\)/,
                /`data\.LOG_LEVEL` \(cluster "eu-central-1"\)/,
                /`overrides\.clusters\["us-east-1"\]\.data\.PORT` \(cluster "us-east-1"\): key "PORT": Invalid value: 0/,
                /`overrides\.regions\.eu\.data\["config\.json"\]\.db\.host` \(cluster "eu-west-1"\): key "config\.json", field db\.host: Invalid value: ""/,
                /`overrides\.regions\.eu\.data\["config\.json"\]\.db\.host` \(cluster "eu-central-1"\)/,
            ),
        );

        it(
            "names the override that removed a required key",
            refuses(
                (f) =>
                    new FleetConfigMap("app", {
                        fleet: f,
                        schema,
                        data: base,
                        overrides: { clusters: { "eu-west-1": { remove: ["LOG_LEVEL" as "FEATURE_X"] } } },
                    }),
                /`overrides\.clusters\["eu-west-1"\]\.remove\[0\]` \(cluster "eu-west-1"\): key "LOG_LEVEL" is missing \(removed by overrides\.clusters\.eu-west-1\)/,
            ),
        );

        it(
            "names a required key no layer sets for a cluster, and a required field a patch deleted",
            refuses(
                (f) =>
                    new FleetConfigMap("app", {
                        fleet: f,
                        schema,
                        data: { LOG_LEVEL: "info", "config.json": base["config.json"] },
                        overrides: {
                            regions: { eu: { data: { PORT: 80, "config.json": { db: { host: null as unknown as string } } } } },
                        },
                    }),
                /`data\.PORT` \(cluster "us-east-1"\): key "PORT" is missing \(no layer sets it for this cluster\): Invalid input: expected number, received undefined/,
                /`overrides\.regions\.eu\.data\["config\.json"\]\.db\.host` \(cluster "eu-west-1"\): key "config\.json", field db\.host: missing \(set by overrides\.regions\.eu\)/,
            ),
        );

        it(
            "refuses a value JSON cannot hold",
            refuses(
                (f) => new FleetConfigMap("app", { fleet: f, schema, data: { ...base, PORT: NaN } }),
                /`data\.PORT` \(cluster "us-east-1"\): key "PORT": is NaN, which JSON cannot represent \(set by base\)/,
            ),
        );

        it(
            "refuses a key the schema does not have",
            refuses(
                (f) => new FleetConfigMap("app", { fleet: f, schema, data: { ...base, LOG_LEVLE: "debug" } as typeof base }),
                /`data\.LOG_LEVLE` \(cluster "us-east-1"\): key "LOG_LEVLE" is not in the schema \(set by base\); its keys are "LOG_LEVEL", "PORT"/,
            ),
        );

        it(
            "checks refinements across keys",
            refuses(
                (f) =>
                    new FleetConfigMap("app", {
                        fleet: f,
                        schema: schema.refine((c) => c.LOG_LEVEL !== "debug" || c.PORT !== 80, { message: "debug is not served on port 80", path: ["LOG_LEVEL"] }),
                        data: base,
                        overrides: { clusters: { "eu-west-1": { data: { LOG_LEVEL: "debug", PORT: 80 } } } },
                    }),
                /`overrides\.clusters\["eu-west-1"\]\.data\.LOG_LEVEL` \(cluster "eu-west-1"\): key "LOG_LEVEL": Invalid value: "debug" \(set by overrides\.clusters\.eu-west-1\): debug is not served on port 80/,
            ),
        );

        it("accepts extra keys only from a schema that says so", async () => {
            const f = fleet();
            const strict = z.strictObject({ A: z.number() });
            assert.throws(
                () => new FleetConfigMap("strict", { fleet: f, schema: strict, data: { A: 1, B: 2 } as { A: number } }),
                /`data\.B` \(cluster "us-east-1"\): key "B" is not in the schema \(set by base\); its keys are "A"/,
            );
            new FleetConfigMap("loose", { fleet: f, schema: z.looseObject({ A: z.number() }), data: { A: 1, B: 2 } });
            await settle();
            assert.deepStrictEqual(findCreated(CONFIGMAP, "loose-us-east-1").inputs.data, { A: "1", B: "2" });
        });

        it("refuses arguments of the wrong shape with a schema too", () => {
            assert.throws(
                () => new FleetConfigMap("shape", { fleet: fleet(), schema, data: base, overrides: { regions: { eu: { remove: "FEATURE_X" } } } } as never),
                /`overrides\.regions\.eu\.remove`: must be a list of key names/,
            );
        });

        it("refuses a schema that is not a zod object schema", () => {
            assert.throws(() => new FleetConfigMap("app", { fleet: fleet(), schema: z.string(), data: {} } as never), /`schema`: must be a zod object schema/);
        });

        it("refuses a typed value that is a Pulumi secret, and never writes it", async () => {
            const failures = captureProgramFailures();
            const app = new FleetConfigMap("secret", {
                fleet: fleet(),
                schema,
                data: base,
                overrides: { regions: { eu: { data: { "config.json": pulumi.secret({ db: { host: "hunter2.internal" } }) } } } },
            });
            await assert.rejects(valueOf(app.podAnnotations("eu-west-1")), /`overrides\.regions\.eu\.data\["config\.json"\]` \(cluster "eu-west-1"\): is a Pulumi secret/);
            await settle();
            const written = allCreated(CONFIGMAP).map((r) => JSON.stringify(r.inputs));
            assert.ok(written.every((w) => !w.includes("hunter2")), written.join("\n"));
            assert.ok((await failures.stop()).some((m) => /is a Pulumi secret/.test(m)), "the program must fail");
        });

        it("checks Output values once resolved, and writes no cluster's ConfigMap with a refused value", async () => {
            const failures = captureProgramFailures();
            const app = new FleetConfigMap("later", { fleet: fleet(), schema, data: base, overrides: { regions: { eu: { data: { PORT: pulumi.output(80800) } } } } });
            await assert.rejects(valueOf(app.podAnnotations("eu-west-1")), (err: Error) => {
                assert.match(err.message, /FleetConfigMap "later" has invalid arguments; nothing was changed/);
                assert.match(err.message, /`overrides\.regions\.eu\.data\.PORT` \(cluster "eu-west-1"\): key "PORT": Invalid value: 80800 \(set by overrides\.regions\.eu\)/);
                return true;
            });
            await settle();
            const written = allCreated(CONFIGMAP).map((r) => JSON.stringify(r.inputs));
            assert.ok(written.every((w) => !w.includes("80800")), written.join("\n"));
            assert.ok((await failures.stop()).some((m) => /80800/.test(m)), "the program must fail");
        });
    });
});
