import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import { ALL_CLUSTERS, CLUSTERS, Cluster, env, ensureFleet, kubeconfigDir, kubectl, kubectlGet, Scenario, startRollout, touched } from "./harness";

/**
 * Adopting a live fleet on the real engine: ConfigMaps made with kubectl in the three local clusters,
 * diverging in every way (a regional value, a one-off value, a missing key, a one-cluster key, a
 * binary value, multi-line values with trailing blanks and CRLF), imported with `fleet-rollout import`,
 * then taken over by a program that loads the adopted file (tests/e2e/adoption-program).
 */

const NAME = "adopt-cm";
const NAMESPACE = `e2e-${NAME}`;
const PROGRAM_DIR = path.join(__dirname, "adoption-program");
const WORK = fs.mkdtempSync(path.join(os.tmpdir(), "adoption-e2e-"));
const FLEET_FILE = path.join(WORK, "fleet.yaml");
const ADOPTED = path.join(WORK, "adopted", "app-config.yaml");

/** What each cluster runs before adoption, made with kubectl. */
const LIVE: Record<Cluster, { data: Record<string, string>; binaryData: Record<string, string> }> = {
    "us-east-1": {
        data: {
            LOG_LEVEL: "info",
            API_URL: "https://api.example.com",
            FEATURE_X: "on",
            "app.properties": "cache.ttl=300\nretries=3\n",
            "notes.txt": "trailing blanks  \r\nand CRLF\r\n",
        },
        binaryData: { "logo.png": "AAEC/w==" },
    },
    "eu-west-1": {
        data: {
            LOG_LEVEL: "info",
            API_URL: "https://api.eu.example.com",
            FEATURE_X: "on",
            "app.properties": "cache.ttl=300\nretries=3\n",
            "notes.txt": "trailing blanks  \r\nand CRLF\r\n",
        },
        binaryData: { "logo.png": "AAEC/w==" },
    },
    "eu-central-1": {
        data: {
            LOG_LEVEL: "debug",
            API_URL: "https://api.eu.example.com",
            "app.properties": "cache.ttl=600\nretries=3\n",
            "notes.txt": "trailing blanks  \r\nand CRLF\r\n",
            ONLY_HERE: "eu-central-1's own",
        },
        binaryData: { "logo.png": "iVBORw0KGgo=" },
    },
};

function report(line: string): void {
    console.log(`      [adoption] ${line}`);
}

function cli(...args: string[]) {
    return startRollout(env(), [...args, "-f", FLEET_FILE, "-C", WORK, "--no-progress"]).done;
}

/** Each cluster's ConfigMap as it is: UID, resourceVersion, data and binaryData. */
function live(): Record<Cluster, { uid: string; resourceVersion: string; data: Record<string, string>; binaryData: Record<string, string> }> {
    return Object.fromEntries(
        ALL_CLUSTERS.map((c) => {
            const cm = kubectlGet(c, NAMESPACE, "configmap", "app-config");
            return [c, { uid: cm.metadata.uid, resourceVersion: cm.metadata.resourceVersion, data: cm.data ?? {}, binaryData: cm.binaryData ?? {} }];
        }),
    ) as ReturnType<typeof live>;
}

