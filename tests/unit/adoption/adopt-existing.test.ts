import * as assert from "assert";
import { Fleet, FleetConfigMap, parseAdoptedConfig } from "../../../lib";
import { threeClusterFleet } from "../fixtures";
import { allCreated, settle, useMocks } from "../mocks";

const CONFIGMAP = "kubernetes:core/v1:ConfigMap";

function appConfig(fleet: Fleet, adopt: unknown, strategy?: "immutable" | "split") {
    return new FleetConfigMap("app-config", { fleet, metadata: { namespace: "shop" }, data: { LOG_LEVEL: "info" }, adopt: adopt as string[], strategy });
}

describe("FleetConfigMap adopt: taking over ConfigMaps that exist with Pulumi's import", () => {
    beforeEach(() => useMocks());

    it("imports the ConfigMap of each listed cluster by <namespace>/<name>, and creates the others'", async () => {
        appConfig(threeClusterFleet(), ["us-east-1", "eu-central-1"]);
        await settle();
        assert.deepStrictEqual(
            allCreated(CONFIGMAP).map((cm) => [cm.name, cm.importId]),
            [
                ["app-config-us-east-1", "shop/app-config"],
                ["app-config-eu-west-1", undefined],
                ["app-config-eu-central-1", "shop/app-config"],
            ],
        );
    });

    it("passes from the adopted file into the FleetConfigMap with nothing written by hand", async () => {
        const adopted = parseAdoptedConfig("metadata: { name: app-config, namespace: shop }\nadopt: [eu-west-1]\ndata: { A: '1' }\n");
        new FleetConfigMap("app-config", { fleet: threeClusterFleet(), ...adopted });
        await settle();
        assert.deepStrictEqual(allCreated(CONFIGMAP).filter((cm) => cm.importId).map((cm) => cm.name), ["app-config-eu-west-1"]);
    });

    describe("refuses before anything is registered", () => {
        const refused = (adopt: unknown, pattern: RegExp, strategy?: "immutable" | "split") => {
            assert.throws(() => appConfig(threeClusterFleet(), adopt, strategy), pattern);
            assert.deepStrictEqual(allCreated(CONFIGMAP), []);
        };

        it("a cluster the fleet does not have, or one listed twice, naming it", () => {
            refused(["eu-north-1"], /`adopt\[0\]` \(cluster "eu-north-1"\): Invalid value: "eu-north-1": is not a cluster of the fleet; its clusters are "us-east-1", "eu-west-1", "eu-central-1"/);
            refused(["eu-west-1", "eu-west-1"], /`adopt\[1\]` \(cluster "eu-west-1"\): Invalid value: "eu-west-1": is listed twice/);
            refused("eu-west-1", /`adopt`: must be a list of cluster names/);
        });

        it("a strategy whose ConfigMaps are not the one that exists", () => {
            refused(["eu-west-1"], /`adopt`: applies only with `strategy: "in-place"`: the "immutable" strategy writes ConfigMaps of other names/, "immutable");
            refused(["eu-west-1"], /`adopt`: applies only with `strategy: "in-place"`: the "split" strategy/, "split");
        });
    });
});
