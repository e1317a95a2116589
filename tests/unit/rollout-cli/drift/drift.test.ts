import type { StepEventMetadata } from "@pulumi/pulumi/automation";
import * as assert from "assert";
import { clusterDrift, driftJson, driftResult, keyOfPath, renderDrift } from "../../../../lib/rollout-cli/drift/drift";
import { PlannedStack } from "../../../../lib/rollout-cli/plan/plan";
import { StackResult } from "../../../../lib/rollout-cli/run/run";
import { fleetStep, providerUrn } from "../run/engine-steps";

const stack: PlannedStack = { name: "eu", selector: "region:eu", clusters: [{ name: "eu-west-1", region: "eu" }, { name: "eu-central-1", region: "eu" }] };
// URNs as the engine writes them: a FleetConfigMap's ConfigMaps have the component in their type chain.
const CM = "fleet:index:FleetConfigMap$kubernetes:core/v1:ConfigMap";
const urn = (typeChain: string, name: string) => `urn:pulumi:eu::shop::${typeChain}::${name}`;
const configMap = (data: Record<string, string>) => ({ metadata: { name: "app-config", namespace: "shop" }, data });
const deployment = (annotations: Record<string, string>) => ({ metadata: { name: "web", namespace: "shop" }, spec: { template: { metadata: { annotations } } } });

// Each step names its cluster's provider; the Fleet's outputs say which provider is which cluster.
const fleets = [fleetStep(["eu-west-1", "eu-central-1", "us-east-1"])];
const ref = (cluster: string) => `${providerUrn(cluster)}::id`;
function refresh(cluster: string, typeChain: string, name: string, before: object, after: object | undefined, detailedDiff?: object): StepEventMetadata {
    const type = typeChain.split("$").pop()!;
    return { op: "refresh", type, urn: urn(typeChain, name), provider: "", old: { outputs: before, provider: ref(cluster) }, new: after && { outputs: after, provider: ref(cluster) }, detailedDiff } as unknown as StepEventMetadata;
}
function planned(cluster: string, op: string, typeChain: string, name: string): StepEventMetadata {
    return { op, type: typeChain.split("$").pop()!, urn: urn(typeChain, name), provider: "", new: { provider: ref(cluster) } } as unknown as StepEventMetadata;
}

const DEPLOYED = { API_URL: "https://api.eu", LOG_LEVEL: "info", FEATURE_X: "on" };
const HASH = { "checksum.fleet-configmap.dev/app-config": "abc", "kubectl.kubernetes.io/restartedAt": "t1" };

describe("drift: out-of-band changes from a refreshed preview's steps", () => {
    it("reports the one key edited in one cluster, and the other cluster in sync", () => {
        const drift = clusterDrift(stack, {
            refreshed: [
                refresh("eu-west-1", CM, "app-config-eu-west-1", configMap(DEPLOYED), configMap({ ...DEPLOYED, LOG_LEVEL: "trace" }), { "data.LOG_LEVEL": { diffKind: "update", inputDiff: false } }),
                refresh("eu-central-1", CM, "app-config-eu-central-1", configMap(DEPLOYED), configMap(DEPLOYED), {}),
            ],
            planned: [planned("eu-west-1", "update", CM, "app-config-eu-west-1"), planned("eu-central-1", "same", CM, "app-config-eu-central-1")],
            fleets,
        });
        assert.deepStrictEqual(drift, [
            { cluster: "eu-west-1", region: "eu", stack: "eu", status: "drifted", configMaps: [{ name: "shop/app-config", keys: [{ key: "LOG_LEVEL", drift: "changed", before: "info", after: "trace" }] }], annotations: [], other: [] },
            { cluster: "eu-central-1", region: "eu", stack: "eu", status: "in sync", configMaps: [], annotations: [], other: [] },
        ]);
    });

    it("tells changed, added and removed keys apart, including a key only the live outputs have", () => {
        const [west] = clusterDrift(stack, {
            refreshed: [
                refresh("eu-west-1", CM, "app-config-eu-west-1", configMap(DEPLOYED), configMap({ API_URL: "https://api.eu", LOG_LEVEL: "debug", EXTRA: "x" }), {
                    "data.FEATURE_X": { diffKind: "delete", inputDiff: false },
                    "data.LOG_LEVEL": { diffKind: "update", inputDiff: false },
                }),
            ],
            planned: [],
            fleets,
        });
        assert.deepStrictEqual(west.configMaps[0].keys, [
            { key: "EXTRA", drift: "added", after: "x" },
            { key: "FEATURE_X", drift: "removed", before: "on" },
            { key: "LOG_LEVEL", drift: "changed", before: "info", after: "debug" },
        ]);
    });

    it("reports a ConfigMap deleted out of band", () => {
        const [west] = clusterDrift(stack, { refreshed: [refresh("eu-west-1", CM, "app-config-eu-west-1", configMap(DEPLOYED), undefined)], planned: [planned("eu-west-1", "create", CM, "app-config-eu-west-1")], fleets });
        assert.deepStrictEqual(west.configMaps, [{ name: "shop/app-config", keys: [], deleted: true }]);
        assert.deepStrictEqual(west.other, [], "its re-creation is the repair, not another change");
    });

    it("reports a wired workload's hash annotation edited out of band, and ignores its other annotations", () => {
        const D = "kubernetes:apps/v1:Deployment";
        const drift = clusterDrift(stack, {
            refreshed: [
                refresh("eu-west-1", D, "web-eu-west-1", deployment(HASH), deployment({ ...HASH, "checksum.fleet-configmap.dev/app-config": "tampered" })),
                refresh("eu-central-1", D, "web-eu-central-1", deployment(HASH), deployment({ ...HASH, "kubectl.kubernetes.io/restartedAt": "t2" })),
            ],
            planned: [],
            fleets,
        });
        assert.deepStrictEqual(drift[0].annotations, [{ workload: "deployment/web", annotation: "checksum.fleet-configmap.dev/app-config", drift: "changed" }]);
        assert.strictEqual(drift[0].status, "drifted");
        assert.strictEqual(drift[1].status, "in sync", "a kubectl rollout restart is not drift of the hash");
    });

    it("ignores ConfigMaps that no FleetConfigMap owns, and lists other changes an up would make as `differs`", () => {
        const drift = clusterDrift(stack, {
            refreshed: [refresh("eu-west-1", "kubernetes:core/v1:ConfigMap", "other-eu-west-1", configMap(DEPLOYED), configMap({}))],
            planned: [planned("eu-central-1", "update", "kubernetes:apps/v1:Deployment", "web-eu-central-1"), planned("eu-west-1", "same", CM, "app-config-eu-west-1")],
            fleets,
        });
        assert.strictEqual(drift[0].status, "in sync");
        assert.deepStrictEqual(drift[1].other, [{ name: "deployment/web-eu-central-1", op: "update" }]);
        assert.strictEqual(drift[1].status, "differs");
    });

    it("reads ConfigMap keys from detailed-diff paths", () => {
        assert.strictEqual(keyOfPath("data.LOG_LEVEL"), "LOG_LEVEL");
        assert.strictEqual(keyOfPath('data["app.properties"]'), "app.properties");
        assert.strictEqual(keyOfPath("binaryData.logo"), "logo");
        assert.strictEqual(keyOfPath("metadata.labels.x"), undefined);
    });
});

