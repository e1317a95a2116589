import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Fleet, fleetArgsFromDefinition, FleetConfigMap, loadFleetDefinition, selectionFromConfig } from "../../../lib";

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

/** Each managed cluster's content hash. */
export const hashes = app.hashes;
