import * as assert from "assert";
import { Fleet, FleetConfigMap, parseAdoptedConfig } from "../../../lib";
import { threeClusterFleet } from "../fixtures";
import { allCreated, captureProgramFailures, mocksTellImportsFromReads, settle, useMocks } from "../mocks";

const CONFIGMAP = "kubernetes:core/v1:ConfigMap";

/** The ConfigMaps registered to be written (created or imported), not the reads of the adopted ones. */
const written = () => allCreated(CONFIGMAP).filter((cm) => cm.readId === undefined);

/** A live ConfigMap's managedFields: `manager` owns `keys` of `data`. */
function managedBy(...owners: { manager: string; operation?: string; keys: string[] }[]) {
    return {
        metadata: {
            name: "app-config",
            namespace: "shop",
            managedFields: owners.map((o) => ({ manager: o.manager, operation: o.operation ?? "Update", fieldsType: "FieldsV1", fieldsV1: { "f:data": Object.fromEntries(o.keys.map((k) => [`f:${k}`, {}])) } })),
        },
    };
}

function appConfig(fleet: Fleet, adopt: unknown, strategy?: "immutable" | "split") {
    return new FleetConfigMap("app-config", { fleet, metadata: { namespace: "shop" }, data: { LOG_LEVEL: "info" }, adopt: adopt as string[], strategy });
}

describe("FleetConfigMap adopt: taking over ConfigMaps that exist with Pulumi's import", () => {
    beforeEach(() => useMocks());

    it("imports the ConfigMap of each listed cluster by <namespace>/<name>, and creates the others'", async function () {
        appConfig(threeClusterFleet(), ["us-east-1", "eu-central-1"]);
        await settle();
        if (!mocksTellImportsFromReads) this.skip(); // the floor SDK's mocks cannot tell an import from a read (mocks.ts)
        assert.deepStrictEqual(
            // Sorted: each waits for the ownership check, so they are registered in any order.
            written().map((cm) => [cm.name, cm.importId]).sort(),
            [
                ["app-config-eu-central-1", "shop/app-config"],
                ["app-config-eu-west-1", undefined],
                ["app-config-us-east-1", "shop/app-config"],
            ],
        );
    });

    it("passes from the adopted file into the FleetConfigMap with nothing written by hand", async function () {
        const adopted = parseAdoptedConfig("metadata: { name: app-config, namespace: shop }\nadopt: [eu-west-1]\ndata: { A: '1' }\n");
        new FleetConfigMap("app-config", { fleet: threeClusterFleet(), ...adopted });
        await settle();
        if (!mocksTellImportsFromReads) this.skip(); // the floor SDK's mocks cannot tell an import from a read (mocks.ts)
        assert.deepStrictEqual(written().filter((cm) => cm.importId).map((cm) => cm.name), ["app-config-eu-west-1"]);
    });

    it("gives every cluster's ConfigMap the adopted file's labels and annotations, with the package's patchForce added", async () => {
        const adopted = parseAdoptedConfig(
            "metadata:\n  name: app-config\n  namespace: shop\n  labels: { helm.sh/chart: app-1.0 }\n  annotations: { meta.helm.sh/release-name: app }\nadopt: [eu-west-1]\ndata: { A: '1' }\n",
        );
        new FleetConfigMap("app-config", { fleet: threeClusterFleet(), ...adopted });
        await settle();
        for (const cm of written()) {
            assert.deepStrictEqual(cm.inputs.metadata.labels, { "helm.sh/chart": "app-1.0" }, cm.name);
            assert.deepStrictEqual(cm.inputs.metadata.annotations, { "meta.helm.sh/release-name": "app", "pulumi.com/patchForce": "true" }, cm.name);
        }
    });

    describe("refuses before anything is registered", () => {
        const refused = (adopt: unknown, pattern: RegExp, strategy?: "immutable" | "split") => {
            assert.throws(() => appConfig(threeClusterFleet(), adopt, strategy), pattern);
            assert.deepStrictEqual(allCreated(CONFIGMAP), [], "no ConfigMap, not even a read");
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

    describe("ownership: until Pulumi has applied an adopted ConfigMap, a key another field manager owns stops every cluster", () => {
        const run = async (live: Record<string, object>, takeOwnershipFrom?: string[]) => {
            // A read gives the whole object, so its metadata is known at preview (an absent output would be unknown).
            await useMocks(true, (_type, name) => live[name] ?? managedBy());
            const failures = captureProgramFailures();
            const app = new FleetConfigMap("app-config", { fleet: threeClusterFleet(), metadata: { namespace: "shop" }, data: { LOG_LEVEL: "info" }, adopt: ["us-east-1", "eu-west-1"], takeOwnershipFrom });
            void app;
            await settle();
            return { messages: await failures.stop(), reads: allCreated(CONFIGMAP).filter((cm) => cm.readId).map((cm) => `${cm.name} ${cm.readId}`) };
        };

        it("reads each adopted cluster's ConfigMap, and registers none while one clashes, naming the manager, the key and the cluster", async () => {
            const r = await run({ "app-config-eu-west-1-live": managedBy({ manager: "kubectl-create", keys: ["LOG_LEVEL"] }, { manager: "helm", operation: "Apply", keys: ["LOG_LEVEL", "A"] }) }, ["kubectl-create"]);
            assert.deepStrictEqual(r.reads, ["app-config-us-east-1-live shop/app-config", "app-config-eu-west-1-live shop/app-config"]);
            assert.deepStrictEqual(written(), [], "no cluster's ConfigMap, not even the unadopted eu-central-1's");
            assert.strictEqual(r.messages.length >= 1, true, "the preview fails");
            assert.match(r.messages[0], /FleetConfigMap "app-config" would take keys of adopted ConfigMaps from other field managers; nothing was changed:\n  - `data\.A` \(cluster "eu-west-1"\): of ConfigMap shop\/app-config is owned by field manager "helm" \(Apply\), with 2 keys \(`data\.A`, `data\.LOG_LEVEL`\), which `takeOwnershipFrom` does not name/);
            assert.doesNotMatch(r.messages.join("\n"), /kubectl-create"? \(Update\)/, "a manager the file names is no clash");
        });

        it("lets through managers takeOwnershipFrom names, and any manager once Pulumi's has applied the object", async function () {
            const applied = managedBy({ manager: "pulumi-kubernetes-6c1a2b3d", operation: "Apply", keys: ["LOG_LEVEL"] }, { manager: "kubectl-edit", keys: ["LOG_LEVEL"] });
            const r = await run({ "app-config-us-east-1-live": managedBy({ manager: "helm", keys: ["LOG_LEVEL"] }), "app-config-eu-west-1-live": applied }, ["helm"]);
            if (!mocksTellImportsFromReads) this.skip(); // the floor SDK's mocks cannot tell an import from a read (mocks.ts)
            assert.deepStrictEqual(r.messages, []);
            assert.deepStrictEqual(written().map((cm) => cm.name).sort(), ["app-config-eu-central-1", "app-config-eu-west-1", "app-config-us-east-1"]);
        });
    });
});
