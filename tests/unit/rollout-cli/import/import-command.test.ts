import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseAdoptedConfig } from "../../../../lib/adoption/adopted-config";
import { planClusters, plainEntries, toContent } from "../../../../lib/config/effective-config";
import { parseFleetDefinition } from "../../../../lib/fleet/fleet-definition";
import { parseArguments } from "../../../../lib/rollout-cli/arguments";
import { ClusterAccess } from "../../../../lib/rollout-cli/cluster-api/cluster-access";
import { ClusterApi, ClusterApiError } from "../../../../lib/rollout-cli/cluster-api/cluster-api";
import { importConfigMap } from "../../../../lib/rollout-cli/import/import-command";
import { configMapPath } from "../../../../lib/rollout-cli/import/read-config-maps";
import { FakeCluster, FakeClusterApi } from "../fake-cluster-api";

const PATH = configMapPath("shop", "app-config");

/** A fleet of `regions` (region → cluster names), every cluster's kubeconfig `<name>.yaml`. */
function fleet(regions: Record<string, string[]>) {
    const clusters = Object.entries(regions).flatMap(([region, names]) => names.map((name) => ({ name, region })));
    const definition = parseFleetDefinition(JSON.stringify({ clusters }));
    const accesses: ClusterAccess[] = clusters.map((c) => ({ name: c.name, region: c.region, stack: c.region, kubeconfig: `/kube/${c.name}.yaml` }));
    return { definition, accesses };
}

function configMap(data: Record<string, string>, binaryData?: Record<string, string>, extra: object = {}) {
    return { raw: { [PATH]: { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "app-config", namespace: "shop" }, data, ...(binaryData && { binaryData }), ...extra } } };
}

async function runImport(regions: Record<string, string[]>, clusters: Record<string, FakeCluster>, flags: string[] = [], api?: ClusterApi) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-import-"));
    const { definition, accesses } = fleet(regions);
    const invocation = parseArguments(["import", "shop/app-config", "-C", dir, "--no-progress", ...flags]);
    let out = "";
    let err = "";
    const code = await importConfigMap(invocation, definition, { api: api ?? new FakeClusterApi(clusters), clusters: accesses, workDir: dir, print: (t) => (out += t), error: (t) => (err += t) });
    const file = path.join(dir, "adopted", "app-config.yaml");
    return { code, out, err, dir, file, written: fs.existsSync(file) ? fs.readFileSync(file, "utf8") : undefined, accesses };
}

const DRIFTED = {
    "us-1": configMap({ LOG_LEVEL: "info", API_URL: "https://api.example.com", FEATURE_X: "on", "app.properties": "cache.ttl=300\nretries=3\n" }, { "logo.png": "AAEC/w==" }),
    "us-2": configMap({ LOG_LEVEL: "debug", API_URL: "https://api.example.com", FEATURE_X: "on", "app.properties": "cache.ttl=300\nretries=3\n" }, { "logo.png": "AAEC/w==" }),
    "eu-1": configMap({ LOG_LEVEL: "info", API_URL: "https://api.eu.example.com", "app.properties": "cache.ttl=300\nretries=3\n" }, { "logo.png": "AAEC/w==" }),
    "eu-2": configMap({ LOG_LEVEL: "info", API_URL: "https://api.eu.example.com", FEATURE_X: "on", "app.properties": "cache.ttl=600\r\nretries=3  \n" }, { "logo.png": "AAEC/w==" }),
    "eu-3": {},
};
const REGIONS = { us: ["us-1", "us-2"], eu: ["eu-1", "eu-2", "eu-3"] };

