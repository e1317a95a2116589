import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Fleet, fleetArgsFromDefinition, FleetConfigMap, loadFleetDefinition, selectionFromConfig } from "@fleet/configmap";

// One program for every shard stack: the fleet comes from the definition file, the shard from the
// stack's `fleetSelection` config (set by the rollout command), everything else from stack config.
const config = new pulumi.Config();
const namespace = config.require("namespace");
const definition = loadFleetDefinition(config.require("fleetFile"));
const fleet = new Fleet("e2e", fleetArgsFromDefinition(definition, selectionFromConfig(config)));
pulumi.runtime.registerResourceTransform(fleet.rolloutTransform);

// Clusters whose web pods can never be scheduled (a node selector no node has): their rollout never
// becomes ready, which is how a bad release fails its health gate here.
const broken = (config.get("brokenClusters") ?? "").split(",").filter(Boolean);

const namespaces = fleet.clusterNames.map(
    (cluster) => new k8s.core.v1.Namespace(`ns-${cluster}`, { metadata: { name: namespace } }, { provider: fleet.provider(cluster) }),
);

const app = new FleetConfigMap(
    "app-config",
    {
        fleet,
        metadata: { name: "app-config", namespace },
        data: { LOG_LEVEL: config.get("logLevel") ?? "info", API_URL: "https://api.example.com" },
        overrides: {
            regions: { eu: { data: { API_URL: config.get("euApiUrl") ?? "https://api.eu.example.com" } } },
            // us-west-2 may be in another shard; the override is valid in every shard stack.
            clusters: {
                "us-west-2": { data: { CANARY: "true" } },
                // One cluster's own log level, for reviews of a region change beside one cluster's override.
                ...(config.get("debugCluster") ? { [config.require("debugCluster")]: { data: { LOG_LEVEL: "debug" } } } : {}),
            },
        },
    },
    { dependsOn: namespaces },
);

fleet.clusterNames.forEach((cluster, i) => {
    new k8s.apps.v1.Deployment(
        `web-${cluster}`,
        {
            // `skipAwait`: Pulumi does not wait for the rollout, as when its wait lets a stuck one through.
            metadata: { name: "web", namespace, ...(config.get("skipAwait") ? { annotations: { "pulumi.com/skipAwait": "true" } } : {}) },
            spec: {
                replicas: 2,
                selector: { matchLabels: { app: "web" } },
                template: {
                    metadata: { labels: { app: "web" } },
                    spec: {
                        containers: [{ name: "web", image: "nginx:1.27", envFrom: [app.envFrom()] }],
                        nodeSelector: broken.includes(cluster) ? { "fleet-e2e/never": "true" } : undefined,
                    },
                },
            },
        },
        // Short, so that a rollout that never becomes ready fails its wave within a test's time; with
        // `longWait`, as long as a real program's, so that only the wave's own timeout bounds it (and a
        // machine busy with many clusters has time).
        { provider: fleet.provider(cluster), dependsOn: [namespaces[i]], customTimeouts: config.get("longWait") ? { create: "10m", update: "10m", delete: "60s" } : { create: "60s", update: "40s", delete: "60s" } },
    );
});

// Named with the cluster first, unlike the Fleet's children: the rollout command must still give its
// steps to its cluster (by its provider). It reads only LOG_LEVEL, so only that key rolls it.
fleet.clusterNames.forEach((cluster, i) => {
    new k8s.apps.v1.Deployment(
        `${cluster}-api`,
        {
            metadata: { name: "api", namespace },
            spec: {
                replicas: 1,
                selector: { matchLabels: { app: "api" } },
                template: {
                    metadata: { labels: { app: "api" } },
                    spec: { containers: [{ name: "api", image: "nginx:1.27", env: [{ name: "LOG_LEVEL", valueFrom: { configMapKeyRef: { name: "app-config", key: "LOG_LEVEL" } } }] }] },
                },
            },
        },
        { provider: fleet.provider(cluster), dependsOn: [namespaces[i]], customTimeouts: config.get("longWait") ? { create: "10m", update: "10m", delete: "60s" } : { create: "60s", update: "40s", delete: "60s" } },
    );
});

// With `everyKind`, one wired workload of each kind beside web and api, to soak them all: a
// 1-replica Deployment, a StatefulSet and a DaemonSet (on each of the cluster's nodes). Without it,
// none exist, so the other scenarios' counts stay. In the clusters of `stuckClusters`, a change
// cannot roll them (a pod no node can take) and Pulumi does not wait for them: their soak must stop
// the rollout. A DaemonSet's node selector would shrink it to no node (a finished rollout); a CPU
// request no node has keeps its pod Pending instead.
const stuck = (config.get("stuckClusters") ?? "").split(",").filter(Boolean);
if (config.get("everyKind")) {
    fleet.clusterNames.forEach((cluster, i) => {
        const cannotRoll = stuck.includes(cluster);
        const metadata = (name: string) => ({ name, namespace, ...(cannotRoll ? { annotations: { "pulumi.com/skipAwait": "true" } } : {}) });
        const container = { image: "nginx:1.27", envFrom: [app.envFrom()] };
        const neverScheduled = { nodeSelector: { "fleet-e2e/never": "true" } };
        const opts = { provider: fleet.provider(cluster), dependsOn: [namespaces[i]], customTimeouts: { create: "60s", update: "40s", delete: "60s" } };
        new k8s.apps.v1.Deployment(
            `solo-${cluster}`,
            {
                metadata: metadata("solo"),
                spec: {
                    replicas: 1,
                    selector: { matchLabels: { app: "solo" } },
                    template: { metadata: { labels: { app: "solo" } }, spec: { containers: [{ name: "solo", ...container }], ...(cannotRoll ? neverScheduled : {}) } },
                },
            },
            opts,
        );
        new k8s.apps.v1.StatefulSet(
            `db-${cluster}`,
            {
                metadata: metadata("db"),
                spec: {
                    replicas: 1,
                    serviceName: "db",
                    selector: { matchLabels: { app: "db" } },
                    template: { metadata: { labels: { app: "db" } }, spec: { containers: [{ name: "db", ...container }], ...(cannotRoll ? neverScheduled : {}) } },
                },
            },
            opts,
        );
        new k8s.apps.v1.DaemonSet(
            `agent-${cluster}`,
            {
                metadata: metadata("agent"),
                spec: {
                    selector: { matchLabels: { app: "agent" } },
                    template: {
                        metadata: { labels: { app: "agent" } },
                        spec: { containers: [{ name: "agent", ...container, ...(cannotRoll ? { resources: { requests: { cpu: "1000000" } } } : {}) }] },
                    },
                },
            },
            opts,
        );
    });
}

/** Each managed cluster's content hash. */
export const hashes = app.hashes;
