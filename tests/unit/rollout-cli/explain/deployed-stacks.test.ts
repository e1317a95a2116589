import * as assert from "assert";
import { deploymentProblems, DeployedStack, findFleetConfigMap, fleetConfigMaps, StackPresence } from "../../../../lib/rollout-cli/explain/deployed-stacks";
import { PlannedStack, PlanError } from "../../../../lib/rollout-cli/plan/plan";

const us: PlannedStack = { name: "us", selector: "region:us", clusters: [{ name: "us-east-1", region: "us" }] };
const eu: PlannedStack = { name: "eu", selector: "region:eu", clusters: [{ name: "eu-west-1", region: "eu" }, { name: "eu-central-1", region: "eu" }] };
const provenance = { "us-east-1": { keys: { A: { layer: "base", field: "data.A", kind: "data" } }, removed: {} } };
const APP_CONFIG_URN = "urn:pulumi:us::shop::fleet:index:FleetConfigMap::app-config";
const CHILD_URN = "urn:pulumi:us::shop::fleet:index:FleetConfigMap$kubernetes:core/v1:ConfigMap::app-config-us-east-1";
const deployed: DeployedStack[] = [
    {
        stack: us,
        resources: [
            { urn: "urn:pulumi:us::shop::pulumi:pulumi:Stack::shop-us", type: "pulumi:pulumi:Stack" },
            { urn: APP_CONFIG_URN, type: "fleet:index:FleetConfigMap", outputs: { configMapName: "app-config", namespace: "shop", provenance } },
            // A replacement left half done (immutable strategy, interrupted): the old copy waits for deletion.
            { urn: CHILD_URN, type: "kubernetes:core/v1:ConfigMap", parent: APP_CONFIG_URN, delete: true, inputs: { data: { A: "0" } } },
            { urn: CHILD_URN, type: "kubernetes:core/v1:ConfigMap", parent: APP_CONFIG_URN, inputs: { data: { A: "1" } }, outputs: { data: { A: "edited out of band" } } },
            { urn: "urn:pulumi:us::shop::fleet:index:FleetConfigMap::shop-settings", type: "fleet:index:FleetConfigMap", outputs: {} },
        ],
    },
];

describe("deployed stacks", () => {
    it("names a stack the backend does not have, and one whose state is empty, as never deployed", () => {
        const presence = new Map<string, StackPresence>([
            ["us", { exists: true, resources: 12 }],
            ["eu", { exists: true, resources: 0 }],
        ]);
        assert.deepStrictEqual(deploymentProblems([us, eu], presence), [
            { field: "stack eu", message: "was never deployed: the stack exists but its state is empty (clusters eu-west-1, eu-central-1); run `fleet-rollout up` first" },
        ]);
        assert.deepStrictEqual(deploymentProblems([us], new Map()), [
            { field: "stack us", message: 'was never deployed: the backend has no stack "us" (clusters us-east-1); run `fleet-rollout up` first' },
        ]);
        assert.deepStrictEqual(deploymentProblems([us], new Map([["us", { exists: true, resources: 3 }]])), []);
    });

    it("finds FleetConfigMaps in the state by the name the program gave them, with their provenance output and the data the program gave each cluster's ConfigMap", () => {
        const found = fleetConfigMaps(deployed);
        assert.deepStrictEqual([...found.keys()], ["app-config", "shop-settings"]);
        assert.deepStrictEqual(findFleetConfigMap(deployed, "app-config"), [
            { name: "app-config", stack: "us", configMapName: "app-config", namespace: "shop", provenance, contents: { "us-east-1": { data: { A: "1" }, binaryData: {} } } },
        ]);
        assert.deepStrictEqual(found.get("shop-settings")![0].provenance, {}, "a state without the output has no provenance, not an error here");
    });

    it("joins the parts of a split FleetConfigMap into each cluster's whole content", () => {
        const urn = "urn:pulumi:eu::shop::fleet:index:FleetConfigMap::routes";
        const part = (cluster: string, n: number, data: Record<string, string>) => ({
            urn: `urn:pulumi:eu::shop::fleet:index:FleetConfigMap$kubernetes:core/v1:ConfigMap::routes-${cluster}-part-${n}`,
            type: "kubernetes:core/v1:ConfigMap",
            parent: urn,
            inputs: { data },
        });
        const clusters = { "eu-west-1": { keys: {}, removed: {} }, "eu-central-1": { keys: {}, removed: {} } };
        const split: DeployedStack[] = [
            {
                stack: eu,
                resources: [
                    { urn, type: "fleet:index:FleetConfigMap", outputs: { configMapName: "routes", namespace: "shop", provenance: clusters } },
                    part("eu-west-1", 1, { "a.txt": "a" }),
                    part("eu-west-1", 3, { "c.txt": "c" }),
                    part("eu-central-1", 1, { "a.txt": "a2" }),
                ],
            },
        ];
        assert.deepStrictEqual(findFleetConfigMap(split, "routes")[0].contents, {
            "eu-west-1": { data: { "a.txt": "a", "c.txt": "c" }, binaryData: {} },
            "eu-central-1": { data: { "a.txt": "a2" }, binaryData: {} },
        });
    });

    it("refuses an unknown ConfigMap, naming those the stacks have", () => {
        assert.throws(
            () => findFleetConfigMap(deployed, "app-confg"),
            (err: unknown) =>
                err instanceof PlanError &&
                err.problems[0].field === "app-confg" &&
                err.problems[0].message === 'no FleetConfigMap of that name is in the state of stack us; its FleetConfigMaps are "app-config", "shop-settings"',
        );
    });
});
