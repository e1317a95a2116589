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
});
