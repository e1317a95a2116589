import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import { contentHash, Fleet, FleetConfigMap } from "../../../lib";
import { bucketOf, splitContent } from "../../../lib/strategies/split";
import { allCreated, captureProgramFailures, findCreated, settle, useMocks, valueOf } from "../mocks";

// The mock monitor does not run transforms, so the transform is called directly, as the engine would;
// tests/e2e/split-config.test.ts proves it on the real engine.

const CONFIGMAP = "kubernetes:core/v1:ConfigMap";
const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const KIB = 1024;

/** `count` file-shaped keys (`routes-01.txt`, ...) of `bytes` bytes each; `changed` gives one key another value of the same size. */
function routes(count: number, bytes = 100 * KIB, changed?: string): Record<string, string> {
    const data: Record<string, string> = {};
    for (let i = 1; i <= count; i++) {
        const key = `routes-${String(i).padStart(2, "0")}.txt`;
        data[key] = `# ${key} ${key === changed ? "v2" : "v1"}\n`.padEnd(bytes, "r");
    }
    return data;
}

function twoClusters(name = "prod") {
    return new Fleet(name, {
        clusters: [
            { name: "us-east-1", region: "us", kubeconfig: "us" },
            { name: "eu-west-1", region: "eu", kubeconfig: "eu" },
        ],
    });
}

/** 2.5 MiB in us-east-1 (25 files of 100 KiB); eu-west-1 drops all but 5 of them, so it fits one part. */
function geoip(fleet: Fleet, data = routes(25)) {
    const euRemoves = Object.keys(data).slice(5);
    return new FleetConfigMap("geoip", {
        fleet,
        metadata: { namespace: "shop", labels: { app: "shop" } },
        data,
        overrides: { clusters: { "eu-west-1": { remove: euRemoves } } },
        strategy: "split",
    });
}

/** Each registered part ConfigMap of a cluster, by resource name, with its inputs. */
function partsOf(cluster: string): Map<string, any> {
    const parts = allCreated(CONFIGMAP).filter((r) => r.name.startsWith(`geoip-${cluster}-part-`));
    // Registrations reach the mock monitor in no fixed order.
    return new Map(parts.sort((a, b) => a.name.localeCompare(b.name)).map((r) => [r.name, r.inputs]));
}

function workload(podSpec: object) {
    return { metadata: { name: "w", namespace: "shop" }, spec: { selector: {}, template: { metadata: { labels: { app: "w" } }, spec: podSpec } } };
}

async function transform(fleet: Fleet, cluster: string, props: object, name = `w-${cluster}`) {
    const result = await fleet.rolloutTransform({ type: DEPLOYMENT, name, custom: true, props: props as any, opts: { provider: fleet.provider(cluster) } });
    return result as { props: any; opts: pulumi.CustomResourceOptions } | undefined;
}

