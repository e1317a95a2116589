import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import { FleetConfigMap } from "../../lib/component";

// examples/yaml-fleet/Pulumi.yaml, resource for resource, in TypeScript: the same multi-language
// component, constructed in this process instead of in its plugin's, so that the benchmark's ratio is
// what reaching the component through the engine costs.
const config = new pulumi.Config();
const kubeconfigDir = config.require("kubeconfigDir");
const namespace = config.get("namespace") ?? "yaml-fleet";
const euApiUrl = config.get("euApiUrl") ?? "https://api.eu.example.com";
const euCentralLogLevel = config.get("euCentralLogLevel") ?? "debug";

const clusters = [
    { name: "us-east-1", region: "us", file: "fleet-1.yaml" },
    { name: "eu-west-1", region: "eu", file: "fleet-2.yaml" },
    { name: "eu-central-1", region: "eu", file: "fleet-3.yaml" },
];
const kubeconfig = (file: string) => pulumi.secret(fs.readFileSync(path.join(kubeconfigDir, file), "utf8"));
const providers = Object.fromEntries(clusters.map((c) => [c.name, new k8s.Provider(c.name, { kubeconfig: kubeconfig(c.file) })]));
const namespaces = clusters.map((c) => new k8s.core.v1.Namespace(`ns-${c.name}`, { metadata: { name: namespace } }, { provider: providers[c.name] }));

const app = new FleetConfigMap(
    "app-config",
    {
        clusters: clusters.map((c) => ({ name: c.name, region: c.region, kubeconfig: kubeconfig(c.file) })),
        metadata: { name: "app-config", namespace, labels: { app: "shop" } },
        data: { LOG_LEVEL: "info", API_URL: "https://api.example.com", FEATURE_X: "on" },
        overrides: {
            regions: { eu: { data: { API_URL: euApiUrl } } },
            clusters: { "eu-central-1": { data: { LOG_LEVEL: euCentralLogLevel }, remove: ["FEATURE_X"] } },
        },
        keySets: { logLevel: ["LOG_LEVEL"] },
    },
    { dependsOn: namespaces },
);

for (const c of clusters) {
    const provider = providers[c.name];
    const name = app.names.apply((n) => n[c.name]);
    new k8s.apps.v1.Deployment(
        `web-${c.name}`,
        {
            metadata: { name: "web", namespace },
            spec: {
                replicas: 2,
                selector: { matchLabels: { app: "web" } },
                template: {
                    metadata: { labels: { app: "web" }, annotations: app.podAnnotations.apply((a) => a[c.name]) },
                    spec: { containers: [{ name: "web", image: "nginx:1.27", envFrom: [{ configMapRef: { name } }] }] },
                },
            },
        },
        { provider },
    );
    new k8s.apps.v1.Deployment(
        `worker-${c.name}`,
        {
            metadata: { name: "worker", namespace },
            spec: {
                replicas: 1,
                selector: { matchLabels: { app: "worker" } },
                template: {
                    metadata: { labels: { app: "worker" }, annotations: app.keySetPodAnnotations.apply((a) => a.logLevel[c.name]) },
                    spec: { containers: [{ name: "worker", image: "busybox:1.36", env: [{ name: "LOG_LEVEL", valueFrom: { configMapKeyRef: { name, key: "LOG_LEVEL" } } }] }] },
                },
            },
        },
        { provider },
    );
}

export const hashes = app.hashes;
export const configMapNames = app.names;
