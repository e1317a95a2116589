import { threeClusterFleet } from "../fixtures";
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import { contentHash, Fleet, FleetConfigMap, MAX_CONFIGMAP_BYTES } from "../../../lib";
import { allCreated, captureProgramFailures, findCreated, secretValue, settle, useMocks, valueOf } from "../mocks";

const CONFIGMAP = "kubernetes:core/v1:ConfigMap";

function appConfig(fleet: Fleet, regionApiUrl = "https://api.eu.example.com", name = "app-config") {
    return new FleetConfigMap(name, {
        fleet,
        metadata: { namespace: "shop", labels: { app: "shop" } },
        data: { LOG_LEVEL: "info", API_URL: "https://api.example.com", FEATURE_X: "on" },
        binaryData: { "logo.png": "iVBORw0KGgo=" },
        overrides: {
            regions: { eu: { data: { API_URL: regionApiUrl } } },
            clusters: { "eu-central-1": { data: { LOG_LEVEL: "debug" }, remove: ["FEATURE_X"] } },
        },
    });
}

describe("FleetConfigMap", () => {
    beforeEach(() => useMocks());

    describe("fan-out", () => {
        it("writes each cluster's effective ConfigMap through that cluster's provider", async () => {
            const fleet = threeClusterFleet();
            appConfig(fleet);
            await settle();
            const cms = allCreated(CONFIGMAP);
            assert.deepStrictEqual(cms.map((c) => c.name), ["app-config-us-east-1", "app-config-eu-west-1", "app-config-eu-central-1"]);

            const us = findCreated(CONFIGMAP, "app-config-us-east-1");
            assert.deepStrictEqual(us.inputs.metadata, {
                name: "app-config",
                namespace: "shop",
                labels: { app: "shop" },
                annotations: { "pulumi.com/patchForce": "true" },
            });
            assert.deepStrictEqual(us.inputs.data, { API_URL: "https://api.example.com", FEATURE_X: "on", LOG_LEVEL: "info" });
            assert.deepStrictEqual(us.inputs.binaryData, { "logo.png": "iVBORw0KGgo=" });
            assert.match(us.provider!, /::prod-us-east-1::prod-us-east-1-id$/);

            const euWest = findCreated(CONFIGMAP, "app-config-eu-west-1");
            assert.deepStrictEqual(euWest.inputs.data, { API_URL: "https://api.eu.example.com", FEATURE_X: "on", LOG_LEVEL: "info" });
            assert.match(euWest.provider!, /::prod-eu-west-1::/);

            const euCentral = findCreated(CONFIGMAP, "app-config-eu-central-1");
            assert.deepStrictEqual(euCentral.inputs.data, { API_URL: "https://api.eu.example.com", LOG_LEVEL: "debug" });
            assert.match(euCentral.provider!, /::prod-eu-central-1::/);
        });

        it("parents every ConfigMap to the component", async () => {
            const app = appConfig(threeClusterFleet());
            for (const cm of Object.values(app.configMaps)) {
                assert.match((await valueOf(cm.urn))!, /::fleet:index:FleetConfigMap\$kubernetes:core\/v1:ConfigMap::app-config-/);
            }
        });

        it("defaults the name to the resource name and the namespace to default, and sends no empty binaryData", async () => {
            const fleet = threeClusterFleet();
            const cm = new FleetConfigMap("plain", { fleet, data: { A: "1" } });
            await settle();
            const created = findCreated(CONFIGMAP, "plain-us-east-1");
            assert.deepStrictEqual(created.inputs.metadata, { name: "plain", namespace: "default", annotations: { "pulumi.com/patchForce": "true" } });
            assert.strictEqual(created.inputs.binaryData, undefined);
            assert.strictEqual(cm.annotationKey, "checksum.fleet-configmap.dev/plain");
        });

        it("lets several FleetConfigMaps share one fleet", async () => {
            const fleet = threeClusterFleet();
            new FleetConfigMap("one", { fleet, data: { A: "1" } });
            new FleetConfigMap("two", { fleet, data: { A: "1" } });
            await settle();
            assert.strictEqual(allCreated(CONFIGMAP).length, 6);
        });

        it("lives inside another component", async () => {
            class Shop extends pulumi.ComponentResource {
                public readonly config: FleetConfigMap;
                constructor(name: string, fleet: Fleet) {
                    super("acme:index:Shop", name);
                    this.config = new FleetConfigMap(`${name}-config`, { fleet, data: { A: "1" } }, { parent: this });
                }
            }
            const shop = new Shop("shop", threeClusterFleet());
            assert.match((await valueOf(shop.config.urn))!, /::acme:index:Shop\$fleet:index:FleetConfigMap::shop-config$/);
            assert.match((await valueOf(shop.config.configMaps["eu-west-1"].urn))!, /FleetConfigMap\$kubernetes:core\/v1:ConfigMap::shop-config-eu-west-1$/);
        });
    });

    describe("hashes", () => {
        it("are the SHA-256 of each cluster's effective content", async () => {
            const hashes = (await valueOf(appConfig(threeClusterFleet()).hashes))!;
            assert.strictEqual(
                hashes["us-east-1"],
                contentHash({
                    data: { API_URL: "https://api.example.com", FEATURE_X: "on", LOG_LEVEL: "info" },
                    binaryData: { "logo.png": "iVBORw0KGgo=" },
                }),
            );
            assert.notStrictEqual(hashes["eu-west-1"], hashes["us-east-1"]);
            assert.notStrictEqual(hashes["eu-central-1"], hashes["eu-west-1"]);
        });

        it("are identical for identical content in different clusters and on every run", async () => {
            const fleet = new Fleet("f", {
                clusters: [
                    { name: "a", region: "r", kubeconfig: "k" },
                    { name: "b", region: "r", kubeconfig: "k" },
                ],
            });
            const first = (await valueOf(new FleetConfigMap("x", { fleet, data: { B: "2", A: "1" } }).hashes))!;
            const again = (await valueOf(new FleetConfigMap("y", { fleet, data: { A: "1", B: "2" } }).hashes))!;
            assert.strictEqual(first.a, first.b);
            assert.deepStrictEqual(first, again);
        });

        it("change for the clusters of the region whose override changed, and no other", async () => {
            const before = (await valueOf(appConfig(threeClusterFleet("p1")).hashes))!;
            const after = (await valueOf(appConfig(threeClusterFleet("p2"), "https://api-v2.eu.example.com", "app-config").hashes))!;
            assert.strictEqual(after["us-east-1"], before["us-east-1"]);
            assert.notStrictEqual(after["eu-west-1"], before["eu-west-1"]);
            assert.notStrictEqual(after["eu-central-1"], before["eu-central-1"]);
        });

        it("ignore labels and annotations", async () => {
            const fleet = threeClusterFleet();
            const a = await valueOf(new FleetConfigMap("a", { fleet, metadata: { name: "same-a", labels: { v: "1" } }, data: { A: "1" } }).hashes);
            const b = await valueOf(new FleetConfigMap("b", { fleet, metadata: { name: "same-b", annotations: { v: "2" } }, data: { A: "1" } }).hashes);
            assert.deepStrictEqual(a, b);
        });

        it("become pod annotations under a key per ConfigMap", async () => {
            const app = appConfig(threeClusterFleet());
            const hashes = (await valueOf(app.hashes))!;
            assert.deepStrictEqual(await valueOf(app.podAnnotations("eu-west-1")), { "checksum.fleet-configmap.dev/app-config": hashes["eu-west-1"] });
            assert.throws(() => app.podAnnotations("us-west-2"), /FleetConfigMap "app-config" has no cluster "us-west-2"; its clusters are "us-east-1", "eu-west-1", "eu-central-1"/);
        });

        it("make pod annotations that depend on the cluster's ConfigMap, so workloads wait for it", async () => {
            const app = appConfig(threeClusterFleet());
            const resources: Set<pulumi.Resource> = await (app.podAnnotations("eu-west-1") as any).allResources();
            assert.ok(resources.has(app.configMaps["eu-west-1"]));
            assert.ok(!resources.has(app.configMaps["us-east-1"]));
        });
    });

    describe("per-key restarts by hand", () => {
        it("give podAnnotations with keys a hash of just those keys, which another key's change leaves alone", async () => {
            const before = appConfig(threeClusterFleet("k1"));
            const after = appConfig(threeClusterFleet("k2"), "https://api-v2.eu.example.com");
            const logLevel = async (app: FleetConfigMap) => (await valueOf(app.podAnnotations("eu-west-1", { keys: ["LOG_LEVEL"] })))![app.annotationKey];
            assert.strictEqual(await logLevel(after), await logLevel(before), "an API_URL change does not move a LOG_LEVEL reader's hash");
            assert.notStrictEqual((await valueOf(after.podAnnotations("eu-west-1")))![after.annotationKey], (await valueOf(before.podAnnotations("eu-west-1")))![before.annotationKey]);
            assert.strictEqual(await logLevel(before), contentHash({ data: { LOG_LEVEL: "info" }, binaryData: {} }));
        });

        it("refuse keys the cluster does not have, naming the cluster, the key and the override that removed it", () => {
            const app = appConfig(threeClusterFleet());
            assert.throws(
                () => app.podAnnotations("eu-central-1", { keys: ["LOG_LEVEL", "FEATURE_X"] }),
                (err: Error) => {
                    assert.ok(pulumi.ResourceError.isInstance(err) && (err as pulumi.ResourceError).hideStack);
                    assert.match(err.message, /cluster "eu-central-1": the workload given podAnnotations\("eu-central-1", \{ keys \}\) reads key "FEATURE_X" \(`keys\[1\]`\), which that cluster's effective config does not have: `overrides\.clusters\["eu-central-1"\]\.remove\[0\]` removes it/);
                    return true;
                },
            );
            assert.doesNotThrow(() => app.podAnnotations("eu-west-1", { keys: ["FEATURE_X"] }));
        });

        it("return the same Output for the same cluster and keys, so consumers add no Outputs", () => {
            const app = appConfig(threeClusterFleet());
            assert.strictEqual(app.podAnnotations("eu-west-1"), app.podAnnotations("eu-west-1"));
            assert.strictEqual(app.podAnnotations("eu-west-1", { keys: ["LOG_LEVEL", "API_URL", "API_URL"] }), app.podAnnotations("eu-west-1", { keys: ["API_URL", "LOG_LEVEL"] }));
            assert.notStrictEqual(app.podAnnotations("eu-west-1"), app.podAnnotations("us-east-1"));
        });
    });

    describe("the immutable strategy", () => {
        it("writes per cluster an immutable ConfigMap named after its content, replaced create-before-delete", async () => {
            const fleet = threeClusterFleet();
            const app = new FleetConfigMap("app", { fleet, metadata: { name: "app-config" }, data: { A: "1" }, overrides: { regions: { eu: { data: { A: "2" } } } }, strategy: "immutable" });
            await settle();
            const us = findCreated(CONFIGMAP, "app-us-east-1");
            const usName = `app-config-${contentHash({ data: { A: "1" }, binaryData: {} }).slice(0, 10)}`;
            assert.strictEqual(us.inputs.metadata.name, usName);
            assert.strictEqual(us.inputs.immutable, true);
            assert.strictEqual(await valueOf(app.nameIn("us-east-1")), usName);
            assert.strictEqual(findCreated(CONFIGMAP, "app-eu-west-1").inputs.metadata.name, `app-config-${contentHash({ data: { A: "2" }, binaryData: {} }).slice(0, 10)}`);
            assert.strictEqual(app.configMapName, "app-config");
            const inPlace = new FleetConfigMap("plain", { fleet, data: { A: "1" } });
            await settle();
            assert.strictEqual(findCreated(CONFIGMAP, "plain-us-east-1").inputs.immutable, undefined, "in-place stays the default");
            assert.strictEqual(await valueOf(inPlace.nameIn("us-east-1")), "plain");
        });

        it("refuses a name too long for the hash suffix, and an unknown strategy", () => {
            const fleet = threeClusterFleet();
            assert.throws(() => new FleetConfigMap("long", { fleet, metadata: { name: "a".repeat(243) }, strategy: "immutable" }), /`metadata\.name`: Invalid value: "a{40}"… \(243 characters\): with `strategy: "immutable"` the name is at most 242 characters/);
            assert.doesNotThrow(() => new FleetConfigMap("long-ok", { fleet, metadata: { name: "b".repeat(243) } }));
            assert.throws(() => new FleetConfigMap("s", { fleet, strategy: "blue-green" as "immutable" }), /`strategy`: Invalid value: "blue-green": must be one of "in-place", "immutable"/);
        });
    });

    describe("values that are Outputs", () => {
        it("resolve into each cluster's ConfigMap and hash like the same plain values", async () => {
            const fleet = threeClusterFleet();
            const fromOutputs = new FleetConfigMap("outputs", {
                fleet,
                data: { API_URL: pulumi.output("https://api.example.com"), LOG_LEVEL: Promise.resolve("info") },
                overrides: { regions: { eu: { data: { API_URL: pulumi.output("https://eu") } } } },
            });
            const plain = new FleetConfigMap("plain", {
                fleet,
                data: { API_URL: "https://api.example.com", LOG_LEVEL: "info" },
                overrides: { regions: { eu: { data: { API_URL: "https://eu" } } } },
            });
            assert.deepStrictEqual(await valueOf(fromOutputs.hashes), await valueOf(plain.hashes));
            await settle();
            assert.deepStrictEqual(findCreated(CONFIGMAP, "outputs-eu-west-1").inputs.data, { API_URL: "https://eu", LOG_LEVEL: "info" });
        });

        it("refuse a secret in one cluster, naming the field and the cluster, and write no cluster's ConfigMap and no hash", async () => {
            const failures = captureProgramFailures();
            const app = new FleetConfigMap("leaky", {
                fleet: threeClusterFleet(),
                data: { LOG_LEVEL: "info" },
                overrides: { clusters: { "eu-west-1": { data: { DB_PASSWORD: pulumi.secret("hunter2") } } } },
            });
            const errors: Error[] = [];
            for (const cluster of ["us-east-1", "eu-west-1", "eu-central-1"]) {
                await assert.rejects(valueOf(app.podAnnotations(cluster)), (err: Error) => {
                    assert.match(err.message, /FleetConfigMap "leaky" has invalid arguments; nothing was changed/);
                    assert.match(err.message, /`overrides\.clusters\["eu-west-1"\]\.data\.DB_PASSWORD` \(cluster "eu-west-1"\): is a Pulumi secret/);
                    assert.match(err.message, /put it in a k8s\.core\.v1\.Secret/);
                    assert.ok(pulumi.ResourceError.isInstance(err) && (err as pulumi.ResourceError).hideStack, "a ResourceError printed without a stack");
                    errors.push(err);
                    return true;
                });
            }
            assert.ok(errors.every((e) => e === errors[0]), "every cluster fails with the one error object, so Pulumi prints it once");
            await assert.rejects(valueOf(app.hashes), (err) => err === errors[0]);
            await settle();
            assert.deepStrictEqual(allCreated(CONFIGMAP), [], "no cluster's ConfigMap is registered, not even those of clusters without the secret");
            const messages = await failures.stop();
            assert.ok(messages.some((m) => /DB_PASSWORD.*is a Pulumi secret/.test(m)), "the program must fail");
            assert.ok(messages.every((m) => !m.includes("hunter2")), "the secret's value is never shown");
        });

        it("check the 1 MiB limit once resolved", async () => {
            const failures = captureProgramFailures();
            const app = new FleetConfigMap("big", {
                fleet: threeClusterFleet(),
                data: { BLOB: pulumi.output("x".repeat(MAX_CONFIGMAP_BYTES)), EXTRA: "y" },
            });
            await assert.rejects(valueOf(app.podAnnotations("us-east-1")), /\(cluster "us-east-1"\): the effective ConfigMap holds 1,048,577 bytes of values, over the limit of 1,048,576 bytes/);
            assert.ok((await failures.stop()).some((m) => /over the limit/.test(m)), "the program must fail");
        });
    });

    describe("in preview", () => {
        beforeEach(() => useMocks(true));

        it("leaves a hash unknown while any of its cluster's values is unknown", async () => {
            const app = new FleetConfigMap("pending", {
                fleet: threeClusterFleet(),
                data: { A: "1" },
                overrides: { regions: { eu: { data: { API_URL: pulumi.output(pulumi.unknown as unknown as string) } } } },
            });
            assert.strictEqual(await valueOf(app.podAnnotations("eu-west-1")), undefined);
            assert.deepStrictEqual(await valueOf(app.podAnnotations("us-east-1")), { [app.annotationKey]: contentHash({ data: { A: "1" }, binaryData: {} }) });
        });

        it("refuses a secret even while its value is unknown", async () => {
            const failures = captureProgramFailures();
            const app = new FleetConfigMap("pending-secret", {
                fleet: threeClusterFleet(),
                data: { TOKEN: pulumi.secret(pulumi.output(pulumi.unknown as unknown as string)) },
            });
            await assert.rejects(valueOf(app.podAnnotations("us-east-1")), /`data\.TOKEN` \(cluster "us-east-1"\): is a Pulumi secret/);
            assert.ok((await failures.stop()).some((m) => /TOKEN/.test(m)), "the program must fail");
        });
    });

    describe("validation", () => {
        const refuses = (build: (fleet: Fleet) => unknown, ...patterns: RegExp[]) => async () => {
            const fleet = threeClusterFleet();
            await settle();
            const before = allCreated(CONFIGMAP).length;
            assert.throws(() => build(fleet), (err: Error) => {
                assert.ok(pulumi.ResourceError.isInstance(err), "a ResourceError, so Pulumi prints it without a stack");
                for (const pattern of patterns) assert.match(err.message, pattern);
                return true;
            });
            await settle();
            assert.strictEqual(allCreated(CONFIGMAP).length, before, "no ConfigMap may be registered");
            assert.strictEqual(allCreated("fleet:index:FleetConfigMap").length, 0, "nor the component itself");
        };

        it(
            "refuses an override for a region the fleet does not have",
            refuses(
                (fleet) => new FleetConfigMap("typo", { fleet, overrides: { regions: { europe: { data: { A: "1" } } } } }),
                /`overrides\.regions\.europe`: the fleet has no region "europe"; its regions are "us", "eu"/,
            ),
        );

        it(
            "refuses a cluster whose effective ConfigMap is over 1 MiB, naming the cluster and the limit",
            refuses(
                (fleet) =>
                    new FleetConfigMap("huge", {
                        fleet,
                        data: { A: "x".repeat(600_000) },
                        overrides: { clusters: { "eu-central-1": { data: { B: "y".repeat(600_000) } } } },
                    }),
                /`data\.A` \(cluster "eu-central-1"\): the effective ConfigMap holds 1,200,000 bytes of values, over the limit of 1,048,576 bytes \(1 MiB\)/,
                /largest: `data\.A` 600,000 bytes, `overrides\.clusters\["eu-central-1"\]\.data\.B` 600,000 bytes/,
            ),
        );

        it(
            "refuses a key that overrides put in both data and binaryData",
            refuses(
                (fleet) => new FleetConfigMap("both", { fleet, data: { logo: "x" }, overrides: { regions: { eu: { binaryData: { logo: "AA==" } } } } }),
                /`overrides\.regions\.eu\.binaryData\.logo` \(cluster "eu-west-1"\): key "logo" ends up in both `data` \(from `data\.logo`\) and `binaryData`/,
            ),
        );

        it(
            "refuses a bad name, a bad key and a non-string value at once",
            refuses(
                (fleet) => new FleetConfigMap("bad", { fleet, metadata: { name: "Bad" }, data: { ok: "1", n: 1 as unknown as string } }),
                /`metadata\.name`: Invalid value: "Bad": must be a DNS-1123 subdomain/,
                /`data\.n`: must be a string/,
            ),
        );

        it("refuses a second FleetConfigMap for the same ConfigMap on the same fleet", async () => {
            const fleet = threeClusterFleet();
            new FleetConfigMap("first", { fleet, metadata: { name: "app" }, data: { A: "1" } });
            assert.throws(
                () => new FleetConfigMap("second", { fleet, metadata: { name: "app" }, data: { A: "2" } }),
                /`metadata\.name`: ConfigMap default\/app is already managed on this fleet by FleetConfigMap "first"; two would overwrite each other/,
            );
            await settle();
            assert.deepStrictEqual(allCreated(CONFIGMAP).map((r) => r.inputs.data.A), ["1", "1", "1"]);
        });

        it("refuses something that is not a Fleet", () => {
            assert.throws(() => new FleetConfigMap("x", { fleet: {} as Fleet, data: {} }), /`fleet`: must be a Fleet/);
        });

        it("accepts a provider the user brings, on the same terms", async () => {
            const byo = new k8s.Provider("byo", { kubeconfig: "x", enableConfigMapMutable: true });
            const fleet = new Fleet("mixed", {
                clusters: [
                    { name: "a", region: "r", kubeconfig: "k" },
                    { name: "b", region: "r", provider: byo, enableConfigMapMutable: true },
                ],
            });
            new FleetConfigMap("cfg", { fleet, data: { A: "1" } });
            await settle();
            assert.match(findCreated(CONFIGMAP, "cfg-b").provider!, /::byo::byo-id$/);
            assert.deepStrictEqual(findCreated(CONFIGMAP, "cfg-a").inputs.data, findCreated(CONFIGMAP, "cfg-b").inputs.data);
            assert.deepStrictEqual(findCreated("pulumi:providers:kubernetes", "mixed-a").inputs.kubeconfig, secretValue("k"));
        });
    });
});