describe("the split strategy", function () {
    // Configs over 1 MiB per cluster, serialised through the mock monitor: seconds per program on a busy machine.
    this.timeout(120_000);
    beforeEach(() => useMocks());

    describe("writes each cluster's config as parts", () => {
        it("named <name>-<bucket + 1>, each an in-place ConfigMap with the in-place metadata, through the cluster's provider, parented to the component", async () => {
            const app = geoip(twoClusters());
            await settle();
            const split = splitContent({ data: routes(25), binaryData: {} });
            assert.strictEqual(split.buckets, 4);
            const us = partsOf("us-east-1");
            assert.deepStrictEqual([...us.keys()], split.parts.map((p) => `geoip-us-east-1-part-${p.bucket + 1}`));
            for (const part of split.parts) {
                const inputs = us.get(`geoip-us-east-1-part-${part.bucket + 1}`);
                assert.deepStrictEqual(inputs.metadata, { name: `geoip-${part.bucket + 1}`, namespace: "shop", labels: { app: "shop" }, annotations: { "pulumi.com/patchForce": "true" } });
                assert.deepStrictEqual(inputs.data, part.content.data);
                assert.strictEqual(inputs.immutable, undefined, "updated in place");
                assert.strictEqual(inputs.binaryData, undefined);
            }
            for (const r of allCreated(CONFIGMAP).filter((r) => r.name.startsWith("geoip-us-east-1-"))) assert.match(r.provider!, /::prod-us-east-1::/);
            assert.deepStrictEqual([...partsOf("eu-west-1").keys()], ["geoip-eu-west-1-part-1"], "5 files fit one part");
            assert.deepStrictEqual(Object.keys(partsOf("eu-west-1").get("geoip-eu-west-1-part-1").data).sort(), Object.keys(routes(5)));

            assert.strictEqual(app.configMaps["us-east-1"], app.parts["us-east-1"][0], "configMaps gives the first part");
            assert.strictEqual(app.parts["us-east-1"].length, split.parts.length);
            assert.match((await valueOf(app.parts["us-east-1"][1].urn))!, /::fleet:index:FleetConfigMap\$kubernetes:core\/v1:ConfigMap::geoip-us-east-1-part-2$/);
        });

        it("rewrites only the part that holds a changed key", async () => {
            geoip(twoClusters("a"));
            await settle();
            const before = partsOf("us-east-1");
            await useMocks();
            geoip(twoClusters("b"), routes(25, 100 * KIB, "routes-07.txt"));
            await settle();
            const after = partsOf("us-east-1");
            assert.deepStrictEqual([...after.keys()], [...before.keys()], "the same parts");
            const changed = [...after.keys()].filter((name) => JSON.stringify(after.get(name)) !== JSON.stringify(before.get(name)));
            assert.deepStrictEqual(changed, [`geoip-us-east-1-part-${bucketOf("routes-07.txt", 4) + 1}`]);
        });

        it("registers fewer parts when the config shrinks, so Pulumi deletes the rest once the program is done", async () => {
            geoip(twoClusters("a"));
            await settle();
            assert.strictEqual(partsOf("us-east-1").size, 4);
            await useMocks();
            const small = geoip(twoClusters("b"), routes(8));
            await settle();
            assert.deepStrictEqual([...partsOf("us-east-1").keys()], ["geoip-us-east-1-part-1"], "800 KiB fit one part: parts 2 to 4 are no longer registered");
            assert.strictEqual(small.parts["us-east-1"].length, 1);
        });

        it("keeps one part, <name>-1, for a config under 1 MiB", async () => {
            new FleetConfigMap("small", { fleet: twoClusters(), data: { A: "1" }, strategy: "split" });
            await settle();
            assert.deepStrictEqual(findCreated(CONFIGMAP, "small-us-east-1-part-1").inputs.metadata.name, "small-1");
            assert.strictEqual(allCreated(CONFIGMAP).length, 2);
        });
    });

    describe("hashes and names", () => {
        it("hash the whole config of each cluster, and make pod annotations wait for every part", async () => {
            const app = geoip(twoClusters());
            const hashes = (await valueOf(app.hashes))!;
            assert.strictEqual(hashes["us-east-1"], contentHash({ data: routes(25), binaryData: {} }));
            const resources: Set<pulumi.Resource> = await (app.podAnnotations("us-east-1") as any).allResources();
            for (const part of app.parts["us-east-1"]) assert.ok(resources.has(part));
            assert.ok(!resources.has(app.parts["eu-west-1"][0]));
        });

        it("have no one name: nameIn and envFrom say the config can only be mounted; volumeIn gives the projected volume", async () => {
            const app = geoip(twoClusters());
            assert.throws(() => app.nameIn("us-east-1"), /FleetConfigMap "geoip" has `strategy: "split"`, so its keys are spread over several ConfigMaps \("geoip-1", \.\.\.\) and it can only be mounted, as a projected volume over every part: nameIn\(\) cannot be used; use volumeIn\(cluster\)/);
            assert.throws(() => app.envFrom(), /it can only be mounted.*envFrom\(\) cannot be used; use volume\(\)/);
            const split = splitContent({ data: routes(25), binaryData: {} });
            assert.deepStrictEqual(app.volumeIn("us-east-1", "routes"), { name: "routes", projected: { sources: split.parts.map((p) => ({ configMap: { name: `geoip-${p.bucket + 1}` } })) } });
            assert.deepStrictEqual(app.volumeIn("eu-west-1"), { name: "geoip", projected: { sources: [{ configMap: { name: "geoip-1" } }] } });
            assert.deepStrictEqual(app.volume("routes"), { name: "routes", configMap: { name: "geoip" } }, "volume() names the config, for the rollout transform to expand");
        });
    });

    describe("refuses at preview", () => {
        it("a single value over a part's budget, naming the field, cluster, key, size and limit, and pointing to object storage", () => {
            assert.throws(
                () =>
                    new FleetConfigMap("huge", {
                        fleet: twoClusters(),
                        data: { A: "a" },
                        overrides: { clusters: { "eu-west-1": { data: { "GeoLite2-City.mmdb": "x".repeat(1_000_000) } } } },
                        strategy: "split",
                    }),
                (err: Error) => {
                    assert.match(err.message, /FleetConfigMap "huge" has invalid arguments; nothing was changed/);
                    assert.match(
                        err.message,
                        /`overrides\.clusters\["eu-west-1"\]\.data\["GeoLite2-City\.mmdb"\]` \(cluster "eu-west-1"\): key "GeoLite2-City\.mmdb" holds 1,000,000 bytes, over the limit of 983,040 bytes for one part of a `strategy: "split"` config .* it belongs in object storage/,
                    );
                    assert.doesNotMatch(err.message, /xxxx/);
                    return true;
                },
            );
            assert.strictEqual(allCreated(CONFIGMAP).length, 0);
        });

        it("values not known when the program runs, a name too long for the part suffix, and says split is a strategy", () => {
            const fleet = twoClusters();
            assert.throws(
                () => new FleetConfigMap("later", { fleet, data: { A: pulumi.output("a"), B: "b" }, strategy: "split" }),
                /`data\.A` \(cluster "us-east-1"\): is not known when the program runs[\s\S]*`data\.A` \(cluster "eu-west-1"\)/,
            );
            assert.throws(() => new FleetConfigMap("long", { fleet, metadata: { name: "a".repeat(251) }, strategy: "split" }), /with `strategy: "split"` the name is at most 250 characters, so that `-<part>` \(up to `-64`\) still fits 253/);
            assert.throws(() => new FleetConfigMap("s", { fleet, strategy: "blue-green" as "split" }), /must be one of "in-place", "immutable", "split"/);
        });

        it("another FleetConfigMap named as one of its parts, declared before or after it, in the same namespace only", () => {
            const fleet = twoClusters();
            new FleetConfigMap("routes-2", { fleet, metadata: { namespace: "shop" }, data: { A: "a" } });
            assert.throws(
                () => new FleetConfigMap("routes", { fleet, metadata: { namespace: "shop" }, data: { B: "b" }, strategy: "split" }),
                /`metadata\.name`: ConfigMap shop\/routes-2 is one of this config's parts \(strategy "split" writes routes-1 to routes-64, as many as its size needs\); two would overwrite each other, so rename one of them: FleetConfigMap "routes-2" manages it/,
            );
            new FleetConfigMap("geo", { fleet, metadata: { namespace: "shop" }, data: { B: "b" }, strategy: "split" });
            assert.throws(() => new FleetConfigMap("geo-64", { fleet, metadata: { namespace: "shop" }, data: { C: "c" } }), /ConfigMap shop\/geo-64 is one of FleetConfigMap "geo"'s parts/);
            // Not parts: another namespace, past the last part, not a number, a split config's own parts' parts.
            new FleetConfigMap("geo-64-other-ns", { fleet, metadata: { name: "geo-64", namespace: "default" }, data: { C: "c" } });
            for (const name of ["geo-65", "geo-01", "geo-x", "geo-1-1"]) new FleetConfigMap(name, { fleet, metadata: { namespace: "shop" }, data: { C: "c" }, strategy: name === "geo-1-1" ? "split" : "in-place" });
        });

        it("a config over 1 MiB without it, pointing to it", () => {
            assert.throws(() => new FleetConfigMap("big", { fleet: twoClusters(), data: routes(25) }), /over the limit of 1,048,576 bytes \(1 MiB\);.* `strategy: "split"` spreads it over several ConfigMaps mounted as one volume/);
        });
    });

    describe("in the rollout transform", () => {
        it("turns a volume of it into a projected volume over the cluster's parts, annotates the whole config's hash, and waits for every part", async () => {
            const fleet = twoClusters();
            const app = geoip(fleet);
            const props = workload({ containers: [{ name: "c", volumeMounts: [{ name: "routes", mountPath: "/etc/routes" }] }], volumes: [app.volume("routes")] });
            const result = (await transform(fleet, "us-east-1", props))!;
            assert.deepStrictEqual(result.props.spec.template.spec.volumes, [app.volumeIn("us-east-1", "routes")]);
            assert.strictEqual(result.props.spec.template.spec.volumes[0].projected.sources.length, 4);
            assert.deepStrictEqual(result.props.spec.template.metadata.annotations, { [app.annotationKey]: contentHash({ data: routes(25), binaryData: {} }) });
            assert.deepStrictEqual(result.opts.dependsOn, app.parts["us-east-1"]);
            const eu = (await transform(fleet, "eu-west-1", props))!;
            assert.deepStrictEqual(eu.props.spec.template.spec.volumes[0].projected.sources, [{ configMap: { name: "geoip-1" } }]);
        });

        it("refuses a workload that reads it by envFrom or configMapKeyRef: a split config can only be mounted", async () => {
            const failures = captureProgramFailures();
            const fleet = twoClusters();
            geoip(fleet);
            const envFrom = workload({ containers: [{ name: "c", envFrom: [{ configMapRef: { name: "geoip" } }] }] });
            await assert.rejects(transform(fleet, "us-east-1", envFrom, "api-us-east-1"), (err: Error) => {
                assert.ok(pulumi.ResourceError.isInstance(err));
                assert.match(err.message, /^Deployment "api-us-east-1" in cluster "us-east-1" reads ConfigMap shop\/geoip other than through a volume, which a split config cannot serve:\n {2}- `spec\.template\.spec\.containers\[0\]\.envFrom\[0\]\.configMapRef`: envFrom\n/);
                assert.match(err.message, /its keys are spread over ConfigMaps "geoip-1", "geoip-2", "geoip-3", "geoip-4" \(more as it grows\), and only a projected volume joins parts again, so a split config can only be mounted/);
                return true;
            });
            const keyRef = workload({ containers: [{ name: "c", env: [{ name: "R", valueFrom: { configMapKeyRef: { name: "geoip", key: "routes-01.txt" } } }] }] });
            await assert.rejects(transform(fleet, "eu-west-1", keyRef, "api-eu-west-1"), /`spec\.template\.spec\.containers\[0\]\.env\[0\]\.valueFrom\.configMapKeyRef`: configMapKeyRef of key "routes-01\.txt"[\s\S]*in cluster "eu-west-1" its keys are spread over ConfigMap "geoip-1"/);
            assert.ok((await failures.stop()).some((m) => /a split config can only be mounted/.test(m)), "the refusal makes the program fail");
        });
    });
});
