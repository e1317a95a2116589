import * as assert from "assert";
import { clusterChanges } from "../../../lib/rollout-cli/changes";
import { clusterProviders } from "../../../lib/rollout-cli/attribution";
import { PlannedStack } from "../../../lib/rollout-cli/plan";
import { previewJson, renderPreview, renderRollout, rolloutJson } from "../../../lib/rollout-cli/render";
import { planJson } from "../../../lib/rollout-cli/render-plan";
import { planRollout, parseWaveArguments } from "../../../lib/rollout-cli/plan";
import { FleetShape } from "../../../lib/rollout-cli/review/fleet-shape";
import { PreviewResult } from "../../../lib/rollout-cli/run";
import { fleetStep, providerUrn, stepOn } from "./engine-steps";

const stack: PlannedStack = { name: "eu", selector: "region:eu", clusters: [{ name: "eu-west-1", region: "eu" }, { name: "west-1", region: "eu" }] };
const shape: FleetShape = { regions: { eu: ["eu-west-1", "west-1"], us: ["us-east-1"] }, definition: "d", plan: "p", stacks: ["eu", "us"] };

const template = (hash: string) => ({ metadata: { annotations: { "checksum.fleet-configmap.dev/app-config": hash } }, spec: { containers: [] } });
const deployment = (hash: string, replicas = 2) => ({ metadata: { name: "web", namespace: "shop" }, spec: { replicas, template: template(hash) } });
const configMap = (data: object) => ({ metadata: { name: "app-config", namespace: "shop" }, data });
const CM = "fleet:index:FleetConfigMap$kubernetes:core/v1:ConfigMap";
const DEP = "kubernetes:apps/v1:Deployment";