describe("fleet-rollout import", () => {
    it("writes an adopted config that gives every cluster holding the ConfigMap exactly its data and binaryData", async () => {
        const r = await runImport(REGIONS, DRIFTED);
        assert.strictEqual(r.code, 0, r.err);
        const config = parseAdoptedConfig(r.written!);
        const found = r.accesses.filter((a) => a.name !== "eu-3");
        const contents = planClusters(found.map((a) => ({ name: a.name, region: a.region })), config).map((p) => toContent(plainEntries(p.layout)!));
        found.forEach((a, i) => {
            const cm = (DRIFTED as Record<string, FakeCluster>)[a.name].raw![PATH] as { data: Record<string, string>; binaryData: Record<string, string> };
            assert.deepStrictEqual(contents[i].data, Object.fromEntries(Object.entries(cm.data).sort()), a.name);
            assert.deepStrictEqual(contents[i].binaryData, cm.binaryData, a.name);
        });
        // Two clusters each: the tie goes to the smaller value, so the base is EU's and US has the region entry.
        assert.deepStrictEqual(config.overrides.regions, { us: { data: { API_URL: "https://api.example.com" } } });
        assert.deepStrictEqual(config.metadata, { name: "app-config", namespace: "shop" });
        // The clusters that have it are taken over with Pulumi's import; eu-3, without it, gets a create.
        assert.deepStrictEqual(config.adopt, ["us-1", "us-2", "eu-1", "eu-2"]);
        assert.strictEqual(config.takeOwnershipFrom, undefined, "no other manager owns keys");
    });

    it("reports per key the base's clusters, the regional values, the exceptions and the clusters lacking it, then the clusters without the ConfigMap", async () => {
        const r = await runImport(REGIONS, DRIFTED);
        assert.match(r.out, /^ConfigMap shop\/app-config: found in 4 of 5 clusters; 5 keys, 1 the same everywhere, 4 diverging; 4 override entries/);
        assert.match(r.out, /the same everywhere: logo\.png\n/);
        assert.match(r.out, /  API_URL\n    base: "https:\/\/api\.eu\.example\.com" \(2 clusters\)\n    region us: "https:\/\/api\.example\.com" \(2 clusters\)\n/);
        assert.match(r.out, /  FEATURE_X\n    base: "on" \(3 clusters\)\n    exceptions: "eu-1" absent\n    lacking: "eu-1"\n/);
        assert.match(r.out, /  LOG_LEVEL\n    base: "info" \(3 clusters\)\n    exceptions: "us-2" "debug"\n/);
        assert.match(r.out, /exceptions: "eu-2" "cache\.ttl=600\\r\\nretries=3  \\n"/);
        assert.match(r.out, /Without the ConfigMap \(the first `up` creates it there\): "eu-3"\n/);
        assert.match(r.out, /Wrote adopted\/app-config\.yaml\. In the program:\n\nimport \{ FleetConfigMap, loadAdoptedConfig \} from "@fleet\/configmap";/);
        assert.match(r.out, /const appConfig = new FleetConfigMap\("app-config", \{ fleet, \.\.\.loadAdoptedConfig\("adopted\/app-config\.yaml"\) \}\);/);
    });

    it("bounds the text's lists and gives them whole in --json", async () => {
        const names = Array.from({ length: 30 }, (_, i) => `c${String(i).padStart(2, "0")}`);
        const clusters = Object.fromEntries(names.map((n, i) => [n, configMap(i < 15 ? { A: "1" } : { A: "1", ONE_OFF: `v${i}` })]));
        const text = await runImport({ r: names }, clusters);
        assert.match(text.out, /    lacking: "c00", "c01", .*"c09" and 5 more\n/);
        assert.match(text.out, /    exceptions: "c15" "v15", .* and 5 more\n/);
        const json = await runImport({ r: names }, clusters, ["--json"]);
        const doc = JSON.parse(json.out);
        const oneOff = doc.divergent.find((k: { key: string }) => k.key === "ONE_OFF");
        assert.strictEqual(oneOff.lacking.length, 15);
        assert.strictEqual(oneOff.exceptions.length, 15);
        assert.deepStrictEqual(oneOff.exceptions[0], { cluster: "c15", value: { kind: "data", value: "v15" } });
        assert.strictEqual(doc.written, "adopted/app-config.yaml");
        assert.deepStrictEqual(doc.problems, []);
    });

    it("reads at most --concurrency clusters at once, and every one of them", async () => {
        const names = Array.from({ length: 9 }, (_, i) => `c${i}`);
        let running = 0;
        let most = 0;
        const fake = new FakeClusterApi(Object.fromEntries(names.map((n) => [n, configMap({ A: "1" })])));
        const slow: ClusterApi = {
            getRaw: async (cluster, p) => {
                most = Math.max(most, ++running);
                await new Promise((resolve) => setTimeout(resolve, 5));
                running--;
                return fake.getRaw(cluster, p);
            },
            list: fake.list.bind(fake),
            mayI: fake.mayI.bind(fake),
        };
        const r = await runImport({ r: names }, {}, ["--concurrency", "3"], slow);
        assert.strictEqual(r.code, 0, r.err);
        assert.strictEqual(most, 3);
        assert.strictEqual(fake.requests.filter((r) => r.includes(": GET ")).length, 9);
    });

    it("proposes the workloads whose pods read the ConfigMap as externalConsumers: the fleet's, a region's, a cluster's", async () => {
        const pod = (name: string, owner: { kind: string; name: string }, spec: object, hash?: string) => ({
            kind: "Pod",
            metadata: { name, namespace: "shop", ...(hash ? { labels: { "pod-template-hash": hash } } : {}), ownerReferences: [{ ...owner, controller: true }] },
            spec,
        });
        const web = pod("legacy-web-7d9f-abcde", { kind: "ReplicaSet", name: "legacy-web-7d9f" }, { containers: [{ name: "c", envFrom: [{ configMapRef: { name: "app-config" } }] }] }, "7d9f");
        const agent = pod("agent-x1", { kind: "DaemonSet", name: "agent" }, { containers: [{ name: "c", env: [{ name: "L", valueFrom: { configMapKeyRef: { name: "app-config", key: "LOG_LEVEL" } } }] }] });
        const other = pod("other-1", { kind: "StatefulSet", name: "other" }, { containers: [{ name: "c", envFrom: [{ configMapRef: { name: "not-this-one" } }] }] });
        const withPods = (name: string, pods: object[]) => ({ ...(DRIFTED as Record<string, FakeCluster>)[name], objects: () => pods as any });
        const clusters = {
            "us-1": withPods("us-1", [web, other]),
            "us-2": withPods("us-2", [web]),
            "eu-1": withPods("eu-1", [web, agent]),
            "eu-2": withPods("eu-2", [web, agent]),
            "eu-3": {},
        };
        const r = await runImport(REGIONS, clusters);
        assert.strictEqual(r.code, 0, r.err);
        assert.deepStrictEqual(parseAdoptedConfig(r.written!).externalConsumers, {
            fleet: [{ kind: "Deployment", name: "legacy-web" }],
            regions: { eu: [{ kind: "DaemonSet", name: "agent", keys: ["LOG_LEVEL"] }] },
        });
        assert.match(r.out, /Workloads whose pods read it, written as `externalConsumers` .*\n  every cluster: Deployment legacy-web\n  region eu: DaemonSet agent \(keys LOG_LEVEL\)\n/);
        const none = await runImport(REGIONS, clusters, ["--no-consumers"]);
        assert.strictEqual(parseAdoptedConfig(none.written!).externalConsumers, undefined);
    });

    it("--check passes while the file gives every cluster what it runs, and names the clusters and keys once one is edited (exit 3)", async () => {
        const first = await runImport(REGIONS, DRIFTED);
        const { definition, accesses } = fleet(REGIONS);
        const check = async (clusters: Record<string, FakeCluster>) => {
            let out = "";
            const invocation = parseArguments(["import", "shop/app-config", "-C", first.dir, "--no-progress", "--check"]);
            const code = await importConfigMap(invocation, definition, { api: new FakeClusterApi(clusters), clusters: accesses, workDir: first.dir, print: (t) => (out += t), error: (t) => (out += t) });
            return { code, out };
        };
        const clean = await check(DRIFTED);
        assert.deepStrictEqual(clean, {
            code: 0,
            out: 'adopted/app-config.yaml gives each of the 4 clusters that have ConfigMap shop/app-config exactly what it runs.\nWithout the ConfigMap (the first `up` creates it there): "eu-3"\n',
        });
        const edited = { ...DRIFTED, "eu-1": configMap({ LOG_LEVEL: "trace", API_URL: "https://api.eu.example.com", "app.properties": "cache.ttl=300\nretries=3\n", NEW: "1" }) };
        const drifted = await check(edited);
        assert.strictEqual(drifted.code, 3);
        assert.match(drifted.out, /^adopted\/app-config\.yaml differs from what 1 of 4 clusters run; the first `up` would change them:\n  eu-1: LOG_LEVEL changed, NEW removed, logo\.png added\n/);
        assert.strictEqual(fs.readFileSync(first.file, "utf8"), first.written, "--check writes nothing");
    });

    it("--check names the clusters `adopt` no longer matches: one that lost the ConfigMap, one that got it (exit 3)", async () => {
        const first = await runImport(REGIONS, DRIFTED);
        const { definition, accesses } = fleet(REGIONS);
        let out = "";
        const invocation = parseArguments(["import", "shop/app-config", "-C", first.dir, "--no-progress", "--check"]);
        const moved = { ...DRIFTED, "us-2": {}, "eu-3": (DRIFTED as Record<string, FakeCluster>)["eu-1"] };
        const code = await importConfigMap(invocation, definition, { api: new FakeClusterApi(moved), clusters: accesses, workDir: first.dir, print: (t) => (out += t), error: (t) => (out += t) });
        assert.strictEqual(code, 3, out);
        assert.match(out, /\n`adopt` lists clusters that no longer have it \(the first preview fails there, with nothing to import\): "us-2"\n/);
        assert.match(out, /\n`adopt` does not list clusters that have it \(the first `up` creates over theirs, unreviewed\): "eu-3"\n/);
    });

    describe("labels and annotations", () => {
        const HELM = { labels: { "helm.sh/chart": "app-1.0", team: "web" }, annotations: { "meta.helm.sh/release-name": "app" } };
        const withMetadata = (data: Record<string, string>, metadata: { labels?: Record<string, string>; annotations?: Record<string, string> }) =>
            configMap(data, undefined, { metadata: { name: "app-config", namespace: "shop", ...metadata } });

        it("writes those every cluster's copy has into the file's metadata, which the FleetConfigMap gets, so the first `up` keeps them", async () => {
            const r = await runImport({ us: ["us-1"], eu: ["eu-1", "eu-2"] }, { "us-1": withMetadata({ A: "1" }, HELM), "eu-1": withMetadata({ A: "2" }, HELM), "eu-2": withMetadata({ A: "2" }, HELM) });
            assert.strictEqual(r.code, 0, r.err);
            assert.deepStrictEqual(parseAdoptedConfig(r.written!).metadata, { name: "app-config", namespace: "shop", ...HELM });
            assert.match(r.written!, /^metadata:\n  name: app-config\n  namespace: shop\n  labels:\n    helm\.sh\/chart: app-1\.0\n    team: web\n  annotations:\n    meta\.helm\.sh\/release-name: app\n/m);
        });

        it("leaves out kubectl's last-applied-configuration and the package's patchForce, saying the first `up` removes the former", async () => {
            const applied = (data: Record<string, string>) => ({ ...HELM.annotations, "kubectl.kubernetes.io/last-applied-configuration": JSON.stringify({ data }), "pulumi.com/patchForce": "true" });
            const r = await runImport({ us: ["us-1", "us-2"] }, { "us-1": withMetadata({ A: "1" }, { annotations: applied({ A: "1" }) }), "us-2": withMetadata({ A: "2" }, { annotations: applied({ A: "2" }) }) });
            assert.strictEqual(r.code, 0, r.err);
            assert.deepStrictEqual(parseAdoptedConfig(r.written!).metadata.annotations, HELM.annotations);
            assert.match(r.out, /\nkubectl\.kubernetes\.io\/last-applied-configuration \(kubectl apply's record of its last apply\) is not in the file: the first `up` removes it in 2 clusters \("us-1", "us-2"\)/);
            const json = await runImport({ us: ["us-1", "us-2"] }, { "us-1": withMetadata({ A: "1" }, { annotations: applied({ A: "1" }) }), "us-2": withMetadata({ A: "2" }, { annotations: applied({ A: "2" }) }) }, ["--json"]);
            assert.deepStrictEqual(JSON.parse(json.out).dropped, [{ annotation: "kubectl.kubernetes.io/last-applied-configuration", clusters: ["us-1", "us-2"] }]);
        });

        it("refuses, writing nothing, a label or annotation not the same in every cluster, naming the cluster, the key and the values", async () => {
            const r = await runImport(
                { us: ["us-1"], eu: ["eu-1", "eu-2"] },
                {
                    "us-1": withMetadata({ A: "1" }, HELM),
                    "eu-1": withMetadata({ A: "1" }, { ...HELM, labels: { ...HELM.labels, "helm.sh/chart": "app-1.1" } }),
                    "eu-2": withMetadata({ A: "1" }, { labels: HELM.labels }),
                },
            );
            assert.strictEqual(r.code, 2, r.out);
            assert.strictEqual(r.written, undefined);
            assert.match(
                r.err,
                /^fleet-rollout: error: ConfigMap shop\/app-config cannot be adopted; nothing was written:\n  - `metadata\.labels\["helm\.sh\/chart"\]` \(cluster "eu-1"\): is "app-1\.1" here but "app-1\.0" in "us-1", "eu-2"\. A FleetConfigMap gives every cluster the same labels, so adopting would change it in some cluster\./,
            );
            assert.match(r.err, /\n  - `metadata\.annotations\["meta\.helm\.sh\/release-name"\]` \(cluster "eu-2"\): is absent here but "app" in "us-1", "eu-1"\./);
            assert.doesNotMatch(r.err, /metadata\.labels\.team/, "a label the same everywhere is no problem");
        });

        it("refuses an annotation that differs, never showing a value that looks like a credential", async () => {
            const token = "ghp_" + "a1B2c3D4e5F6g7H8i9J0k1L2m3N4o5P6q7R8";
            const r = await runImport({ us: ["us-1", "us-2"] }, { "us-1": withMetadata({ A: "1" }, { annotations: { note: token } }), "us-2": withMetadata({ A: "1" }, { annotations: { note: "plain" } }) });
            assert.strictEqual(r.code, 2, r.out);
            assert.match(r.err, /`metadata\.annotations\.note` \(cluster "us-2"\): is "plain" here but \(withheld: it looks like a credential\) in "us-1"/);
            assert.ok(!(r.out + r.err).includes(token), "the value is shown nowhere");
        });
    });

    describe("refuses, writing nothing and exiting 2,", () => {
        const refused = (r: Awaited<ReturnType<typeof runImport>>) => {
            assert.strictEqual(r.code, 2, r.out);
            assert.strictEqual(r.written, undefined);
            assert.match(r.err, /^fleet-rollout: error: ConfigMap shop\/app-config cannot be adopted; nothing was written:\n/);
            assert.doesNotMatch(r.err, /\n\s+at /, "no stack trace");
        };

        it("a cluster it cannot reach, naming the cluster and why", async () => {
            const r = await runImport(REGIONS, { ...DRIFTED, "eu-2": { down: new ClusterApiError("unreachable", "Unable to connect to the server: dial tcp 10.0.0.2:6443: connect: connection refused") } });
            refused(r);
            assert.match(r.err, /`clusters` \(cluster "eu-2"\): could not be read \(unreachable: Unable to connect to the server: dial tcp 10\.0\.0\.2:6443: connect: connection refused\); adoption needs every cluster's copy/);
            assert.match(r.out, /Could not be read: "eu-2" \(unreachable\)\n/);
        });

        it("an immutable ConfigMap, naming the cluster", async () => {
            const r = await runImport(REGIONS, { ...DRIFTED, "us-2": configMap({ A: "1" }, undefined, { immutable: true }) });
            refused(r);
            assert.match(r.err, /`immutable` \(cluster "us-2"\): ConfigMap shop\/app-config is `immutable: true`, so no FleetConfigMap can take it over in place/);
        });

        it("a ConfigMap over 1 MiB, pointing to the split strategy", async () => {
            const big = Object.fromEntries(Array.from({ length: 5 }, (_, i) => [`part-${i}.txt`, "x".repeat(300 * 1024)]));
            const r = await runImport(REGIONS, { ...DRIFTED, "us-1": configMap(big) });
            refused(r);
            assert.match(r.err, /\(cluster "us-1"\): the effective ConfigMap holds 1,536,000 bytes of values, over the limit of 1,048,576 bytes \(1 MiB\).*`strategy: "split"` spreads it over several ConfigMaps/);
        });

        it("a key whose name says it is a credential, never showing its value", async () => {
            const r = await runImport(REGIONS, { ...DRIFTED, "us-1": configMap({ LOG_LEVEL: "info", DB_PASSWORD: "hunter2" }) });
            refused(r);
            assert.match(r.err, /`data\.DB_PASSWORD` \(cluster "us-1"\): looks like a credential \(its name says it holds a credential\) in this cluster\. .*move the key to a Secret/);
            assert.doesNotMatch(r.out + r.err, /hunter2/);
            assert.match(r.out, /base: \(value withheld: the key looks like a credential\)|exceptions: "us-1" \(value withheld/);
            assert.match(r.err, /if it holds no credential, import again with --not-secret DB_PASSWORD/);
        });

        it("nothing for a key cleared with --not-secret, whose values are then shown", async () => {
            const clusters = { ...DRIFTED, "us-1": configMap({ LOG_LEVEL: "info", TOKEN_TTL: "3600" }) };
            const refusedFirst = await runImport(REGIONS, clusters);
            refused(refusedFirst);
            const cleared = await runImport(REGIONS, clusters, ["--not-secret", "TOKEN_TTL"]);
            assert.strictEqual(cleared.code, 0, cleared.err);
            assert.match(cleared.out, /exceptions: "us-1" "3600"/);
        });

        it("a value shaped like a credential under an innocent key, in --json too, never showing it", async () => {
            const key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----\n";
            const r = await runImport(REGIONS, { ...DRIFTED, "us-1": configMap({ "tls.pem": key }), "us-2": configMap({ "tls.pem": key }) }, ["--json"]);
            refused(r);
            assert.match(r.err, /`data\["tls\.pem"\]` \(cluster "us-1"\): looks like a credential \(its value holds what looks like a PEM private key\) in 2 clusters: "us-1", "us-2"/);
            assert.doesNotMatch(r.out + r.err, /MIIEowIBAAKCAQEA/);
            assert.strictEqual(JSON.parse(r.out).written, null);
        });

        it("a name that matches nothing in any cluster", async () => {
            const r = await runImport(REGIONS, { "us-1": {}, "us-2": {}, "eu-1": {}, "eu-2": {}, "eu-3": {} });
            refused(r);
            assert.match(r.err, /`configmap`: ConfigMap shop\/app-config exists in none of the fleet's 5 clusters; check the namespace and the name/);
        });

        it("an adopted file that exists already, unless --overwrite, reading nothing", async () => {
            const first = await runImport(REGIONS, DRIFTED);
            const api = new FakeClusterApi(DRIFTED);
            const invocation = parseArguments(["import", "shop/app-config", "-C", first.dir, "--no-progress"]);
            let err = "";
            const { definition, accesses } = fleet(REGIONS);
            const code = await importConfigMap(invocation, definition, { api, clusters: accesses, workDir: first.dir, print: () => undefined, error: (t) => (err += t) });
            assert.strictEqual(code, 2);
            assert.match(err, /adopted\/app-config\.yaml already exists; nothing was read or written\. Give --overwrite/);
            assert.strictEqual(api.requests.length, 0);
            const again = parseArguments(["import", "shop/app-config", "-C", first.dir, "--no-progress", "--overwrite"]);
            assert.strictEqual(await importConfigMap(again, definition, { api, clusters: accesses, workDir: first.dir, print: () => undefined, error: () => undefined }), 0);
        });

        it("keys another field manager owns, naming the manager, the keys and the clusters, unless --take-ownership", async () => {
            const managed = (manager: string, keys: string[]) => ({
                manager,
                operation: "Update",
                fieldsType: "FieldsV1",
                fieldsV1: { "f:data": { ".": {}, ...Object.fromEntries(keys.map((k) => [`f:${k}`, {}])) }, "f:metadata": { "f:labels": {} } },
            });
            const owned = (data: Record<string, string>, managers: object[]) => configMap(data, undefined, { metadata: { name: "app-config", namespace: "shop", managedFields: managers } });
            const clusters = {
                ...DRIFTED,
                "us-1": owned({ A: "1", B: "2" }, [managed("helm", ["A", "B"]), managed("pulumi-kubernetes-8d3c", ["A"])]),
                "us-2": owned({ A: "1" }, [managed("helm", ["A"])]),
            };
            const r = await runImport(REGIONS, clusters);
            refused(r);
            assert.match(r.err, /`data\.A` \(cluster "us-1"\): is owned by field manager "helm" \(Update\), which owns 2 keys \(`data\.A`, `data\.B`\) in 2 clusters \("us-1", "us-2"\)\. .*import again with --take-ownership/);
            assert.doesNotMatch(r.err, /pulumi-kubernetes/);
            assert.match(r.out, /Field manager "helm" \(Update\) owns 2 keys in 2 clusters: data\.A, data\.B; in "us-1", "us-2"\n/);
            const taken = await runImport(REGIONS, clusters, ["--take-ownership"]);
            assert.strictEqual(taken.code, 0, taken.err);
            // The file names the managers the user agreed to take keys from: the program's preview stops at any other.
            assert.deepStrictEqual(parseAdoptedConfig(taken.written!).takeOwnershipFrom, ["helm"]);
        });

        it("a ConfigMap not given as NAMESPACE/NAME, before anything is read", () => {
            assert.throws(() => parseArguments(["import", "app-config"], { out: () => undefined, err: () => undefined }), /give the ConfigMap as NAMESPACE\/NAME, e\.g\. shop\/app-config/);
        });
    });
});
