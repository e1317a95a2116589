import * as assert from "assert";
import { ClusterApiError } from "../../../../lib/rollout-cli/cluster-api/cluster-api";
import { accessQuestions, preflight, PreflightFinding } from "../../../../lib/rollout-cli/preflight/preflight-checks";
import { preflightFailures, preflightLines } from "../../../../lib/rollout-cli/preflight/preflight-report";
import { access, FakeCluster, FakeClusterApi } from "../fake-cluster-api";

/** A healthy cluster: Kubernetes 1.36, every kind served, namespace "shop" present, every right granted. */
function healthy(extra: Partial<FakeCluster> = {}): FakeCluster {
    return {
        raw: {
            "/version": { gitVersion: "v1.36.3" },
            "/api/v1": { resources: [{ name: "configmaps" }, { name: "pods" }] },
            "/apis/apps/v1": { resources: [{ name: "deployments" }, { name: "statefulsets" }, { name: "daemonsets" }] },
            "/api/v1/namespaces/shop": { metadata: { name: "shop" } },
            ...extra.raw,
        },
        ...(extra.allowed ? { allowed: extra.allowed } : {}),
        ...(extra.down ? { down: extra.down } : {}),
    };
}

const failed = (findings: PreflightFinding[]) => findings.filter((f) => !f.ok).map((f) => `${f.cluster} ${f.check}: ${f.detail}; fix: ${f.fix}`);
const needs = (extra: Partial<Parameters<typeof accessQuestions>[0]> = {}) => () => ({ soak: false, ...extra });