describe("per-cluster changes from engine steps", () => {
    const fleet = fleetStep(["eu-west-1", "west-1"]);
    const steps = [
        fleet,
        stepOn("eu-west-1", "same", "fleet:index:Fleet$pulumi:providers:kubernetes", "anything"),
        stepOn("eu-west-1", "update", CM, "app-config-eu-west-1", configMap({ A: "1", B: "x", GONE: "1" }), configMap({ A: "2", B: "x", NEW: "1" })),
        stepOn("eu-west-1", "update", DEP, "web-eu-west-1", deployment("h1"), deployment("h2"), { detailedDiff: { 'spec.template.metadata.annotations["checksum.fleet-configmap.dev/app-config"]': { diffKind: "update", inputDiff: true } } as never }),
        stepOn("west-1", "update", DEP, "web-west-1", deployment("h1", 2), deployment("h1", 3), { detailedDiff: { "spec.replicas": { diffKind: "update", inputDiff: true } } as never }),
        stepOn("west-1", "create", "kubernetes:apps/v1:StatefulSet", "db-west-1", undefined, { metadata: { name: "db" }, spec: { template: template("h") } }),
        stepOn("eu-west-1", "replace", "kubernetes:apps/v1:DaemonSet", "agent-eu-west-1", { metadata: { name: "agent" }, spec: { template: template("a") } }, { metadata: { name: "agent" }, spec: { template: template("b") } }),
        stepOn("eu-west-1", "create-replacement", "kubernetes:apps/v1:DaemonSet", "agent-eu-west-1"),
    ];
    const providers = clusterProviders([fleet]);

    it("lists an external consumer's hash-annotation patch as a restart of that workload, whether it is created, updated or deleted", () => {
        const patch = (hash: string) => ({ metadata: { name: "legacy-web", namespace: "shop" }, spec: { template: { metadata: { annotations: { "checksum.fleet-configmap.dev/app-config": hash } } } } });
        const PATCH = "fleet:index:FleetConfigMap$kubernetes:apps/v1:DeploymentPatch";
        const patchSteps = [
            fleet,
            stepOn("eu-west-1", "create", PATCH, "app-config-eu-west-1-deployment-shop-legacy-web", undefined, patch("h1")),
            stepOn("west-1", "delete", "fleet:index:FleetConfigMap$kubernetes:apps/v1:StatefulSetPatch", "app-config-west-1-statefulset-shop-db", { metadata: { name: "db", namespace: "shop" } }),
        ];
        const { clusters: [euWest, west] } = clusterChanges(stack, patchSteps, providers);
        assert.deepStrictEqual(euWest.restarts, [{ name: "deployment/legacy-web", op: "create", fields: ["spec.template.metadata.annotations"] }]);
        assert.deepStrictEqual(west.restarts, [{ name: "statefulset/db", op: "delete", fields: ["spec.template.metadata.annotations"] }]);
        assert.deepStrictEqual([euWest.other, west.other], [[], []]);
    });

    it("gives each step to its provider's cluster, with each changed key's values and only pod-template changes as restarts", () => {
        const { clusters: [euWest, west], outside } = clusterChanges(stack, steps, providers);
        assert.deepStrictEqual(euWest.configMaps, [
            {
                name: "shop/app-config",
                op: "update",
                keys: ["A", "GONE", "NEW"],
                values: [
                    { key: "A", before: "1", after: "2" },
                    { key: "GONE", before: "1" },
                    { key: "NEW", after: "1" },
                ],
            },
        ]);
        assert.deepStrictEqual(euWest.restarts.map((r) => `${r.op} ${r.name}`), ["replace daemonset/agent", "update deployment/web"]);
        assert.deepStrictEqual(euWest.other, []);
        assert.deepStrictEqual(west.restarts, [], "a replica change rolls no pods");
        assert.deepStrictEqual(west.other, [
            { name: "deployment/web", op: "update", fields: ["spec.replicas"] },
            { name: "statefulset/db", op: "create", fields: [] },
        ]);
        assert.deepStrictEqual(outside, []);
    });

    it("renders one group per set of identical changes, with each key's before → after, and a summary that counts every step", () => {
        const quiet: PlannedStack = { name: "us", selector: "region:us", clusters: [{ name: "us-east-1", region: "us" }] };
        const result: PreviewResult = {
            status: "succeeded",
            stacks: [
                { stack: "eu", status: "changed", ...clusterChanges(stack, steps, providers), failedClusters: [] },
                { stack: "us", status: "unchanged", ...clusterChanges(quiet, [], providers), failedClusters: [] },
            ],
        };
        assert.strictEqual(
            renderPreview(result, shape),
            [
                "changes: eu-west-1",
                "  ~ configmap shop/app-config",
                "  ~   A: 1 → 2",
                "  -   GONE: 1",
                "  +   NEW: 1",
                "  ~ restart daemonset/agent, deployment/web",
                "changes: west-1",
                "  ~ deployment/web: spec.replicas",
                "  + statefulset/db",
                "unchanged: us-east-1",
                "2 of 3 clusters change, in 2 groups; 1 unchanged. 5 steps: 5 on clusters, 0 outside the fleet.",
                "",
            ].join("\n"),
        );
        assert.match(renderPreview(result, shape, { byCluster: true }), /^CLUSTER +REGION +STACK +CONFIGMAPS +RESTARTS +OTHER CHANGES\neu-west-1 +eu +eu +app-config \[A GONE NEW\] +daemonset\/agent, deployment\/web\n/);
        const json = previewJson(result, shape) as { schema: string; clusters: { cluster: string; changed: boolean }[]; groups: { clusters: string[] }[] };
        assert.strictEqual(json.schema, "fleet-rollout/preview@1");
        assert.deepStrictEqual(json.clusters.map((c) => `${c.cluster}:${c.changed}`), ["eu-west-1:true", "west-1:true", "us-east-1:false"]);
        assert.deepStrictEqual(json.groups.map((g) => g.clusters), [["eu-west-1"], ["west-1"], ["us-east-1"]]);
    });

    it("renders a stopped rollout with its failed clusters and the waves it did not start, in text and JSON", () => {
        const canary: PlannedStack = { name: "us-east-1", selector: "cluster:us-east-1", clusters: [{ name: "us-east-1", region: "us" }] };
        const result = {
            status: "failed" as const,
            waves: [
                {
                    name: "canary",
                    selector: "cluster:us-east-1",
                    status: "failed" as const,
                    stacks: [{ stack: "us-east-1", status: "failed" as const, ...clusterChanges(canary, [], providers), failedClusters: ["us-east-1"], error: "stack us-east-1: web-us-east-1: timed out" }],
                },
                { name: "eu", selector: "region:eu", status: "not started" as const, stacks: [{ stack: "eu", status: "not started" as const, clusters: [], outside: [], failedClusters: [] }] },
            ],
        };
        const text = renderRollout(result, shape);
        assert.match(text, /^wave 1 "canary" \(cluster:us-east-1\): failed\n {2}FAILED: us-east-1\n/);
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

describe("attribution by provider, never by name", () => {
    const clusters: PlannedStack = { name: "all", selector: "*", clusters: [{ name: "iad", region: "us" }, { name: "eu-west-1", region: "eu" }, { name: "west-1", region: "eu" }] };
    const fleet = fleetStep(["iad", "eu-west-1", "west-1"]);
    const providers = clusterProviders([fleet]);
    const web = (name: string) => ({ metadata: { name, namespace: "shop" }, spec: { template: template("h1") } });
    const web2 = (name: string) => ({ metadata: { name, namespace: "shop" }, spec: { template: template("h2") } });

    it("gives a Deployment named with the cluster first (iad-web) to iad, and shows it restarting", () => {
        const { clusters: [iad] } = clusterChanges(clusters, [fleet, stepOn("iad", "update", DEP, "iad-web", web("web"), web2("web"))], providers);
        assert.deepStrictEqual(iad.restarts.map((r) => r.name), ["deployment/web"]);
    });

    it("gives a resource whose name names no cluster (web-primary) to the cluster of its provider", () => {
        const { clusters: [, euWest] } = clusterChanges(clusters, [fleet, stepOn("eu-west-1", "update", DEP, "web-primary", web("web"), web2("web"))], providers);
        assert.deepStrictEqual(euWest.restarts.map((r) => r.name), ["deployment/web"]);
    });

    it("gives a resource whose name ends with another cluster's name to the cluster of its provider", () => {
        // Named as eu-west-1's would be, but on west-1's provider: it is west-1's.
        const { clusters: [, euWest, west] } = clusterChanges(clusters, [fleet, stepOn("west-1", "update", CM, "app-config-eu-west-1", configMap({ A: "1" }), configMap({ A: "2" }))], providers);
        assert.deepStrictEqual(euWest.configMaps, []);
        assert.deepStrictEqual(west.configMaps.map((c) => c.keys), [["A"]]);
    });

    it("lists the stack, the components and other providers' resources apart, outside the fleet, and drops no step", () => {
        const steps = [
            fleetStep(["iad", "eu-west-1", "west-1"], "create"),
            stepOn(undefined, "create", "pulumi:pulumi:Stack", "shop-iad"),
            stepOn(undefined, "create", "random:index/randomId:RandomId", "suffix"),
            stepOn("iad", "create", "fleet:index:Fleet$pulumi:providers:kubernetes", "p1"),
        ];
        // The provider's own step: its URN is the cluster's provider.
        steps[3] = { ...steps[3], urn: providerUrn("iad") };
        const { clusters: [iad], outside } = clusterChanges(clusters, steps, providers);
        assert.deepStrictEqual(outside.map((o) => `${o.op} ${o.name}`), ["create Fleet/shop", "create Stack/shop-iad", "create RandomId/suffix"]);
        assert.deepStrictEqual(iad.other.map((o) => `${o.op} ${o.name}`), ["create provider/kubernetes"]);
    });

    it("gives a step of a cluster the plan does not give the stack an entry of its own", () => {
        const only: PlannedStack = { name: "iad", selector: "cluster:iad", clusters: [{ name: "iad", region: "us" }] };
        const { clusters: entries } = clusterChanges(only, [fleet, stepOn("west-1", "delete", DEP, "web-west-1", web("web"))], providers, () => "eu");
        assert.deepStrictEqual(entries.map((c) => `${c.cluster}/${c.region}: ${c.other.map((o) => o.op).join()}`), ["iad/us: ", "west-1/eu: delete"]);
    });
});
