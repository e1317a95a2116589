import * as assert from "assert";
import { ClusterApiError, KubeObject } from "../../../../lib/rollout-cli/cluster-api/cluster-api";
import { watchSoak } from "../../../../lib/rollout-cli/soak/soak-watch";
import { access, deployment, FakeClusterApi, pod } from "../fake-cluster-api";

/** Objects that change with each look: the n-th look (from 0) sees `looks[min(n, last)]`. */
function changing(looks: KubeObject[][]) {
    let n = 0;
    return () => looks[Math.min(n++, looks.length - 1)];
}

const healthy = () => [deployment("shop", "web", 2), pod("shop", "web-1", "web"), pod("shop", "web-2", "web")];
const options = (extra: Partial<Parameters<typeof watchSoak>[2]> = {}) => ({ durationMs: 60, pollMs: 10, concurrency: 2, signal: new AbortController().signal, progress: () => undefined, ...extra });

describe("soak watch", () => {
    it("passes when every cluster's wired workloads stay ready for the whole soak, and counts what it watched", async () => {
        const api = new FakeClusterApi({ a: { objects: healthy }, b: { objects: healthy } });
        const lines: string[] = [];
        const result = await watchSoak([access("a"), access("b")], api, options({ progress: (l) => lines.push(l) }));
        assert.strictEqual(result.status, "passed");
        assert.deepStrictEqual([result.clusters, result.workloads], [2, 2]);
        assert.ok(result.elapsedMs >= 60);
        assert.ok(api.requests.filter((r) => r.startsWith("a:")).length >= 4, "it looks more than once");
        assert.match(lines[0], /^0s left; 2 wired workloads in 2 of 2 clusters steady$/);
    });

    it("fails at the first look that finds a pod restarted, naming the cluster and the workload", async () => {
        const b = changing([healthy(), [deployment("shop", "web", 2), pod("shop", "web-1", "web", 1), pod("shop", "web-2", "web")]]);
        const api = new FakeClusterApi({ a: { objects: healthy }, b: { objects: b } });
        const result = await watchSoak([access("a"), access("b")], api, options({ durationMs: 10_000, namespaces: ["shop"] }));
        assert.strictEqual(result.status, "failed");
        assert.deepStrictEqual(result.problems, [{ cluster: "b", workload: "deployment shop/web", message: "pod web-1 restarted (1 restart during the soak)" }]);
        assert.ok(result.elapsedMs < 1000, "it does not wait for the soak's end");
    });

    it("judges every look's rollouts as kubectl does: the first look fails a stuck rollout, a later look one that stopped being finished", async () => {
        // One replica: the new pod Pending, the old one serving (2 replicas, 1 updated, 1 available).
        const stuck = () => [{ ...deployment("shop", "web", 1, 1), metadata: { name: "web", namespace: "shop", generation: 2 }, status: { observedGeneration: 2, replicas: 2, updatedReplicas: 1, readyReplicas: 1, availableReplicas: 1 } }];
        const first = await watchSoak([access("a")], new FakeClusterApi({ a: { objects: stuck } }), options({ durationMs: 10_000 }));
        assert.deepStrictEqual([first.status, first.problems], ["failed", [{ cluster: "a", workload: "deployment shop/web", message: "its rollout had not finished when the soak started: 1 old replica pending termination" }]]);
        assert.ok(first.elapsedMs < 1000, "at its first look");
        const later = await watchSoak([access("a")], new FakeClusterApi({ a: { objects: changing([[deployment("shop", "web", 1, 1)], stuck()]) } }), options({ durationMs: 10_000 }));
        assert.deepStrictEqual([later.status, later.problems], ["failed", [{ cluster: "a", workload: "deployment shop/web", message: "its rollout was no longer finished: 1 old replica pending termination" }]]);
    });

    it("watches only the fleet file's namespaces when it names them, and otherwise lists pods only where a wired workload is", async () => {
        const objects = () => [...healthy(), deployment("other", "plain", 1, 1, false), pod("other", "plain-1", "plain")];
        const named = new FakeClusterApi({ a: { objects } });
        await watchSoak([access("a")], named, options({ durationMs: 1, namespaces: ["shop"] }));
        assert.deepStrictEqual(named.requests[0], "a: list deployments.apps,statefulsets.apps,daemonsets.apps,pods shop");
        const all = new FakeClusterApi({ a: { objects } });
        await watchSoak([access("a")], all, options({ durationMs: 1 }));
        assert.deepStrictEqual(all.requests.slice(0, 2), ["a: list deployments.apps,statefulsets.apps,daemonsets.apps -A", "a: list pods shop"]);
    });

    it("fails a cluster that cannot be looked at three times in a row, and one never seen by the soak's end", async () => {
        const down = new ClusterApiError("unreachable", "Unable to connect to the server: connection refused");
        const api = new FakeClusterApi({ a: { objects: healthy }, b: { down } });
        const result = await watchSoak([access("a"), access("b")], api, options({ durationMs: 10_000 }));
        assert.strictEqual(result.status, "failed");
        assert.deepStrictEqual(result.problems, [{ cluster: "b", message: "could not be looked at 3 times in a row: Unable to connect to the server: connection refused" }]);
        const short = await watchSoak([access("b")], api, options({ durationMs: 0 }));
        assert.deepStrictEqual(short.problems, [{ cluster: "b", message: "could not be looked at during the soak: Unable to connect to the server: connection refused" }]);
    });

    it("forgives a cluster a missed look or two", async () => {
        let n = 0;
        const api = new FakeClusterApi({ a: { objects: healthy } });
        const flaky = { ...api, list: async (...args: Parameters<FakeClusterApi["list"]>) => (n++ % 3 === 1 ? Promise.reject(new ClusterApiError("unreachable", "timeout")) : api.list(...args)) };
        const result = await watchSoak([access("a")], flaky as unknown as FakeClusterApi, options({ durationMs: 80 }));
        assert.strictEqual(result.status, "passed");
    });

    it("stops as soon as it is told to, without a verdict", async () => {
        const stop = new AbortController();
        const api = new FakeClusterApi({ a: { objects: healthy } });
        setTimeout(() => stop.abort(), 30);
        const result = await watchSoak([access("a")], api, options({ durationMs: 60_000, signal: stop.signal }));
        assert.strictEqual(result.status, "stopped");
        assert.ok(result.elapsedMs < 1000);
    });
});
