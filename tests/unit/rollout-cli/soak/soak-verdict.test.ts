import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { soakProblems, soakStartProblems } from "../../../../lib/rollout-cli/soak/soak-verdict";
import { matches, wiredWorkloads } from "../../../../lib/rollout-cli/soak/workload-observation";
import { deployment, pod } from "../fake-cluster-api";

const web = (ready: number, pods: Record<string, number> = { "web-1": 0, "web-2": 0 }, unfinished?: string) => ({ id: "deployment shop/web", namespace: "shop", ready, pods, ...(unfinished ? { unfinished } : {}) });

describe("soak verdict", () => {
    it("finds the wired workloads (a hash annotation on the pod template) with their ready replicas and their pods' restarts", () => {
        const objects = [
            deployment("shop", "web", 2),
            deployment("shop", "static", 1, 1, false),
            pod("shop", "web-1", "web", 1),
            pod("shop", "web-2", "web"),
            pod("other", "web-3", "web", 5),
            pod("shop", "static-1", "static"),
            { kind: "DaemonSet", metadata: { name: "agent", namespace: "kube", generation: 1 }, spec: { selector: { matchLabels: { a: "b" } }, template: { metadata: { annotations: { "checksum.fleet-configmap.dev/x": "1" } } } }, status: { observedGeneration: 1, numberReady: 3, numberAvailable: 3, desiredNumberScheduled: 4, updatedNumberScheduled: 4 } },
            { kind: "StatefulSet", metadata: { name: "db", namespace: "shop" }, spec: { selector: { matchLabels: { app: "db" } }, template: { metadata: { annotations: { "checksum.fleet-configmap.dev/db": "1" } } } }, status: {} },
        ];
        assert.deepStrictEqual(wiredWorkloads(objects), [
            { id: "daemonset kube/agent", namespace: "kube", ready: 3, pods: {}, unfinished: "3 of 4 updated pods are available" },
            { id: "deployment shop/web", namespace: "shop", ready: 2, pods: { "web-1": 1, "web-2": 0 } },
            { id: "statefulset shop/db", namespace: "shop", ready: 0, pods: {}, unfinished: "waiting for its spec update to be observed (generation 0, observed 0)" },
        ]);
    });

    it("matches pods to a workload by its selector, labels and expressions, as the API server does", () => {
        const selector = { matchLabels: { app: "web" }, matchExpressions: [{ key: "tier", operator: "In", values: ["a", "b"] }, { key: "canary", operator: "DoesNotExist" }] };
        assert.strictEqual(matches(selector, { app: "web", tier: "a" }), true);
        assert.strictEqual(matches(selector, { app: "web", tier: "c" }), false);
        assert.strictEqual(matches(selector, { app: "web", tier: "a", canary: "1" }), false);
        assert.strictEqual(matches({ matchExpressions: [{ key: "x", operator: "NotIn", values: ["1"] }] }, {}), true);
        assert.strictEqual(matches({ matchExpressions: [{ key: "x", operator: "Exists" }] }, { x: "" }), true);
        assert.strictEqual(matches(undefined, { app: "web" }), false);
    });

    it("finds nothing wrong while the workloads stay as ready as they started and no pod restarts", () => {
        assert.deepStrictEqual(soakProblems("a", [web(2)], [web(2)]), []);
        // A replaced pod is not a restart, and a workload that appeared is not judged.
        assert.deepStrictEqual(soakProblems("a", [web(2)], [web(2, { "web-1": 0, "web-9": 4 }), { ...web(0), id: "deployment shop/new" }]), []);
    });

    it("fails a workload whose ready replicas fall below their number at the start", () => {
        assert.deepStrictEqual(soakProblems("a", [web(2)], [web(1)]), [{ cluster: "a", workload: "deployment shop/web", message: "ready replicas fell from 2 to 1" }]);
    });

    it("fails a workload one of whose pods restarted, naming the pods and counting the restarts", () => {
        assert.deepStrictEqual(soakProblems("a", [web(2, { "web-1": 1, "web-2": 0 })], [web(2, { "web-1": 3, "web-2": 1 })]), [
            { cluster: "a", workload: "deployment shop/web", message: "pods web-1, web-2 restarted (3 restarts during the soak)" },
        ]);
    });

    it("fails a workload that is gone", () => {
        assert.deepStrictEqual(soakProblems("a", [web(2)], []), [{ cluster: "a", workload: "deployment shop/web", message: "is gone; it was there when the soak started" }]);
    });

    it("fails a workload whose rollout is no longer finished at a later look, with kubectl's reason, after any fall in ready replicas", () => {
        assert.deepStrictEqual(soakProblems("a", [web(2)], [web(1, undefined, "1 of 2 updated replicas are available")]), [
            { cluster: "a", workload: "deployment shop/web", message: "ready replicas fell from 2 to 1" },
            { cluster: "a", workload: "deployment shop/web", message: "its rollout was no longer finished: 1 of 2 updated replicas are available" },
        ]);
        // The ready count may stay, as when a scale-up's new pod is Pending: the rollout still says so.
        assert.deepStrictEqual(soakProblems("a", [web(2)], [web(2, undefined, "2 out of 3 new replicas have been updated")]), [
            { cluster: "a", workload: "deployment shop/web", message: "its rollout was no longer finished: 2 out of 3 new replicas have been updated" },
        ]);
    });

    it("fails a soak that starts while a rollout is stuck, its old pod still serving and the updated count met (as Pulumi's wait let through), naming the workload and kubectl's reason", () => {
        // The case as captured (fixtures/capture.sh): 2 replicas, 1 updated, 1 ready and available.
        const captured = JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", "deployment-one-replica-old-pending.json"), "utf8"));
        const stuck = { ...captured, spec: { ...captured.spec, ...(deployment("shop", "web", 1, 1).spec as object) } };
        const states = wiredWorkloads([stuck, deployment("capture-33", "api", 1, 1)]);
        assert.deepStrictEqual(soakStartProblems("a", states), [
            { cluster: "a", workload: "deployment capture-33/solo", message: "its rollout had not finished when the soak started: 1 old replica pending termination" },
        ]);
    });

    it("starts a soak on finished rollouts without a problem, and fails one that starts with a workload not fully ready, so a re-run cannot pass a wave that is still unhealthy", () => {
        assert.deepStrictEqual(soakStartProblems("a", wiredWorkloads([deployment("shop", "web", 2), deployment("shop", "api", 1, 1)])), []);
        assert.deepStrictEqual(soakStartProblems("a", wiredWorkloads([deployment("shop", "web", 2), deployment("shop", "api", 1)])), [
            { cluster: "a", workload: "deployment shop/api", message: "its rollout had not finished when the soak started: 1 of 2 updated replicas are available" },
        ]);
    });
});