describe("preflight", () => {
    it("passes a cluster whose API answers, serves the kinds, has the namespace and grants every right", async () => {
        const findings = await preflight([access("a")], new FakeClusterApi({ a: healthy() }), needs({ namespaces: ["shop"], soak: true }), 4);
        assert.deepStrictEqual(
            findings.map((f) => `${f.check} ${f.ok}: ${f.detail}`),
            [
                "api true: answers (Kubernetes v1.36.3)",
                "kinds true: serves ConfigMaps and apps/v1 Deployments, StatefulSets and DaemonSets",
                'namespace true: "shop" exist',
                "access true: may get and patch ConfigMaps, Deployments, StatefulSets and DaemonSets, and list the workloads and pods",
            ],
        );
    });

    it("reports a cluster whose API does not answer with that check only, and how to fix it", async () => {
        const down = new ClusterApiError("unreachable", "The connection to the server 127.0.0.1:32771 was refused");
        const findings = await preflight([access("a"), access("b")], new FakeClusterApi({ a: healthy(), b: healthy({ down }) }), needs(), 4);
        assert.deepStrictEqual(failed(findings), ["b api: the API server does not answer: The connection to the server 127.0.0.1:32771 was refused; fix: start the cluster, or correct the server address in /kube/b.yaml"]);
        assert.strictEqual(findings.filter((f) => f.cluster === "b").length, 1);
    });

    it("reports the kinds a server does not serve", async () => {
        const old = healthy({ raw: { "/apis/apps/v1": undefined, "/api/v1": { resources: [{ name: "configmaps" }] } } });
        delete old.raw!["/apis/apps/v1"];
        const findings = await preflight([access("a")], new FakeClusterApi({ a: old }), needs(), 4);
        assert.deepStrictEqual(failed(findings), [
            "a kinds: Kubernetes v1.36.3 does not serve apps/v1 deployments, apps/v1 statefulsets, apps/v1 daemonsets; fix: the package writes core/v1 ConfigMaps and rolls apps/v1 workloads: use Kubernetes 1.9 or later",
        ]);
    });

    it("passes a missing namespace the credentials may create, and fails one they may not", async () => {
        const api = new FakeClusterApi({ a: healthy(), b: healthy({ allowed: (q) => q.resource !== "namespaces" }) });
        const findings = await preflight([access("a"), access("b")], api, needs({ namespaces: ["shop", "web"] }), 4);
        assert.deepStrictEqual(
            findings.filter((f) => f.check === "namespace").map((f) => `${f.cluster} ${f.ok}: ${f.detail}${f.fix ? `; fix: ${f.fix}` : ""}`),
            [
                'a true: exist, except "web" not yet (the credentials may create namespaces)',
                'b false: namespace "web" does not exist, and the credentials may not create namespaces; fix: create it (kubectl create namespace web), or let the credentials create namespaces if the program creates it',
            ],
        );
    });

    it("names every right the credentials lack, where they lack it, with SelfSubjectAccessReviews", async () => {
        const api = new FakeClusterApi({ a: healthy({ allowed: (q) => !(q.verb === "patch" && q.resource === "configmaps") && q.verb !== "list" }) });
        const inShop = await preflight([access("a")], api, needs({ namespaces: ["shop"], soak: true }), 4);
        assert.deepStrictEqual(failed(inShop), [
            'a access: the credentials may not patch configmaps in namespace "shop", list deployments.apps in namespace "shop", list statefulsets.apps in namespace "shop", list daemonsets.apps in namespace "shop", list pods in namespace "shop"; fix: grant them to the kubeconfig\'s user: a Role and RoleBinding in each namespace, or a ClusterRole and ClusterRoleBinding',
        ]);
        const everywhere = await preflight([access("a")], api, needs(), 4);
        assert.deepStrictEqual(failed(everywhere), [
            "a access: the credentials may not patch configmaps in every namespace; fix: grant them to the kubeconfig's user (a ClusterRole and ClusterRoleBinding), or name the program's namespaces in the fleet file's `namespaces` to check the rights there only",
        ]);
    });

    it("asks for list rights only where a soak watches, and to create namespaces only when one is missing", () => {
        assert.strictEqual(accessQuestions({ soak: false }).length, 8);
        assert.strictEqual(accessQuestions({ soak: true, namespaces: ["a", "b"] }).length, 24);
        assert.deepStrictEqual(accessQuestions({ soak: false }, ["x"]).pop(), { verb: "create", group: "", resource: "namespaces" });
    });

    it("checks at most --concurrency clusters at once", async () => {
        let running = 0;
        let most = 0;
        const api = new FakeClusterApi(Object.fromEntries(["a", "b", "c", "d", "e"].map((n) => [n, healthy()])));
        const slow = Object.assign(Object.create(api), {
            getRaw: async (...args: Parameters<FakeClusterApi["getRaw"]>) => {
                if (args[1] === "/version") running++;
                most = Math.max(most, running);
                await new Promise((r) => setTimeout(r, 5));
                return api.getRaw(...args);
            },
            mayI: async (...args: Parameters<FakeClusterApi["mayI"]>) => {
                running--;
                return api.mayI(...args);
            },
        });
        await preflight(["a", "b", "c", "d", "e"].map((n) => access(n)), slow, needs(), 2);
        assert.strictEqual(most, 2);
    });

    it("reports failures per cluster, clusters that failed the same way on one line, at most ten lines", () => {
        const denied = (cluster: string): PreflightFinding => ({ cluster, check: "access", ok: false, detail: "the credentials may not patch configmaps in every namespace", fix: "grant them" });
        const findings: PreflightFinding[] = [
            { cluster: "a", check: "api", ok: true, detail: "answers" },
            { cluster: "b", check: "api", ok: false, detail: "the API server does not answer: refused", fix: "start the cluster" },
            ...Array.from({ length: 13 }, (_, i) => denied(`c${i}`)),
        ];
        assert.deepStrictEqual(preflightFailures(findings).map((f) => [f.check, f.clusters.length]), [["api", 1], ["access", 13]]);
        assert.deepStrictEqual(preflightLines(findings, 15), [
            "preflight failed on 14 of 15 clusters; nothing was changed (--skip-preflight skips these checks):",
            '  - cluster "b": api: the API server does not answer: refused; fix: start the cluster',
            '  - clusters "c0", "c1", "c2", "c3", "c4", "c5", "c6", "c7", "c8", "c9" and 3 more: access: the credentials may not patch configmaps in every namespace; fix: grant them',
        ]);
        const many = Array.from({ length: 12 }, (_, i): PreflightFinding => ({ cluster: `k${i}`, check: "api", ok: false, detail: `refused ${i}`, fix: "start it" }));
        const lines = preflightLines(many, 12);
        assert.strictEqual(lines.length, 12);
        assert.strictEqual(lines[11], "  - and 2 more failures");
        assert.deepStrictEqual(preflightLines(findings.slice(0, 1), 1), []);
    });
});