describe("adopting a live fleet: import, then a first preview and up that change nothing (3 local clusters)", function () {
    this.timeout(20 * 60 * 1000);
    let scenario: Scenario;

    before(async () => {
        ensureFleet();
        fs.writeFileSync(
            FLEET_FILE,
            stringifyYaml({
                kubeconfigDir: kubeconfigDir(),
                clusters: ALL_CLUSTERS.map((name) => ({ name, region: name.startsWith("eu") ? "eu" : "us", kubeconfig: `${CLUSTERS[name]}.yaml` })),
                stacks: { by: "region" },
            }),
        );
        // Clears what an earlier run left, and gives the program its config.
        scenario = await Scenario.create(NAME, { fleetFile: FLEET_FILE, adoptedFile: ADOPTED }, PROGRAM_DIR);
        for (const cluster of ALL_CLUSTERS) {
            kubectl(cluster, "create", "namespace", NAMESPACE);
            const manifest = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "app-config", namespace: NAMESPACE }, ...LIVE[cluster] };
            const file = path.join(WORK, `${cluster}.json`);
            fs.writeFileSync(file, JSON.stringify(manifest));
            kubectl(cluster, "create", "-f", file);
        }
    });

    after(async () => {
        await scenario?.dispose();
    });

    it("import refuses keys kubectl owns until told to take them, then writes a file that reproduces every cluster", async () => {
        const refused = await cli("import", `${NAMESPACE}/app-config`, "--out", ADOPTED);
        assert.strictEqual(refused.code, 2, refused.stderr);
        assert.match(refused.stderr, /cannot be adopted; nothing was written:\n.*is owned by field manager "kubectl-create" \(Update\), which owns \d+ keys \(`data\.API_URL`/s);
        assert.ok(!fs.existsSync(ADOPTED));

        const imported = await cli("import", `${NAMESPACE}/app-config`, "--out", ADOPTED, "--take-ownership", "--json");
        assert.strictEqual(imported.code, 0, imported.stderr);
        assert.strictEqual(imported.json.found, 3);
        assert.deepStrictEqual(imported.json.missing, []);
        const divergent = Object.fromEntries(imported.json.divergent.map((k: any) => [k.key, k]));
        assert.deepStrictEqual(Object.keys(divergent).sort(), ["API_URL", "FEATURE_X", "LOG_LEVEL", "ONLY_HERE", "app.properties", "logo.png"]);
        assert.deepStrictEqual(divergent.FEATURE_X.lacking, ["eu-central-1"]);
        assert.deepStrictEqual(imported.json.uniform, ["notes.txt"]);
        const adopted = parseYaml(fs.readFileSync(ADOPTED, "utf8"));
        assert.strictEqual(adopted.data["notes.txt"], LIVE["us-east-1"].data["notes.txt"]);
        report(`import: ${imported.json.divergent.length} keys diverge, ${imported.json.entries} override entries; kubectl-create's keys refused until --take-ownership`);
    });

    it("the first preview changes no ConfigMap's data, and replaces and deletes nothing; up keeps every UID and every byte", async () => {
        const before = live();
        const preview = await scenario.preview();
        const changes = preview.steps.filter((s) => !["same", "read"].includes(s.op));
        const configMaps = changes.filter((s) => s.type === "kubernetes:core/v1:ConfigMap");
        // The state has no ConfigMap yet, so each is a create; the provider applies it over the one that exists (server-side apply).
        assert.deepStrictEqual(configMaps.map((s) => s.op), ["create", "create", "create"]);
        assert.deepStrictEqual(changes.filter((s) => !["create"].includes(s.op)), [], "no update, replace or delete");
        assert.deepStrictEqual(live(), before, "a preview changes nothing");

        await scenario.up();
        const after = live();
        for (const cluster of ALL_CLUSTERS) {
            assert.strictEqual(after[cluster].uid, before[cluster].uid, `${cluster}: the same ConfigMap`);
            assert.deepStrictEqual(after[cluster].data, LIVE[cluster].data, `${cluster}: data byte for byte`);
            assert.deepStrictEqual(after[cluster].binaryData, LIVE[cluster].binaryData, `${cluster}: binaryData byte for byte`);
        }
        const again = await scenario.preview({ expectNoChanges: true });
        assert.deepStrictEqual(touched(again), []);
        report(`first up: ${configMaps.length} ConfigMaps taken over, UIDs and data unchanged; the next preview has no change`);
    });

    it("after adoption, one regional edit of the adopted file changes exactly that region's ConfigMaps", async () => {
        const before = live();
        const adopted = parseYaml(fs.readFileSync(ADOPTED, "utf8"));
        adopted.overrides ??= {};
        adopted.overrides.regions ??= {};
        adopted.overrides.regions.eu ??= {};
        adopted.overrides.regions.eu.data = { ...adopted.overrides.regions.eu.data, REGION_BANNER: "eu maintenance on Sunday" };
        fs.writeFileSync(ADOPTED, stringifyYaml(adopted));
        const up = await scenario.up();
        assert.deepStrictEqual(touched(up, "update"), ["app-config-eu-central-1", "app-config-eu-west-1"]);
        const after = live();
        assert.strictEqual(after["us-east-1"].resourceVersion, before["us-east-1"].resourceVersion, "us-east-1 untouched");
        for (const cluster of ["eu-west-1", "eu-central-1"] as const) {
            assert.deepStrictEqual(after[cluster].data, { ...LIVE[cluster].data, REGION_BANNER: "eu maintenance on Sunday" });
            assert.strictEqual(after[cluster].uid, before[cluster].uid);
        }
        report("a regional edit: eu-west-1 and eu-central-1 updated in place, us-east-1 untouched");
    });
});
