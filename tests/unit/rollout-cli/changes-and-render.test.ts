import type { StepEventMetadata } from "@pulumi/pulumi/automation";
import * as assert from "assert";
import { clusterChanges } from "../../../lib/rollout-cli/changes";
import { PlannedStack } from "../../../lib/rollout-cli/plan";
import { previewJson, renderPreview, renderRollout, rolloutJson } from "../../../lib/rollout-cli/render";
import { planJson } from "../../../lib/rollout-cli/render-plan";
import { planRollout, parseWaveArguments } from "../../../lib/rollout-cli/plan";

const stack: PlannedStack = { name: "eu", selector: "region:eu", clusters: [{ name: "eu-west-1", region: "eu" }, { name: "west-1", region: "eu" }] };
const urn = (type: string, name: string) => `urn:pulumi:eu::shop::${type}::${name}`;

function step(op: string, type: string, name: string, oldInputs?: object, newInputs?: object): StepEventMetadata {
    return { op, type, urn: urn(type, name), provider: "", old: oldInputs && ({ inputs: oldInputs } as never), new: newInputs && ({ inputs: newInputs } as never) } as StepEventMetadata;
}

const template = (hash: string) => ({ metadata: { annotations: { "checksum.fleet-configmap.dev/app-config": hash } }, spec: { containers: [] } });
const deployment = (hash: string, replicas = 2) => ({ metadata: { name: "web", namespace: "shop" }, spec: { replicas, template: template(hash) } });
const configMap = (data: object) => ({ metadata: { name: "app-config", namespace: "shop" }, data });

describe("per-cluster changes from engine steps", () => {
    const steps = [
        step("same", "pulumi:providers:kubernetes", "shop-eu-west-1"),
        step("update", "kubernetes:core/v1:ConfigMap", "app-config-eu-west-1", configMap({ A: "1", B: "x", GONE: "1" }), configMap({ A: "2", B: "x", NEW: "1" })),
        step("update", "kubernetes:apps/v1:Deployment", "web-eu-west-1", deployment("h1"), deployment("h2")),
        step("update", "kubernetes:apps/v1:Deployment", "web-west-1", deployment("h1", 2), deployment("h1", 3)),
        step("create", "kubernetes:apps/v1:StatefulSet", "db-west-1", undefined, { metadata: { name: "db" }, spec: { template: template("h") } }),
        step("replace", "kubernetes:apps/v1:DaemonSet", "agent-eu-west-1", { metadata: { name: "agent" }, spec: { template: template("a") } }, { metadata: { name: "agent" }, spec: { template: template("b") } }),
        step("create-replacement", "kubernetes:apps/v1:DaemonSet", "agent-eu-west-1"),
    ];

    it("sorts steps by cluster (longest name match), names changed keys, and counts only pod-template changes as restarts", () => {
        const [euWest, west] = clusterChanges(stack, steps);
        assert.deepStrictEqual(euWest.configMaps, [{ name: "shop/app-config", op: "update", keys: ["A", "GONE", "NEW"] }]);
        assert.deepStrictEqual(euWest.restarts, [{ name: "deployment/web", op: "update" }, { name: "daemonset/agent", op: "replace" }]);
        assert.deepStrictEqual(euWest.other, []);
        assert.deepStrictEqual(west.configMaps, []);
        assert.deepStrictEqual(west.restarts, [], "a replica change rolls no pods");
        assert.deepStrictEqual(west.other, [{ name: "deployment/web", op: "update" }, { name: "statefulset/db", op: "create" }]);
    });

    it("renders one table: changed clusters with their ConfigMaps and restarts, unchanged ones named as such", () => {
        const quiet: PlannedStack = { name: "us", selector: "region:us", clusters: [{ name: "us-east-1", region: "us" }] };
        const result = {
            status: "succeeded" as const,
            stacks: [
                { stack: "eu", status: "changed" as const, clusters: clusterChanges(stack, steps), failedClusters: [] },
                { stack: "us", status: "unchanged" as const, clusters: clusterChanges(quiet, []), failedClusters: [] },
            ],
        };
        assert.strictEqual(
            renderPreview(result),
            [
                "CLUSTER    REGION  STACK  CONFIGMAPS               RESTARTS                         OTHER CHANGES",
                "eu-west-1  eu      eu     app-config [A GONE NEW]  deployment/web, daemonset/agent",
                "west-1     eu      eu     -                        -                                update deployment/web, create statefulset/db",
                "us-east-1  us      us     unchanged",
                "",
                "2 clusters change (eu-west-1, west-1); 1 unchanged (us-east-1).",
                "",
            ].join("\n"),
        );
        const json = previewJson(result) as { clusters: { cluster: string; changed: boolean }[] };
        assert.deepStrictEqual(json.clusters.map((c) => `${c.cluster}:${c.changed}`), ["eu-west-1:true", "west-1:true", "us-east-1:false"]);
    });

    it("renders a stopped rollout with its failed clusters and the waves it did not start, in text and JSON", () => {
        const canary: PlannedStack = { name: "us-east-1", selector: "cluster:us-east-1", clusters: [{ name: "us-east-1", region: "us" }] };
        const result = {
            status: "failed" as const,
            waves: [
                { name: "canary", selector: "cluster:us-east-1", status: "failed" as const, stacks: [{ stack: "us-east-1", status: "failed" as const, clusters: clusterChanges(canary, []), failedClusters: ["us-east-1"], error: "stack us-east-1: web-us-east-1: timed out" }] },
                { name: "eu", selector: "region:eu", status: "not started" as const, stacks: [{ stack: "eu", status: "not started" as const, clusters: [], failedClusters: [] }] },
            ],
        };
        const text = renderRollout(result);
        assert.match(text, /^wave 1 "canary" \(cluster:us-east-1\): failed\n {2}CLUSTER +REGION +STACK +CONFIGMAPS/);
        assert.match(text, /\n {2}us-east-1 +us +us-east-1 +FAILED\n/);
        assert.match(text, /\n {2}error: stack us-east-1: web-us-east-1: timed out\n/);
        assert.match(text, /\nwave 2 "eu" \(region:eu\): not started\n/);
        assert.match(text, /\nrollout stopped at wave "canary": failed clusters us-east-1\. Waves not started: "eu"\.\n$/);
        const json = rolloutJson(result) as Record<string, unknown>;
        assert.strictEqual(json.status, "failed");
        assert.deepStrictEqual(json.failedClusters, ["us-east-1"]);
        assert.deepStrictEqual(json.notStartedWaves, ["eu"]);
    });

    it("gives a CI matrix of stacks in wave order", () => {
        const plan = planRollout({ clusters: [{ name: "a", region: "x" }, { name: "b", region: "y" }], stacks: { by: "cluster" } }, parseWaveArguments(["first=cluster:b", "rest=*"]).waves);
        assert.deepStrictEqual((planJson(plan) as { matrix: unknown }).matrix, [
            { wave: "first", waveIndex: 1, stack: "b", selector: "cluster:b" },
            { wave: "rest", waveIndex: 2, stack: "a", selector: "cluster:a" },
        ]);
    });
});
