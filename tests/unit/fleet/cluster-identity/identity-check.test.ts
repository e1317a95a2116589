import * as assert from "assert";
import { acceptsNewIdentity, decideIdentities } from "../../../../lib/fleet/cluster-identity/identity-check";
import { formatProblem } from "../../../../lib/errors/problems";

describe("cluster identity check", () => {
    const previous = { "us-east-1": "uid-us", "eu-west-1": "uid-eu" };

    it("passes clusters that still reach the identity the state has, and keeps it", () => {
        const d = decideIdentities(previous, { "us-east-1": { uid: "uid-us" }, "eu-west-1": { uid: "uid-eu" } }, undefined);
        assert.deepStrictEqual(d.problems, []);
        assert.deepStrictEqual(d.identities, previous);
    });

    it("refuses a kubeconfig that reaches another cluster, naming the field, the cluster, both UIDs and the way out", () => {
        const d = decideIdentities(previous, { "us-east-1": { uid: "uid-us" }, "eu-west-1": { uid: "uid-other" } }, undefined, (c) => `clusters[${c === "eu-west-1" ? 1 : 0}].kubeconfig`);
        assert.strictEqual(d.problems.length, 1);
        const line = formatProblem(d.problems[0]);
        assert.match(line, /^`clusters\[1\]\.kubeconfig` \(cluster "eu-west-1"\): reaches a different Kubernetes cluster/);
        assert.match(line, /kube-system namespace has UID uid-other, the stack's state has uid-eu/);
        assert.match(line, /FLEET_ACCEPT_NEW_CLUSTER_IDENTITY=eu-west-1/);
    });

    it("takes the identity of a cluster new to the state without a check", () => {
        const d = decideIdentities(previous, { "ap-south-1": { uid: "uid-ap" } }, undefined);
        assert.deepStrictEqual(d.problems, []);
        assert.deepStrictEqual(d.identities, { "ap-south-1": "uid-ap" });
    });

    it("keeps the previous identity of a cluster it cannot read, unverified, and refuses nothing for it", () => {
        const d = decideIdentities(previous, { "eu-west-1": { unreadable: "connection refused" }, "ap-south-1": { unreadable: "403" } }, undefined);
        assert.deepStrictEqual(d.problems, []);
        assert.deepStrictEqual(d.identities, { "eu-west-1": "uid-eu" });
        assert.deepStrictEqual(d.unverified, { "eu-west-1": "connection refused", "ap-south-1": "403" });
    });

    it("accepts a new identity for the clusters the environment names, or all with *, and records it", () => {
        const now = { "us-east-1": { uid: "uid-us-2" }, "eu-west-1": { uid: "uid-eu-2" } };
        const some = decideIdentities(previous, now, "eu-west-1");
        assert.deepStrictEqual(some.problems.map((p) => p.cluster), ["us-east-1"]);
        const all = decideIdentities(previous, now, "*");
        assert.deepStrictEqual(all.problems, []);
        assert.deepStrictEqual(all.identities, { "us-east-1": "uid-us-2", "eu-west-1": "uid-eu-2" });
    });

    it("reads the accepted clusters as a comma-separated list", () => {
        assert.ok(acceptsNewIdentity("us-east-1, eu-west-1", "eu-west-1"));
        assert.ok(!acceptsNewIdentity("eu-west-10", "eu-west-1"));
        assert.ok(!acceptsNewIdentity(undefined, "eu-west-1"));
        assert.ok(!acceptsNewIdentity("", "eu-west-1"));
    });
});
