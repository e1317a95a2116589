import * as k8s from "@pulumi/kubernetes";
import * as assert from "assert";
import { Fleet } from "../../../lib";
import { allCreated, findCreated, secretValue, settle, useMocks, valueOf } from "../mocks";

describe("Fleet", () => {
    beforeEach(() => useMocks());

    it("creates one in-place-updating provider per kubeconfig cluster, named after the cluster, with the kubeconfig secret", async () => {
        const fleet = new Fleet("prod", {
            clusters: [
                { name: "us-east-1", region: "us", kubeconfig: "us-kubeconfig" },
                { name: "eu-west-1", region: "eu", kubeconfig: "eu-kubeconfig", context: "eu-ctx" },
            ],
        });
        await settle();
        const eu = findCreated("pulumi:providers:kubernetes", "prod-eu-west-1");
        assert.deepStrictEqual(eu.inputs.kubeconfig, secretValue("eu-kubeconfig"));
        assert.strictEqual(eu.inputs.context, "eu-ctx");
        assert.strictEqual(eu.inputs.enableConfigMapMutable, "true");
        assert.strictEqual(eu.inputs.clusterIdentifier, "eu-west-1", "a rotated kubeconfig must not replace the provider");
        assert.deepStrictEqual(fleet.clusterNames, ["us-east-1", "eu-west-1"]);
        assert.deepStrictEqual(fleet.regions, ["us", "eu"]);
        assert.match((await valueOf(fleet.provider("eu-west-1").urn))!, /fleet:index:Fleet\$pulumi:providers:kubernetes::prod-eu-west-1$/);
    });

    it("uses a provider the user brings as it is, creating none for that cluster", async () => {
        const mine = new k8s.Provider("mine", { kubeconfig: "x", enableConfigMapMutable: true });
        const fleet = new Fleet("prod", { clusters: [{ name: "ap-south-1", region: "apac", provider: mine, enableConfigMapMutable: true }] });
        await settle();
        assert.strictEqual(fleet.provider("ap-south-1"), mine);
        assert.deepStrictEqual(allCreated("pulumi:providers:kubernetes").map((r) => r.name), ["mine"]);
    });

    it("publishes which provider is which cluster (clusterProviders), for its own providers and those a user brings", async () => {
        const mine = new k8s.Provider("primary", { kubeconfig: "x", enableConfigMapMutable: true });
        const fleet = new Fleet("prod", { clusters: [{ name: "us-east-1", region: "us", kubeconfig: "k" }, { name: "iad", region: "us", provider: mine, enableConfigMapMutable: true }] });
        await settle();
        assert.deepStrictEqual(Object.keys(fleet.clusterProviders), ["us-east-1", "iad"]);
        assert.strictEqual(await valueOf(fleet.clusterProviders["us-east-1"]), await valueOf(fleet.provider("us-east-1").urn));
        assert.strictEqual(await valueOf(fleet.clusterProviders.iad), await valueOf(mine.urn));
    });

    it("groups clusters by region", () => {
        const fleet = new Fleet("prod", {
            clusters: [
                { name: "a", region: "eu", kubeconfig: "k" },
                { name: "b", region: "us", kubeconfig: "k" },
                { name: "c", region: "eu", kubeconfig: "k" },
            ],
        });
        assert.deepStrictEqual(fleet.clustersIn("eu"), ["a", "c"]);
        assert.deepStrictEqual(fleet.clustersIn("apac"), []);
    });

    it("names the clusters it has when asked for one it does not", () => {
        const fleet = new Fleet("prod", { clusters: [{ name: "a", region: "r", kubeconfig: "k" }] });
        assert.throws(() => fleet.provider("b"), /Fleet has no cluster "b"; its clusters are "a"/);
        assert.throws(() => fleet.provider("toString"), /no cluster "toString"/);
    });

    it("refuses bad arguments before creating any provider", async () => {
        assert.throws(
            () => new Fleet("bad", { clusters: [{ name: "a", region: "r", kubeconfig: "k" }, { name: "a", region: "r" }] }),
            (err: Error) => {
                assert.match(err.message, /^Fleet "bad" has invalid arguments; nothing was changed:/);
                assert.match(err.message, /`clusters\[1\]\.name` \(cluster "a"\): Invalid value: "a": duplicates clusters\[0\]\.name/);
                assert.match(err.message, /`clusters\[1\]` \(cluster "a"\): needs exactly one of `kubeconfig` or `provider`/);
                return true;
            },
        );
        assert.throws(() => new Fleet("empty", { clusters: [] }), /`clusters`: a fleet needs at least one cluster/);
        await settle();
        assert.deepStrictEqual(allCreated("pulumi:providers:kubernetes"), []);
        assert.deepStrictEqual(allCreated("fleet:index:Fleet"), [], "a refused Fleet is not even registered");
    });
});
