import * as assert from "assert";
import { describeQuestion } from "../../../../lib/rollout-cli/cluster-api/cluster-api";
import { accessAnswers, accessReviews, jsonValues, KubectlClusterApi, kubectlFailure, kubectlTarget } from "../../../../lib/rollout-cli/cluster-api/kubectl";
import { access } from "../fake-cluster-api";

describe("kubectl as the clusters' API client", () => {
    it("points kubectl at the cluster's kubeconfig and context, with a bound on each request", () => {
        assert.deepStrictEqual(kubectlTarget({ ...access("a"), context: "admin" }, "10s"), ["--kubeconfig", "/kube/a.yaml", "--context", "admin", "--request-timeout=10s"]);
        assert.deepStrictEqual(kubectlTarget(access("a"), "5s"), ["--kubeconfig", "/kube/a.yaml", "--request-timeout=5s"]);
    });

    it("asks every access question in one List of SelfSubjectAccessReviews, and reads the answers in order from the objects kubectl prints one after the other", () => {
        const questions = [
            { verb: "patch", group: "", resource: "configmaps", namespace: "shop" },
            { verb: "create", group: "", resource: "namespaces" },
        ];
        assert.deepStrictEqual(accessReviews(questions), {
            apiVersion: "v1",
            kind: "List",
            items: [
                { apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectAccessReview", spec: { resourceAttributes: { verb: "patch", group: "", resource: "configmaps", namespace: "shop" } } },
                { apiVersion: "authorization.k8s.io/v1", kind: "SelfSubjectAccessReview", spec: { resourceAttributes: { verb: "create", group: "", resource: "namespaces" } } },
            ],
        });
        const printed = '{\n  "kind": "SelfSubjectAccessReview",\n  "status": { "allowed": true }\n}\n{\n  "kind": "SelfSubjectAccessReview", "spec": { "x": "a } \\" {" },\n  "status": { "allowed": false, "reason": "no RBAC policy matched" }\n}\n';
        assert.deepStrictEqual(accessAnswers(jsonValues(printed, "reviews"), 2), [{ allowed: true }, { allowed: false, reason: "no RBAC policy matched" }]);
        assert.throws(() => accessAnswers([], 1), /expected 1 SelfSubjectAccessReview answers, got 0/);
        assert.throws(() => jsonValues("Error: no", "reviews"), /reviews: kubectl printed no JSON: Error: no/);
        assert.strictEqual(describeQuestion(questions[0]), 'patch configmaps in namespace "shop"');
        assert.strictEqual(describeQuestion(questions[1]), "create namespaces");
        assert.strictEqual(describeQuestion({ verb: "list", group: "apps", resource: "deployments" }), "list deployments.apps in every namespace");
    });

    it("tells from kubectl's error why a request failed, since the fix depends on it", () => {
        const cases: [string, string][] = [
            ["The connection to the server 127.0.0.1:32771 was refused - did you specify the right host or port?", "unreachable"],
            ['Unable to connect to the server: dial tcp: lookup api.example.com: no such host', "unreachable"],
            ["error: error loading config file \"/kube/a.yaml\": open /kube/a.yaml: no such file or directory", "kubeconfig"],
            ['error: context "admin" does not exist', "kubeconfig"],
            ["error: You must be logged in to the server (Unauthorized)", "unauthorized"],
            ['Error from server (Forbidden): namespaces "shop" is forbidden: User "ci" cannot get resource "namespaces"', "forbidden"],
            ['Error from server (NotFound): namespaces "shop" not found', "not found"],
            ["something else entirely", "other"],
        ];
        for (const [stderr, reason] of cases) assert.strictEqual(kubectlFailure(`I0101 noise\n${stderr}\n`).reason, reason, stderr);
        assert.strictEqual(kubectlFailure('W0101 warning\nError from server (NotFound): namespaces "shop" not found\n').message, 'Error from server (NotFound): namespaces "shop" not found');
    });

    it("says kubectl is missing when it is not on PATH", async () => {
        const api = new KubectlClusterApi("kubectl-that-does-not-exist-here");
        await assert.rejects(api.getRaw(access("a"), "/version"), (err: Error & { reason?: string }) => err.reason === "no kubectl" && /was not found on PATH/.test(err.message));
    });
});
