import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse as parseYaml, stringify as stringifyYaml } from "yaml";
import type { StepEventMetadata } from "@pulumi/pulumi/automation";
import { CONFIGMAP, keyDiffs } from "../../lib/rollout-cli/review/changes";
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

/** A Deployment made with kubectl that reads app-config: a consumer the program does not manage. */
const LEGACY_WEB = {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: "legacy-web", namespace: NAMESPACE, labels: { app: "legacy-web" } },
    spec: {
        replicas: 1,
        selector: { matchLabels: { app: "legacy-web" } },
        template: {
            metadata: { labels: { app: "legacy-web" }, annotations: { "team.example.com/owner": "payments" } },
            spec: { containers: [{ name: "web", image: "nginx:1.27", envFrom: [{ configMapRef: { name: "app-config" } }] }] },
        },
    },
};
const HASH_KEY = "checksum.fleet-configmap.dev/app-config";
/** The metadata a Helm-made ConfigMap carries in every cluster, which adoption must keep. */
const HELM_LABELS = { "helm.sh/chart": "app-1.0" };
const HELM_ANNOTATIONS = { "meta.helm.sh/release-name": "app" };

/** legacy-web as it is in `cluster`, with its managed fields (kubectl leaves them out unless asked). */
function legacyWeb(cluster: Cluster): any {
    try {
        return JSON.parse(kubectl(cluster, "-n", NAMESPACE, "get", "deployment", "legacy-web", "-o", "json", "--show-managed-fields"));
    } catch (err) {
        if (/NotFound|not found/.test(String((err as { stderr?: string }).stderr ?? err))) return undefined;
        throw err;
    }
}

/** Waits until the cluster's controllers have made legacy-web's pods, which import reads its consumers from. */
async function podsOf(cluster: Cluster): Promise<void> {
    for (let i = 0; i < 60; i++) {
        const pods = JSON.parse(kubectl(cluster, "-n", NAMESPACE, "get", "pods", "-l", "app=legacy-web", "-o", "json")).items;
        if (pods.length > 0) return;
        await new Promise((resolve) => setTimeout(resolve, 1000));
    }
    throw new Error(`${cluster}: legacy-web has no pod after 60 s`);
}

function report(line: string): void {
    console.log(`      [adoption] ${line}`);
}

function cli(...args: string[]) {
    return startRollout(env(), [...args, "-f", FLEET_FILE, "-C", WORK, "--no-progress"]).done;
}

/** Each cluster's ConfigMap as it is: UID, resourceVersion, labels, annotations, data and binaryData. */
function live(): Record<
    Cluster,
    { uid: string; resourceVersion: string; labels: Record<string, string>; annotations: Record<string, string>; data: Record<string, string>; binaryData: Record<string, string> }
> {
    return Object.fromEntries(
        ALL_CLUSTERS.map((c) => {
            const cm = kubectlGet(c, NAMESPACE, "configmap", "app-config");
            const { metadata } = cm;
            return [c, { uid: metadata.uid, resourceVersion: metadata.resourceVersion, labels: metadata.labels ?? {}, annotations: metadata.annotations ?? {}, data: cm.data ?? {}, binaryData: cm.binaryData ?? {} }];
        }),
    ) as ReturnType<typeof live>;
}

