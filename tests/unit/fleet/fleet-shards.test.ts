import * as assert from "assert";
import { Fleet, FleetConfigMap } from "../../../lib";
import { allCreated, findCreated, settle, useMocks } from "../mocks";

const CONFIGMAP = "kubernetes:core/v1:ConfigMap";
const PROVIDER = "pulumi:providers:kubernetes";

// The whole fleet, as every shard stack declares it: only the selected clusters carry a kubeconfig.
function shardOfFleet(select: ConstructorParameters<typeof Fleet>[1]["select"], kubeconfigFor: (name: string) => string | undefined = () => "k") {
    const clusters = [
        { name: "us-east-1", region: "us" },
        { name: "eu-west-1", region: "eu" },
        { name: "eu-central-1", region: "eu" },
        { name: "ap-south-1", region: "ap" },
    ].map((c) => ({ ...c, kubeconfig: kubeconfigFor(c.name) }));
    return new Fleet("prod", { clusters, select });
}

function appConfig(fleet: Fleet, overrides = { clusters: { "us-east-1": { data: { LOG_LEVEL: "debug" } }, "eu-central-1": { remove: ["FEATURE_X"] } } }) {
    return new FleetConfigMap("app-config", { fleet, data: { LOG_LEVEL: "info", FEATURE_X: "on" }, overrides });
}

describe("a Fleet told to manage a selection (one shard stack of a larger fleet)", () => {
    beforeEach(() => useMocks());

    it("creates providers and ConfigMaps only for the selected clusters, and exposes only them to the program", async () => {
        const fleet = shardOfFleet({ regions: ["eu"] });
        const app = appConfig(fleet);
        await settle();
        assert.deepStrictEqual(allCreated(PROVIDER).map((r) => r.name), ["prod-eu-west-1", "prod-eu-central-1"]);
        assert.deepStrictEqual(allCreated(CONFIGMAP).map((r) => r.name), ["app-config-eu-west-1", "app-config-eu-central-1"]);
        assert.deepStrictEqual(findCreated(CONFIGMAP, "app-config-eu-central-1").inputs.data, { LOG_LEVEL: "info" });
        assert.deepStrictEqual(fleet.clusterNames, ["eu-west-1", "eu-central-1"]);
        assert.deepStrictEqual(fleet.regions, ["eu"]);
        assert.deepStrictEqual(fleet.allClusters.map((c) => c.name), ["us-east-1", "eu-west-1", "eu-central-1", "ap-south-1"]);
        assert.strictEqual(fleet.selector, "region:eu");
        assert.deepStrictEqual(Object.keys(app.configMaps), ["eu-west-1", "eu-central-1"]);
    });

    it("selects by cluster names and by shard", async () => {
        assert.deepStrictEqual(shardOfFleet({ clusters: ["ap-south-1", "us-east-1"] }).clusterNames, ["us-east-1", "ap-south-1"]);
        const shards = [1, 2].map((index) => shardOfFleet({ shard: { index, count: 2 } }).clusterNames);
        assert.deepStrictEqual([...shards[0], ...shards[1]].sort(), ["ap-south-1", "eu-central-1", "eu-west-1", "us-east-1"]);
    });

    it("accepts an override for a cluster of another shard, and still refuses a typo", () => {
        const fleet = shardOfFleet({ regions: ["eu"] });
        assert.doesNotThrow(() => appConfig(fleet));
        assert.throws(
            () => appConfig(fleet, { clusters: { "us-est-1": { data: { LOG_LEVEL: "debug" } } } } as never),
            /`overrides\.clusters\["us-est-1"\]`: the fleet has no cluster "us-est-1"; its clusters are "us-east-1", "eu-west-1", "eu-central-1", "ap-south-1"/,
        );
    });

    it("needs no kubeconfig for clusters it does not manage, but does for those it does", async () => {
        assert.doesNotThrow(() => shardOfFleet({ clusters: ["ap-south-1"] }, (name) => (name === "ap-south-1" ? "k" : undefined)));
        assert.throws(
            () => shardOfFleet({ regions: ["eu"] }, (name) => (name === "eu-west-1" ? "k" : undefined)),
            /`clusters\[2\]` \(cluster "eu-central-1"\): needs exactly one of `kubeconfig` or `provider`/,
        );
    });

    it("refuses an unknown region in the selection before creating anything", async () => {
        assert.throws(
            () => shardOfFleet({ regions: ["europe"] }, () => undefined),
            (err: Error) => {
                assert.strictEqual(err.message, 'Fleet "prod" has invalid arguments; nothing was changed:\n  - `select.regions[0]`: the fleet has no region "europe"; its regions are "us", "eu", "ap"');
                return true;
            },
        );
        await settle();
        assert.deepStrictEqual(allCreated(PROVIDER), []);
    });

    it("says a cluster is outside the selection when a program asks for its provider", () => {
        const fleet = shardOfFleet({ regions: ["eu"] });
        assert.throws(() => fleet.provider("us-east-1"), /cluster "us-east-1" is in the fleet but not in this stack's selection \(region:eu\)/);
        assert.throws(() => fleet.provider("nope"), /Fleet has no cluster "nope"/);
    });

    it("costs a shard what its own clusters cost: a 3-cluster shard of a 1,000-cluster fleet registers 3 providers and 3 ConfigMaps", async () => {
        const clusters = Array.from({ length: 1000 }, (_, i) => ({ name: `c-${i}`, region: `r-${i % 10}` }));
        const fleet = new Fleet("big", { clusters: clusters.map((c, i) => (i < 3 ? { ...c, kubeconfig: "k" } : c)), select: { clusters: ["c-0", "c-1", "c-2"] } });
        new FleetConfigMap("app-config", { fleet, data: { A: "1" }, overrides: { clusters: { "c-999": { data: { A: "2" } } } } });
        await settle();
        assert.strictEqual(allCreated(PROVIDER).length, 3);
        assert.strictEqual(allCreated(CONFIGMAP).length, 3);
        assert.throws(
            () => new FleetConfigMap("typo", { fleet, data: { A: "1" }, overrides: { clusters: { "c-1000": { data: { A: "2" } } } } }),
            /the fleet has no cluster "c-1000"; its clusters are "c-0", "c-1", "c-2", "c-3", "c-4", "c-5", "c-6", "c-7", "c-8", "c-9" and 990 more$/,
        );
    });
});
