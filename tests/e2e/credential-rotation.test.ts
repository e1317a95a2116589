/**
 * Rotating one cluster's credentials on the real engine (issue 21, point 1): a new client certificate,
 * signed by the cluster's CA, a CA bundle with a new CA added and a renamed context, as a rotation
 * gives. The cluster is the same, so its provider must be updated in place (its `clusterIdentifier` is
 * the cluster's name) and nothing in any cluster may be written, replaced or restarted. Without the
 * identifier, pulumi-kubernetes takes the changed cluster entry (the CA bundle) for another cluster and
 * replaces the provider and everything on it: this test then fails.
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ALL_CLUSTERS, CLUSTERS, ensureFleet, env, kubeconfigDir, kubectl, ROOT, Scenario, touched } from "./harness";

/** Every object the program writes in a cluster, and every pod: kind/name → uid and resourceVersion. */
function objects(namespace: string): Record<string, string> {
    const result: Record<string, string> = {};
    for (const cluster of ALL_CLUSTERS) {
        const items = JSON.parse(kubectl(cluster, "-n", namespace, "get", "configmaps,deployments,statefulsets,daemonsets,pods", "-o", "json")).items;
        for (const o of items) {
            if (o.kind === "ConfigMap" && o.metadata.name === "kube-root-ca.crt") continue;
            // A pod's resourceVersion moves with kwok's status updates; its uid is what a restart changes.
            result[`${cluster}/${o.kind}/${o.metadata.name}`] = o.kind === "Pod" ? o.metadata.uid : `${o.metadata.uid}@${o.metadata.resourceVersion}`;
        }
    }
    return result;
}