describe("drift: the fleet-wide result and its exit status", () => {
    const ok = (name: string): StackResult => ({ stack: name, status: "unchanged", clusters: [], outside: [], failedClusters: [] });
    const shape = { regions: { us: ["us-east-1"], eu: ["eu-west-1", "eu-central-1"] } };
    const us: PlannedStack = { name: "us", selector: "region:us", clusters: [{ name: "us-east-1", region: "us" }] };
    const inSync = (s: PlannedStack) => s.clusters.map((c) => ({ cluster: c.name, region: c.region, stack: s.name, status: "in sync" as const, configMaps: [], annotations: [], other: [] }));

    it("is in sync only when every cluster of every stack is", () => {
        const result = driftResult([{ stack: us, result: ok("us"), drift: inSync(us) }, { stack, result: ok("eu"), drift: inSync(stack) }], false);
        assert.strictEqual(result.status, "in sync");
        assert.strictEqual(renderDrift(result, shape), "in sync (3 clusters): region eu (2 clusters), us-east-1\n3 clusters in sync.\n");
    });

    it("names the drifted cluster and key, and the clusters in sync", () => {
        const drifted = [{ ...inSync(stack)[0], status: "drifted" as const, configMaps: [{ name: "shop/app-config", keys: [{ key: "LOG_LEVEL", drift: "changed" as const, before: "info", after: "trace" }] }] }, inSync(stack)[1]];
        const result = driftResult([{ stack: us, result: ok("us"), drift: inSync(us) }, { stack, result: ok("eu"), drift: drifted }], false);
        assert.strictEqual(result.status, "drifted");
        assert.strictEqual(
            renderDrift(result, shape),
            [
                "drifted: eu-west-1",
                "  ~ configmap shop/app-config (deployed → live)",
                "  ~   LOG_LEVEL: info → trace",
                "in sync (2 clusters): us-east-1, eu-central-1",
                "1 cluster drifted (eu-west-1); 2 in sync. Repair: fleet-rollout up --refresh.",
                "",
            ].join("\n"),
        );
        assert.match(renderDrift(result, shape, { byCluster: true }), /\neu-west-1 +eu +eu +drifted +configmap\/app-config LOG_LEVEL \(changed\)\n/);
        assert.deepStrictEqual((driftJson(result) as { clusters: { cluster: string; status: string }[] }).clusters.map((c) => `${c.cluster}:${c.status}`), ["us-east-1:in sync", "eu-west-1:drifted", "eu-central-1:in sync"]);
    });

    it("fails when a stack could not be checked, keeping what its refresh found and never calling its clusters in sync", () => {
        const failed: StackResult = { stack: "eu", status: "failed", clusters: [], outside: [], failedClusters: ["eu-west-1"], error: "stack eu: conflict" };
        const result = driftResult([{ stack: us, result: ok("us"), drift: inSync(us) }, { stack, result: failed, drift: inSync(stack) }], false);
        assert.strictEqual(result.status, "failed");
        assert.deepStrictEqual(result.clusters.map((c) => c.cluster), ["us-east-1"]);
        assert.deepStrictEqual(result.failed, [{ stack: "eu", clusters: ["eu-west-1", "eu-central-1"], error: "stack eu: conflict" }]);
        assert.match(renderDrift(result, shape), /\nerror: stack eu: conflict\n1 cluster in sync\.\n1 stack could not be checked \(eu\)\.\n$/);
    });
});
