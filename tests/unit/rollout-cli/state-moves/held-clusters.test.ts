import * as assert from "assert";
import { heldClusters } from "../../../../lib/rollout-cli/state-moves/held-clusters";
import { stackState, urn, urnName } from "./state-fixtures";

describe("held clusters", () => {
    it("finds each cluster of a stack's state by its Fleet provider, with the resources its provider manages", () => {
        const held = heldClusters("eu", stackState("eu", ["eu-west-1", "eu-central-1"]));
        assert.deepStrictEqual(
            held.map((h) => [h.cluster, h.stack, h.providers.map(urnName), h.resources.map(urnName)]),
            [
                ["eu-west-1", "eu", ["e2e-eu-west-1"], ["ns-eu-west-1", "app-config-eu-west-1", "web-eu-west-1", "app-eu-west-1", "api-eu-west-1"]],
                ["eu-central-1", "eu", ["e2e-eu-central-1"], ["ns-eu-central-1", "app-config-eu-central-1", "web-eu-central-1", "app-eu-central-1", "api-eu-central-1"]],
            ],
        );
    });

    it("takes a program's component whose resources are all one cluster's, but never the package's components or the stack", () => {
        const [held] = heldClusters("eu", stackState("eu", ["eu-west-1"]));
        assert.ok(held.resources.includes(urn("eu", "shop:index:App", "app-eu-west-1")));
        assert.ok(!held.resources.some((u) => /fleet:index:(Fleet|FleetConfigMap)::/.test(u) || /pulumi:pulumi:Stack/.test(u)));
    });

    it("leaves a component whose resources are several clusters' where it is", () => {
        const state = stackState("eu", ["eu-west-1", "eu-central-1"]);
        const shared = state.find((r) => r.urn.endsWith("::app-eu-west-1"))!.urn;
        // The other cluster's Deployment moves under the first cluster's component: now it is both clusters'.
        const mixed = state.map((r) => (r.urn.endsWith("::api-eu-central-1") ? { ...r, parent: shared } : r));
        const held = heldClusters("eu", mixed);
        assert.ok(held.every((h) => !h.resources.includes(shared)), "the mixed component is nobody's");
        assert.ok(held.find((h) => h.cluster === "eu-central-1")!.resources.some((u) => u.endsWith("::api-eu-central-1")));
    });

    it("names the cluster by its provider's clusterIdentifier, or else by the provider's name without the Fleet's", () => {
        const state = stackState("eu", ["eu-west-1"]).map((r) => (r.type === "pulumi:providers:kubernetes" ? { ...r, inputs: {} } : r));
        assert.deepStrictEqual(heldClusters("eu", state).map((h) => h.cluster), ["eu-west-1"]);
    });

    it("still reports a cluster whose provider is all a move left behind", () => {
        const held = heldClusters("us", stackState("us", ["us-east-1"], { providerOnly: ["us-east-1"] }));
        assert.deepStrictEqual(held.map((h) => [h.cluster, h.resources.length, h.providers.length]), [["us-east-1", 0, 1]]);
    });
});

describe("held clusters, just moved", () => {
    /** `stack`'s state as `pulumi state move` leaves it: the providers parented to the stack, the Fleet's type gone from their URNs, no Fleet yet. */
    function justMoved(stack: string, clusters: string[]) {
        const moved = stackState(stack, clusters).filter((r) => r.type !== "fleet:index:Fleet");
        const root = moved.find((r) => r.type === "pulumi:pulumi:Stack")!.urn;
        const unparent = (urn: string) => urn.replace("fleet:index:Fleet$", "");
        return moved.map((r) => (r.type === "pulumi:providers:kubernetes" ? { ...r, urn: unparent(r.urn), parent: root } : r.provider ? { ...r, provider: unparent(r.provider) } : r));
    }

    it("still finds a cluster whose provider a move copied under the stack itself, before the program registered its Fleet there", () => {
        // The Fleet's name ("e2e") comes from the other stacks' states, which hold it.
        assert.deepStrictEqual(heldClusters("shard-1-of-3", justMoved("shard-1-of-3", ["ap-south-1"]), { fleets: ["e2e"] }).map((h) => [h.cluster, h.resources.length]), [["ap-south-1", 5]]);
    });

    it("finds it under its name now or a former one when it was renamed (its clusterIdentifier is its first name)", () => {
        const state = justMoved("s", ["ap-south-1"]).map((r) => (r.type === "pulumi:providers:kubernetes" ? { ...r, urn: r.urn.replace(/ap-south-1$/, "ap-south-1b") } : r));
        assert.deepStrictEqual(heldClusters("s", state, { fleets: ["e2e"] }), []);
        const held = heldClusters("s", state, { fleets: ["e2e"], formerNames: new Map([["ap-south-1b", ["ap-south-1"]]]) });
        assert.deepStrictEqual(held.map((h) => [h.cluster, h.providers.map(urnName)]), [["ap-south-1", ["e2e-ap-south-1b"]]]);
    });

    it("ignores a provider of the program's own under the stack, even with a clusterIdentifier that is a cluster's name", () => {
        const state = stackState("eu", ["eu-west-1"]);
        const root = state.find((r) => r.type === "pulumi:pulumi:Stack")!.urn;
        const own = urn("eu", "pulumi:providers:kubernetes", "monitoring-eu-central-1");
        state.push(
            { urn: own, type: "pulumi:providers:kubernetes", custom: true, id: "own", parent: root, inputs: { clusterIdentifier: "eu-central-1" } },
            { urn: urn("eu", "kubernetes:apps/v1:DaemonSet", "agent"), type: "kubernetes:apps/v1:DaemonSet", custom: true, id: "kube-system/agent", parent: root, provider: `${own}::own` },
        );
        assert.deepStrictEqual(heldClusters("eu", state, { fleets: ["e2e"] }).map((h) => h.cluster), ["eu-west-1"]);
    });
});