describe("credential rotation on the real engine (3 local clusters)", function () {
    // Four engine runs and a preview; a loaded 2-core machine once took 15 minutes over them.
    this.timeout(30 * 60 * 1000);

    before(() => ensureFleet());

    it("a new client certificate, a new CA in the bundle and a renamed context for eu-west-1 update its provider in place and change, replace and restart nothing", async () => {
        // The scenario's own copy of the kubeconfigs, so that rotating one leaves the shared files alone.
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rotation-kubeconfigs-"));
        for (const kwok of Object.values(CLUSTERS)) fs.copyFileSync(path.join(kubeconfigDir(), `${kwok}.yaml`), path.join(dir, `${kwok}.yaml`));
        const s = await Scenario.create("rotation", { kubeconfigDir: dir });
        try {
            await s.up();
            const before = objects(s.namespace);
            assert.ok(Object.keys(before).some((k) => k.startsWith("eu-west-1/ConfigMap/app-config")), "the program wrote app-config in eu-west-1");

            execFileSync(path.join(ROOT, "scripts/fleet"), ["rotate-credentials", CLUSTERS["eu-west-1"], path.join(dir, `${CLUSTERS["eu-west-1"]}.yaml`)], { env: env(), stdio: "ignore" });
            const rotated = fs.readFileSync(path.join(dir, `${CLUSTERS["eu-west-1"]}.yaml`), "utf8");
            assert.match(rotated, /current-context: fleet-2-rotated/);

            const preview = await s.preview();
            assert.deepStrictEqual(touched(preview), ["e2e-eu-west-1"], `only eu-west-1's provider changes: ${JSON.stringify(preview.steps.map((st) => [st.op, st.urn]))}`);
            assert.deepStrictEqual(touched(preview, "update"), ["e2e-eu-west-1"], "an update, not a replacement");
            s.report(`preview after the rotation: ${preview.steps.filter((st) => !["same", "read"].includes(st.op)).map((st) => `${st.op} ${st.urn.split("::").pop()}`).join(", ")}`);

            const up = await s.up();
            assert.deepStrictEqual(touched(up), ["e2e-eu-west-1"]);
            assert.deepStrictEqual(objects(s.namespace), before, "no ConfigMap, workload or pod was written, replaced or restarted in any cluster");
            assert.deepStrictEqual(touched(await s.preview()), [], "a second run changes nothing");

            // The provider now reaches eu-west-1 with the new certificate: an EU change still lands there, in place.
            await s.setConfig("euApiUrl", "https://api-rotated.eu.example.com");
            await s.up();
            const cm = JSON.parse(kubectl("eu-west-1", "-n", s.namespace, "get", "configmap", "app-config", "-o", "json"));
            assert.strictEqual(cm.data.API_URL, "https://api-rotated.eu.example.com");
            assert.strictEqual(`${cm.metadata.uid}`, before["eu-west-1/ConfigMap/app-config"].split("@")[0], "the same ConfigMap, updated in place");
            s.report(`after the rotation: ${Object.keys(before).length} objects and pods kept their uid and version; an EU change then reached eu-west-1 through the new certificate`);
        } finally {
            await s.dispose();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("a kubeconfig for eu-west-1 that reaches another cluster is refused before any change, under preview, up and --continue-on-error, once and without a stack trace", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wrong-cluster-kubeconfigs-"));
        for (const kwok of Object.values(CLUSTERS)) fs.copyFileSync(path.join(kubeconfigDir(), `${kwok}.yaml`), path.join(dir, `${kwok}.yaml`));
        const s = await Scenario.create("wrong-cluster", { kubeconfigDir: dir });
        const euKubeconfig = path.join(dir, `${CLUSTERS["eu-west-1"]}.yaml`);
        try {
            await s.up();
            const before = objects(s.namespace);
            const state = await s.state();

            // eu-west-1's kubeconfig now reaches us-east-1's cluster, and an EU change is pending: without the
            // check, the update would write the EU values into us-east-1's app-config (same name and namespace).
            fs.copyFileSync(path.join(kubeconfigDir(), `${CLUSTERS["us-east-1"]}.yaml`), euKubeconfig);
            await s.setConfig("euApiUrl", "https://api-wrong.eu.example.com");
            const usUid = JSON.parse(kubectl("us-east-1", "get", "namespace", "kube-system", "-o", "json")).metadata.uid;
            const euUid = JSON.parse(kubectl("eu-west-1", "get", "namespace", "kube-system", "-o", "json")).metadata.uid;

            const refusals = [await s.previewFailing(), await s.upFailing(), await s.upFailing({ continueOnError: true })];
            for (const refused of refusals) {
                const text = refused.error + "\n" + refused.diagnostics.join("\n");
                assert.match(text, /Fleet "e2e" has invalid arguments; nothing was changed/);
                assert.match(text, new RegExp(`\`clusters\\[1\\]\\.kubeconfig\` \\(cluster "eu-west-1"\\): reaches a different Kubernetes cluster than the one this stack manages under that name: its kube-system namespace has UID ${usUid}, the stack's state has ${euUid}`));
                assert.strictEqual(refused.diagnostics.filter((d) => d.startsWith("error:") && d.includes("reaches a different Kubernetes cluster")).length, 1, `reported once: ${refused.diagnostics.join("\n")}`);
                assert.doesNotMatch(text, /\n\s+at .+:\d+:\d+\)?\n/, "no stack trace");
                assert.deepStrictEqual(touched(refused), [], "nothing was changed");
            }
            assert.deepStrictEqual(objects(s.namespace), before, "no object in any cluster was written");
            assert.deepStrictEqual(await s.state(), state, "the state is unchanged");
            s.report(`wrong cluster under eu-west-1's name refused by preview, up and up --continue-on-error: ${refusals[0].diagnostics.find((d) => d.includes("reaches"))?.split("\n").find((l) => l.includes("reaches"))?.trim()}`);

            // Back to the right cluster: the pending EU change lands in eu-west-1, and only there.
            fs.copyFileSync(path.join(kubeconfigDir(), `${CLUSTERS["eu-west-1"]}.yaml`), euKubeconfig);
            await s.up();
            assert.strictEqual(JSON.parse(kubectl("eu-west-1", "-n", s.namespace, "get", "configmap", "app-config", "-o", "json")).data.API_URL, "https://api-wrong.eu.example.com");
            assert.notStrictEqual(JSON.parse(kubectl("us-east-1", "-n", s.namespace, "get", "configmap", "app-config", "-o", "json")).data.API_URL, "https://api-wrong.eu.example.com");
        } finally {
            await s.dispose();
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