describe("adopting a live fleet: import, then a first preview and up that change nothing, a kubectl-made consumer rolled by region (3 local clusters)", function () {
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
            const manifest = { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "app-config", namespace: NAMESPACE, labels: HELM_LABELS, annotations: HELM_ANNOTATIONS }, ...LIVE[cluster] };
            const file = path.join(WORK, `${cluster}.json`);
            fs.writeFileSync(file, JSON.stringify(manifest));
            kubectl(cluster, "create", "-f", file);
            const deployment = path.join(WORK, `${cluster}-legacy-web.json`);
            fs.writeFileSync(deployment, JSON.stringify(LEGACY_WEB));
            kubectl(cluster, "create", "-f", deployment);
            // A field another manager owns, which adoption must leave alone.
            kubectl(cluster, "-n", NAMESPACE, "annotate", "deployment", "legacy-web", "team.example.com/oncall=payments-oncall");
        }
        for (const cluster of ALL_CLUSTERS) await podsOf(cluster);
    });

    after(async () => {
        await scenario?.dispose();
    });

    it("import refuses keys kubectl owns until told to take them, then writes a file that reproduces every cluster", async () => {
        const refused = await cli("import", `${NAMESPACE}/app-config`);
        assert.strictEqual(refused.code, 2, refused.stderr);
        assert.match(refused.stderr, /cannot be adopted; nothing was written:\n.*`binaryData\["logo\.png"\]` \(cluster "us-east-1"\): is owned by field manager "kubectl-create" \(Update\), which owns 7 keys \(`binaryData\["logo\.png"\]`, `data\.API_URL`/s);
        assert.ok(!fs.existsSync(ADOPTED));

        // The text a user reads, kept for docs/ADOPTION.md (copied to docs/adoption/ from a real run).
        const text = await cli("import", `${NAMESPACE}/app-config`, "--take-ownership");
        assert.strictEqual(text.code, 0, text.stderr);
        fs.writeFileSync(path.join(WORK, "import-refused.txt"), refused.stdout + refused.stderr);
        fs.writeFileSync(path.join(WORK, "import-output.txt"), text.stdout);
        report(`import's output saved in ${WORK}: import-refused.txt, import-output.txt`);

        const imported = await cli("import", `${NAMESPACE}/app-config`, "--take-ownership", "--overwrite", "--json");
        assert.strictEqual(imported.code, 0, imported.stderr);
        assert.strictEqual(imported.json.found, 3);
        assert.deepStrictEqual(imported.json.missing, []);
        const divergent = Object.fromEntries(imported.json.divergent.map((k: any) => [k.key, k]));
        assert.deepStrictEqual(Object.keys(divergent).sort(), ["API_URL", "FEATURE_X", "LOG_LEVEL", "ONLY_HERE", "app.properties", "logo.png"]);
        assert.deepStrictEqual(divergent.FEATURE_X.lacking, ["eu-central-1"]);
        assert.deepStrictEqual(imported.json.uniform, ["notes.txt"]);
        const adopted = parseYaml(fs.readFileSync(ADOPTED, "utf8"));
        assert.strictEqual(adopted.data["notes.txt"], LIVE["us-east-1"].data["notes.txt"]);
        assert.deepStrictEqual(adopted.externalConsumers, { fleet: [{ kind: "Deployment", name: "legacy-web" }] }, "proposed from legacy-web's pods");
        assert.deepStrictEqual(adopted.metadata, { name: "app-config", namespace: NAMESPACE, labels: HELM_LABELS, annotations: HELM_ANNOTATIONS }, "the labels and annotations every cluster has");
        const check = await cli("import", `${NAMESPACE}/app-config`, "--check");
        assert.strictEqual(check.code, 0, check.stdout + check.stderr);
        assert.match(check.stdout, /gives each of the 3 clusters that have ConfigMap e2e-adopt-cm\/app-config exactly what it runs/);
        assert.deepStrictEqual(adopted.takeOwnershipFrom, ["kubectl-create"], "the manager --take-ownership agreed to take keys from");
        report(`import: ${imported.json.divergent.length} keys diverge, ${imported.json.entries} override entries; kubectl-create's keys refused until --take-ownership`);
    });

    it("a key another manager takes after the import stops the first preview, naming the manager, the key and the cluster, with nothing changed; importing again with --take-ownership names it", async () => {
        // A Helm-like tool applies one key, with the value it has: from now on it owns that field too.
        const helm = path.join(WORK, "helm-apply.json");
        fs.writeFileSync(helm, JSON.stringify({ apiVersion: "v1", kind: "ConfigMap", metadata: { name: "app-config", namespace: NAMESPACE }, data: { LOG_LEVEL: "info" } }));
        kubectl("eu-west-1", "apply", "--server-side", "--force-conflicts", "--field-manager=helm", "-f", helm);
        const before = live();
        const failed = await scenario.previewFailing();
        assert.match(failed.error, /would take keys of adopted ConfigMaps from other field managers; nothing was changed:\n\s+- `data\.LOG_LEVEL` \(cluster "eu-west-1"\): of ConfigMap e2e-adopt-cm\/app-config is owned by field manager "helm" \(Apply\)/);
        assert.doesNotMatch(failed.error, /"kubectl-create" \(Update\), with/, "the manager the file names is no clash");
        assert.deepStrictEqual(
            failed.steps.filter((s) => !["same", "read"].includes(s.op) && s.type.startsWith("kubernetes:") && !s.type.startsWith("pulumi:providers")).map((s) => `${s.op} ${s.urn.split("::").pop()}`),
            [],
            "no ConfigMap or patch step",
        );
        assert.deepStrictEqual(live(), before, "nothing changed in any cluster");
        const again = await cli("import", `${NAMESPACE}/app-config`, "--take-ownership", "--overwrite");
        assert.strictEqual(again.code, 0, again.stderr);
        assert.deepStrictEqual(parseYaml(fs.readFileSync(ADOPTED, "utf8")).takeOwnershipFrom, ["helm", "kubectl-create"]);
        // The message a user reads, kept for docs/ADOPTION.md (copied to docs/adoption/ from a real run).
        fs.writeFileSync(path.join(WORK, "preview-ownership.txt"), failed.error.match(/FleetConfigMap "app-config" would take keys[^\n]*\n(\s+- [^\n]*\n?)+/)![0].trimEnd() + "\n");
        report(`helm took LOG_LEVEL in eu-west-1: the preview stopped, naming it (saved in ${WORK}/preview-ownership.txt); import --take-ownership --overwrite named helm`);
    });

    it("the first preview imports every ConfigMap with no change to its data, and replaces and deletes nothing; up keeps every UID and every byte", async () => {
        const before = live();
        const adopted = parseYaml(fs.readFileSync(ADOPTED, "utf8"));
        assert.deepStrictEqual(adopted.adopt, ALL_CLUSTERS, "the file lists every cluster that has the ConfigMap: the program imports them");
        const preview = await scenario.preview();
        const changes = preview.steps.filter((s) => !["same", "read"].includes(s.op));
        const configMaps = changes.filter((s) => s.type === CONFIGMAP);
        const name = (s: StepEventMetadata) => s.urn.split("::").pop()!;
        // The engine reads each ConfigMap as it is into the state (`= import`): none is created.
        assert.deepStrictEqual(configMaps.filter((s) => s.op === "import").map(name).sort(), ALL_CLUSTERS.map((c) => `app-config-${c}`).sort());
        // Then it diffs the program's inputs against what it read: never a data or binaryData key, nor the
        // Helm-made labels and annotations (the adopted file keeps them). The one difference a hand-made
        // ConfigMap has is the package's own pulumi.com/patchForce annotation.
        for (const step of configMaps.filter((s) => s.op !== "import")) {
            assert.strictEqual(step.op, "update", `${name(step)}: ${step.op}`);
            assert.deepStrictEqual(Object.keys(step.detailedDiff ?? {}), ['metadata.annotations["pulumi.com/patchForce"]'], name(step));
            assert.deepStrictEqual(step.detailedDiff!['metadata.annotations["pulumi.com/patchForce"]'].diffKind, "add", name(step));
            const metadata = (s: StepEventMetadata["old"]) => (s?.inputs as any)?.metadata ?? {};
            assert.deepStrictEqual(metadata(step.new).labels, HELM_LABELS, `${name(step)}: the labels kept`);
            assert.deepStrictEqual(
                [metadata(step.old).annotations, metadata(step.new).annotations],
                [HELM_ANNOTATIONS, { ...HELM_ANNOTATIONS, "pulumi.com/patchForce": "true" }],
                `${name(step)}: the one annotation added`,
            );
            assert.deepStrictEqual(keyDiffs(step), [], `${name(step)}: no key added, changed or removed`);
        }
        // The one restart adoption costs: legacy-web's hash annotation, one patch per cluster, which the review lists as a restart.
        const patches = changes.filter((s) => s.type === "kubernetes:apps/v1:DeploymentPatch");
        assert.deepStrictEqual(patches.map((s) => `${s.op} ${name(s)}`).sort(), ALL_CLUSTERS.map((c) => `create app-config-${c}-deployment-${NAMESPACE}-legacy-web`).sort());
        const creates = changes.filter((s) => s.op === "create" && s.type.startsWith("kubernetes:") && !s.type.startsWith("pulumi:providers"));
        assert.deepStrictEqual(creates.map((s) => s.type).filter((t) => t !== "kubernetes:apps/v1:DeploymentPatch"), [], "nothing else in a cluster is created");
        assert.deepStrictEqual(changes.filter((s) => !["create", "import", "update"].includes(s.op)).map((s) => `${s.op} ${name(s)}`), [], "no replace or delete");
        assert.deepStrictEqual(live(), before, "a preview changes nothing");
        const webBefore = Object.fromEntries(ALL_CLUSTERS.map((c) => [c, legacyWeb(c)]));
        // The engine's steps as a reader sees them, kept for docs/ADOPTION.md.
        const stepLine = (s: StepEventMetadata) => `${s.op} ${s.type.split(":").pop()} ${name(s)}${s.detailedDiff && Object.keys(s.detailedDiff).length ? `: ${Object.keys(s.detailedDiff).join(", ")}` : ""}`;
        const cluster = changes.filter((s) => s.type.startsWith("kubernetes:") && !s.type.startsWith("pulumi:providers"));
        fs.writeFileSync(path.join(WORK, "first-preview.txt"), [...new Set(cluster.map(stepLine))].sort().join("\n") + "\n");
        report(`first preview's steps in the clusters saved in ${WORK}/first-preview.txt`);

        await scenario.up();
        const after = live();
        for (const cluster of ALL_CLUSTERS) {
            assert.strictEqual(after[cluster].uid, before[cluster].uid, `${cluster}: the same ConfigMap`);
            assert.deepStrictEqual(after[cluster].data, LIVE[cluster].data, `${cluster}: data byte for byte`);
            assert.deepStrictEqual(after[cluster].binaryData, LIVE[cluster].binaryData, `${cluster}: binaryData byte for byte`);
            assert.deepStrictEqual(after[cluster].labels, HELM_LABELS, `${cluster}: its labels kept`);
            assert.deepStrictEqual(after[cluster].annotations, { ...HELM_ANNOTATIONS, "pulumi.com/patchForce": "true" }, `${cluster}: its annotations kept, patchForce added`);
        }
        for (const cluster of ALL_CLUSTERS) {
            const web = legacyWeb(cluster);
            const was = webBefore[cluster];
            assert.strictEqual(web.metadata.uid, was.metadata.uid);
            assert.match(web.spec.template.metadata.annotations[HASH_KEY], /^[0-9a-f]{64}$/, `${cluster}: legacy-web carries the hash`);
            // Nothing else of it changed, and every manager it had keeps its fields.
            const { [HASH_KEY]: _hash, ...others } = web.spec.template.metadata.annotations;
            assert.deepStrictEqual(others, was.spec.template.metadata.annotations);
            assert.deepStrictEqual(web.spec.template.spec.containers, was.spec.template.spec.containers);
            assert.strictEqual(web.metadata.annotations["team.example.com/oncall"], "payments-oncall");
            const managers = (d: any) => d.metadata.managedFields.map((m: any) => m.manager);
            for (const m of managers(was)) assert.ok(managers(web).includes(m), `${cluster}: ${m} still manages legacy-web`);
        }
        const again = await scenario.preview({ expectNoChanges: true });
        assert.deepStrictEqual(touched(again), []);
        report(`first up: ${configMaps.filter((s) => s.op === "import").length} ConfigMaps imported, UIDs and data unchanged; legacy-web annotated (its one restart), nothing else of it touched; the next preview has no change`);
    });

    it("after adoption, one regional edit of the adopted file changes exactly that region's ConfigMaps", async () => {
        const before = live();
        const adopted = parseYaml(fs.readFileSync(ADOPTED, "utf8"));
        adopted.overrides ??= {};
        adopted.overrides.regions ??= {};
        adopted.overrides.regions.eu ??= {};
        adopted.overrides.regions.eu.data = { ...adopted.overrides.regions.eu.data, REGION_BANNER: "eu maintenance on Sunday" };
        fs.writeFileSync(ADOPTED, stringifyYaml(adopted));
        const hashesBefore = Object.fromEntries(ALL_CLUSTERS.map((c) => [c, legacyWeb(c).spec.template.metadata.annotations[HASH_KEY]]));
        const up = await scenario.up();
        assert.deepStrictEqual(touched(up, "update"), [
            "app-config-eu-central-1",
            `app-config-eu-central-1-deployment-${NAMESPACE}-legacy-web`,
            "app-config-eu-west-1",
            `app-config-eu-west-1-deployment-${NAMESPACE}-legacy-web`,
        ]);
        assert.strictEqual(legacyWeb("us-east-1").spec.template.metadata.annotations[HASH_KEY], hashesBefore["us-east-1"], "us-east-1's legacy-web does not roll");
        for (const cluster of ["eu-west-1", "eu-central-1"] as const) {
            assert.notStrictEqual(legacyWeb(cluster).spec.template.metadata.annotations[HASH_KEY], hashesBefore[cluster], `${cluster}'s legacy-web rolls`);
        }
        const after = live();
        assert.strictEqual(after["us-east-1"].resourceVersion, before["us-east-1"].resourceVersion, "us-east-1 untouched");
        for (const cluster of ["eu-west-1", "eu-central-1"] as const) {
            assert.deepStrictEqual(after[cluster].data, { ...LIVE[cluster].data, REGION_BANNER: "eu maintenance on Sunday" });
            assert.strictEqual(after[cluster].uid, before[cluster].uid);
        }
        report("a regional edit: eu-west-1 and eu-central-1 updated in place and their legacy-web rolled; us-east-1 untouched");
    });

    it("a named external consumer that is not in a cluster fails the preview, naming that cluster, and changes nothing", async () => {
        const adopted = parseYaml(fs.readFileSync(ADOPTED, "utf8"));
        const withMissing = { ...adopted, externalConsumers: { ...adopted.externalConsumers, clusters: { "eu-west-1": [{ kind: "Deployment", name: "not-there" }] } } };
        fs.writeFileSync(ADOPTED, stringifyYaml(withMissing));
        const before = live();
        const failed = await scenario.previewFailing();
        assert.match(failed.error, /app-config-eu-west-1-deployment-e2e-adopt-cm-not-there-live/);
        assert.match(failed.error, /not-there.*(does not exist|not found|NotFound)/is);
        assert.deepStrictEqual(live(), before);
        fs.writeFileSync(ADOPTED, stringifyYaml(adopted));
        report("a consumer not in eu-west-1: the preview fails, naming app-config-eu-west-1-…-not-there");
    });

    it("destroy removes legacy-web's hash annotation and never legacy-web", async () => {
        const uids = Object.fromEntries(ALL_CLUSTERS.map((c) => [c, legacyWeb(c).metadata.uid]));
        await scenario.destroy();
        for (const cluster of ALL_CLUSTERS) {
            const web = legacyWeb(cluster);
            assert.ok(web, `${cluster}: legacy-web survives destroy`);
            assert.strictEqual(web.metadata.uid, uids[cluster]);
            assert.strictEqual(web.spec.template.metadata.annotations?.[HASH_KEY], undefined, `${cluster}: the annotation is gone`);
            assert.strictEqual(web.spec.template.metadata.annotations?.["team.example.com/owner"], "payments");
        }
        report("destroy: legacy-web kept in every cluster, its hash annotation removed");
    });
});
