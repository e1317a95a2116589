import * as assert from "assert";
import { Fleet, FleetConfigMap, fleetArgsFromDefinition, parseFleetDefinition } from "../../../lib";
import { FleetDefinitionError } from "../../../lib/fleet/fleet-definition";
import { formatProblem } from "../../../lib/errors/problems";
import { fleetArgsProblems } from "../../../lib/config/validation";
import { findCreated, settle, useMocks } from "../mocks";

describe("a renamed cluster (formerNames)", () => {
    beforeEach(() => useMocks());

    it("keeps its provider's clusterIdentifier at its first name, so the renamed provider replaces nothing", async () => {
        const fleet = new Fleet("prod", { clusters: [{ name: "eu-west-1c", region: "eu", kubeconfig: "k", formerNames: ["eu-west-1", "eu-west-1b"] }] });
        await settle();
        const provider = findCreated("pulumi:providers:kubernetes", "prod-eu-west-1c");
        assert.strictEqual(provider.inputs.clusterIdentifier, "eu-west-1");
        assert.deepStrictEqual(fleet.formerNames("eu-west-1c"), ["eu-west-1", "eu-west-1b"]);
        assert.deepStrictEqual(fleet.clusterNames, ["eu-west-1c"]);
    });

    it("gives a cluster never renamed no former names, and its name as clusterIdentifier", async () => {
        const fleet = new Fleet("prod", { clusters: [{ name: "us-east-1", region: "us", kubeconfig: "k" }] });
        await settle();
        assert.deepStrictEqual(fleet.formerNames("us-east-1"), []);
        assert.strictEqual(findCreated("pulumi:providers:kubernetes", "prod-us-east-1").inputs.clusterIdentifier, "us-east-1");
    });

    it("still writes each cluster's ConfigMap under its new name", async () => {
        const fleet = new Fleet("prod", { clusters: [{ name: "b", region: "eu", kubeconfig: "k", formerNames: ["a"] }] });
        new FleetConfigMap("app", { fleet, metadata: { name: "app", namespace: "default" }, data: { K: "v" } });
        await settle();
        assert.strictEqual(findCreated("kubernetes:core/v1:ConfigMap", "app-b").inputs.data.K, "v");
    });

    it("refuses a former name that is a cluster's name now, or that two clusters claim, naming the field, cluster and value", () => {
        const lines = fleetArgsProblems({
            clusters: [
                { name: "a", region: "eu", kubeconfig: "k", formerNames: ["b"] },
                { name: "b", region: "eu", kubeconfig: "k", formerNames: ["old"] },
                { name: "c", region: "eu", kubeconfig: "k", formerNames: ["old"] },
            ],
        }).map(formatProblem);
        assert.deepStrictEqual(lines, [
            '`clusters[0].formerNames[0]` (cluster "a"): Invalid value: "b" is the name of clusters[1] now; a former name must be no cluster\'s name',
            '`clusters[2].formerNames[0]` (cluster "c"): Invalid value: "old" is already a former name of cluster "b"; a former name is one cluster\'s',
        ]);
    });

    it("reads former names from a fleet definition, refuses the same clashes there, and hands them to the Fleet", () => {
        const definition = parseFleetDefinition("clusters:\n  - { name: b, region: eu, formerNames: [a] }\n  - { name: c, region: us }\n");
        // Selecting the other cluster: b's kubeconfig is not read, and b keeps its former names.
        const args = fleetArgsFromDefinition(definition, { regions: ["none-selected"] });
        assert.deepStrictEqual(args.clusters.map((c) => c.formerNames), [["a"], undefined]);
        assert.throws(
            () => parseFleetDefinition("clusters:\n  - { name: a, region: eu }\n  - { name: b, region: eu, formerNames: [a] }\n"),
            (err: FleetDefinitionError) => /`clusters\[1\]\.formerNames\[0\]` \(cluster "b"\): Invalid value: "a" is the name of clusters\[0\] now/.test(err.message),
        );
    });
});
