import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { Fleet, fleetArgsFromDefinition, FleetConfigMap, loadFleetDefinition, selectionFromConfig } from "@fleet/configmap";

// One program for every stack of the fleet, whatever the layout: the fleet comes from the definition
// file, the stack's share of it from its `fleetSelection` config (set by the rollout command).
const config = new pulumi.Config();
const namespace = config.require("namespace");
const fleet = new Fleet("reshard", fleetArgsFromDefinition(loadFleetDefinition(config.require("fleetFile")), selectionFromConfig(config)));
pulumi.runtime.registerResourceTransform(fleet.rolloutTransform);

// A renamed cluster (its `formerNames` in the fleet file) keeps its resources: each is aliased to its
// name under the cluster's former names, as the Fleet does for its providers and ConfigMaps.
const formerly = (cluster: string, prefix: string) => fleet.formerNames(cluster).map((old) => ({ name: `${prefix}-${old}` }));

const namespaces = fleet.clusterNames.map(
    (cluster) => new k8s.core.v1.Namespace(`ns-${cluster}`, { metadata: { name: namespace } }, { provider: fleet.provider(cluster), aliases: formerly(cluster, "ns") }),
);

const app = new FleetConfigMap(
    "app-config",
    {
        fleet,
        metadata: { name: "app-config", namespace },
        data: { LOG_LEVEL: config.get("logLevel") ?? "info", API_URL: "https://api.example.com" },
        overrides: { regions: { eu: { data: { API_URL: "https://api.eu.example.com" } } } },
    },
    { dependsOn: namespaces },
);

fleet.clusterNames.forEach((cluster, i) => {
    new k8s.apps.v1.Deployment(
        `web-${cluster}`,
        {
            metadata: { name: "web", namespace },
            spec: {
                replicas: 1,
                selector: { matchLabels: { app: "web" } },
                template: { metadata: { labels: { app: "web" } }, spec: { containers: [{ name: "web", image: "nginx:1.27", envFrom: [app.envFrom()] }] } },
            },
        },
        { provider: fleet.provider(cluster), dependsOn: [namespaces[i]], aliases: formerly(cluster, "web"), customTimeouts: { create: "2m", update: "2m", delete: "60s" } },
    );
});
