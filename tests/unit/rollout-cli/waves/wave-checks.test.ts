import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parseFleetDefinition } from "../../../../lib/fleet/fleet-definition";
import { clusterAccesses } from "../../../../lib/rollout-cli/cluster-api/cluster-access";
import { parseWaveArguments, planRollout } from "../../../../lib/rollout-cli/plan/plan";
import { clusterWaveChecks } from "../../../../lib/rollout-cli/waves/wave-checks";
import { deployment, FakeClusterApi, pod } from "../fake-cluster-api";

const definition = {
    ...parseFleetDefinition(`
clusters:
  - { name: us-east-1, region: us, kubeconfig: fleet-1.yaml, context: admin }
  - { name: eu-west-1, region: eu }
stacks: { by: region }
`),
    kubeconfigDir: "/kube",
};
const plan = planRollout(definition, parseWaveArguments(["canary=region:us", "rest=*"]).waves);

describe("wave checks on the clusters", () => {
    it("reach each cluster with the kubeconfig and context its stack's provider reads", () => {
        assert.deepStrictEqual([...clusterAccesses(definition, plan).values()], [
            { name: "us-east-1", region: "us", stack: "us", kubeconfig: "/kube/fleet-1.yaml", context: "admin" },
            { name: "eu-west-1", region: "eu", stack: "eu", kubeconfig: "/kube/eu-west-1.yaml" },
        ]);
    });

    it("run a gate in the fleet file's directory when the file wrote it, in the current one for --gate, with the wave's clusters", async () => {
        const fleetDirectory = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-dir-"));
        const currentDirectory = fs.mkdtempSync(path.join(os.tmpdir(), "current-dir-"));
        const checks = clusterWaveChecks({ api: new FakeClusterApi({}), clusters: clusterAccesses(definition, plan), concurrency: 2, fleetDirectory, currentDirectory });
        const stop = new AbortController().signal;
        const command = 'pwd; jq -r ".clusters[].name" "$FLEET_WAVE_CLUSTERS" 2>/dev/null || grep -o "\\"name\\": \\"[^\\"]*\\"" "$FLEET_WAVE_CLUSTERS"';
        const fromFile = await checks.gate({ ...plan.waves[0], gate: { command, writtenIn: "fleet file" } }, stop, () => undefined);
        assert.strictEqual(fs.realpathSync(fromFile.output[0]), fs.realpathSync(fleetDirectory));
        assert.match(fromFile.output.slice(1).join(" "), /us-east-1/);
        assert.doesNotMatch(fromFile.output.slice(1).join(" "), /eu-west-1/);
        const fromFlag = await checks.gate({ ...plan.waves[1], gate: { command: "pwd", writtenIn: "command line" } }, stop, () => undefined);
        assert.strictEqual(fs.realpathSync(fromFlag.output[0]), fs.realpathSync(currentDirectory));
    });

    it("soak the wave's clusters only, in the fleet file's namespaces", async () => {
        const objects = () => [deployment("shop", "web", 2), pod("shop", "web-1", "web")];
        const api = new FakeClusterApi({ "us-east-1": { objects }, "eu-west-1": { objects } });
        const checks = clusterWaveChecks({ api, clusters: clusterAccesses(definition, plan), namespaces: ["shop"], concurrency: 2, fleetDirectory: "/", currentDirectory: "/" });
        const stop = new AbortController();
        setTimeout(() => stop.abort(), 50);
        const result = await checks.soak({ ...plan.waves[0], soakMs: 60_000 }, stop.signal, () => undefined);
        assert.strictEqual(result.status, "stopped");
        assert.deepStrictEqual([...new Set(api.requests)], ["us-east-1: list deployments.apps,statefulsets.apps,daemonsets.apps,pods shop"]);
    });
});
