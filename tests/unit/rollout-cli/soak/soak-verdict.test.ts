import * as assert from "assert";
import { soakProblems, soakStartProblems } from "../../../../lib/rollout-cli/soak/soak-verdict";
import { matches, wiredWorkloads } from "../../../../lib/rollout-cli/soak/workload-observation";
import { deployment, pod } from "../fake-cluster-api";

const web = (ready: number, pods: Record<string, number> = { "web-1": 0, "web-2": 0 }) => ({ id: "deployment shop/web", namespace: "shop", ready, desired: 2, pods });

describe("soak verdict", () => {
    it("finds the wired workloads (a hash annotation on the pod template) with their ready replicas and their pods' restarts", () => {
        const objects = [
            deployment("shop", "web", 2),
            deployment("shop", "static", 1, 1, false),
            pod("shop", "web-1", "web", 1),
            pod("shop", "web-2", "web"),
            pod("other", "web-3", "web", 5),
            pod("shop", "static-1", "static"),
            { kind: "DaemonSet", metadata: { name: "agent", namespace: "kube" }, spec: { selector: { matchLabels: { a: "b" } }, template: { metadata: { annotations: { "checksum.fleet-configmap.dev/x": "1" } } } }, status: { numberReady: 3, desiredNumberScheduled: 4 } },
            { kind: "StatefulSet", metadata: { name: "db", namespace: "shop" }, spec: { selector: { matchLabels: { app: "db" } }, template: { metadata: { annotations: { "checksum.fleet-configmap.dev/db": "1" } } } }, status: {} },
        ];
        assert.deepStrictEqual(wiredWorkloads(objects), [
            { id: "daemonset kube/agent", namespace: "kube", ready: 3, desired: 4, pods: {} },
            { id: "deployment shop/web", namespace: "shop", ready: 2, desired: 2, pods: { "web-1": 1, "web-2": 0 } },
            { id: "statefulset shop/db", namespace: "shop", ready: 0, desired: 1, pods: {} },
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

    it("fails a soak that starts while a rollout is stuck, its old pods still ready (as Pulumi's wait let through on fresh clusters)", () => {
        const stuck = { ...deployment("shop", "web", 2), metadata: { name: "web", namespace: "shop", generation: 2 }, status: { observedGeneration: 2, readyReplicas: 2, updatedReplicas: 1, replicas: 3 } };
        const [state] = wiredWorkloads([stuck]);
        assert.strictEqual(state.rolloutPending, "1 of 2 replicas run its current pod template");
        assert.deepStrictEqual(soakStartProblems("a", [state]), [
            { cluster: "a", workload: "deployment shop/web", message: "its rollout had not finished when the soak started: 1 of 2 replicas run its current pod template" },
        ]);
        const unseen = { ...stuck, metadata: { ...stuck.metadata, generation: 3 } };
        assert.strictEqual(wiredWorkloads([unseen])[0].rolloutPending, "its controller had not yet acted on its current spec");
        const done = { ...stuck, status: { observedGeneration: 2, readyReplicas: 2, updatedReplicas: 2, replicas: 2 } };
        assert.deepStrictEqual(soakStartProblems("a", wiredWorkloads([done])), []);
        // OnDelete keeps old pods by design: only the generation is judged.
        const onDelete = { ...stuck, kind: "StatefulSet", spec: { ...(stuck.spec as object), updateStrategy: { type: "OnDelete" } } };
        assert.strictEqual(wiredWorkloads([onDelete])[0].rolloutPending, undefined);
    });

    it("fails a soak that starts with a workload not fully ready, so a re-run cannot pass a wave that is still unhealthy", () => {
        assert.deepStrictEqual(soakStartProblems("a", [web(2), { ...web(1), id: "deployment shop/api" }]), [
            { cluster: "a", workload: "deployment shop/api", message: "only 1 of 2 replicas were ready when the soak started" },
        ]);
    });
});
