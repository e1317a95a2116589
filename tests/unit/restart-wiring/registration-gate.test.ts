import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import { Fleet, FleetConfigMap } from "../../../lib";
import { threeClusterFleet } from "../fixtures";
import { allCreated, captureProgramFailures, settle, useMocks } from "../mocks";

// In an inline Automation API program the Fleet registers its gate as a stack transformation; the mock
// monitor runs no program stack, so these give it to each workload, which the SDK applies the same way.

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";

function appConfig(fleet: Fleet, overrides?: object) {
    return new FleetConfigMap("app-config", {
        fleet,
        metadata: { namespace: "shop" },
        data: { LOG_LEVEL: "info", FEATURE_X: "on" },
        overrides: { clusters: { "eu-central-1": { remove: ["FEATURE_X"] } }, ...overrides },
    });
}

function reader(fleet: Fleet, cluster: string, container: k8s.types.input.core.v1.Container, name = `reader-${cluster}`) {
    return new k8s.apps.v1.Deployment(
        name,
        { metadata: { name: "reader", namespace: "shop" }, spec: { selector: {}, template: { metadata: { labels: { app: "r" } }, spec: { containers: [container] } } } },
        { provider: fleet.provider(cluster), transformations: [fleet.registrationGate] },
    );
}

const wholeMap = { name: "c", envFrom: [{ configMapRef: { name: "app-config" } }] };

describe("the registration gate (inline programs)", () => {
    beforeEach(() => useMocks());

    it("registers no workload of any cluster that reads a FleetConfigMap refused in one cluster, failing them all with the refusal's one error object", async () => {
        // Every host prints an error object once (the SDK's handlers keep a set of those they printed).
        const reasons = new Set<unknown>();
        const onRejection = (reason: unknown) => void reasons.add(reason);
        process.on("unhandledRejection", onRejection);
        try {
            const fleet = threeClusterFleet();
            appConfig(fleet, { regions: { eu: { data: { TOKEN: pulumi.secret("s") } } } });
            for (const cluster of fleet.clusterNames) reader(fleet, cluster, wholeMap);
            await settle();
            await new Promise((resolve) => setTimeout(resolve, 50));
        } finally {
            process.off("unhandledRejection", onRejection);
        }
        assert.deepStrictEqual(allCreated(DEPLOYMENT), [], "the engine is told of no workload");
        assert.strictEqual(reasons.size, 1, [...reasons].map(String).join("\n"));
        assert.match(String((reasons.values().next().value as Error).message), /`overrides\.regions\.eu\.data\.TOKEN` \(cluster "eu-west-1"\): is a Pulumi secret/);
    });

    it("registers, without a key its cluster lacks, only the workloads of the clusters that have it", async () => {
        const failures = captureProgramFailures();
        const fleet = threeClusterFleet();
        appConfig(fleet);
        const keyRead = { name: "c", env: [{ name: "F", valueFrom: { configMapKeyRef: { name: "app-config", key: "FEATURE_X" } } }] };
        for (const cluster of fleet.clusterNames) reader(fleet, cluster, keyRead);
        await settle();
        assert.deepStrictEqual(allCreated(DEPLOYMENT).map((d) => d.name), ["reader-us-east-1", "reader-eu-west-1"]);
        const messages = await failures.stop();
        assert.ok(messages.some((m) => /cluster "eu-central-1": Deployment "reader-eu-central-1" reads key "FEATURE_X"/.test(m)), messages.join("\n"));
    });

    it("lets through, unchanged, passing workloads and those on other providers or reading no FleetConfigMap", async () => {
        const fleet = threeClusterFleet();
        appConfig(fleet);
        reader(fleet, "us-east-1", wholeMap);
        reader(fleet, "eu-west-1", { name: "c", image: "nginx" }, "static-eu-west-1");
        new k8s.apps.v1.Deployment("elsewhere", { spec: { selector: {}, template: { spec: { containers: [wholeMap] } } } }, { transformations: [fleet.registrationGate] });
        await settle();
        assert.deepStrictEqual(allCreated(DEPLOYMENT).map((d) => d.name).sort(), ["elsewhere", "reader-us-east-1", "static-eu-west-1"]);
    });
});
