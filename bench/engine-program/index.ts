import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { Fleet, FleetConfigMap, hashAnnotationKey } from "../../lib";

// 3 clusters × N ConfigMaps, each consumed by one Deployment per cluster, built either with this
// package (`variant: ours`) or as the loop a user would otherwise write by hand (`variant: baseline`).
const config = new pulumi.Config();
const variant = config.require("variant");
const count = config.requireNumber("configMaps");
const namespace = config.require("namespace");
const euValue = config.get("euValue") ?? "eu-1";
const kubeconfigDir = config.require("kubeconfigDir");

const clusters = [
    { name: "us-east-1", region: "us", file: "fleet-1.yaml" },
    { name: "eu-west-1", region: "eu", file: "fleet-2.yaml" },
    { name: "eu-central-1", region: "eu", file: "fleet-3.yaml" },
];
const kubeconfig = (file: string) => fs.readFileSync(path.join(kubeconfigDir, file), "utf8");
const names = Array.from({ length: count }, (_, i) => `cfg-${i}`);
const base = (name: string) => ({ LOG_LEVEL: "info", NAME: name, BODY: name.padEnd(1024, "x") });
const regionData: Record<string, Record<string, string>> = { eu: { REGION_VALUE: euValue } };
const timeouts = { customTimeouts: { create: "5m", update: "5m", delete: "5m" } };

function deploymentArgs(name: string, annotations: pulumi.Input<Record<string, string>>): k8s.apps.v1.DeploymentArgs {
    return {
        metadata: { name, namespace },
        spec: {
            replicas: 1,
            selector: { matchLabels: { app: name } },
            template: {
                metadata: { labels: { app: name }, annotations },
                spec: { containers: [{ name: "app", image: "app:1", envFrom: [{ configMapRef: { name } }] }] },
            },
        },
    };
}

if (variant === "ours") {
    const fleet = new Fleet("bench", { clusters: clusters.map((c) => ({ name: c.name, region: c.region, kubeconfig: kubeconfig(c.file) })) });
    const namespaces = clusters.map((c) => new k8s.core.v1.Namespace(`ns-${c.name}`, { metadata: { name: namespace } }, { provider: fleet.provider(c.name) }));
    for (const name of names) {
        const cm = new FleetConfigMap(
            name,
            { fleet, metadata: { name, namespace }, data: base(name), overrides: { regions: { eu: { data: regionData.eu } } } },
            { dependsOn: namespaces },
        );
        for (const c of clusters) {
            new k8s.apps.v1.Deployment(`${name}-app-${c.name}`, deploymentArgs(name, cm.podAnnotations(c.name)), { provider: fleet.provider(c.name), ...timeouts });
        }
    }
} else {
    for (const c of clusters) {
        const provider = new k8s.Provider(`bench-${c.name}`, { kubeconfig: pulumi.secret(kubeconfig(c.file)), enableConfigMapMutable: true });
        const ns = new k8s.core.v1.Namespace(`ns-${c.name}`, { metadata: { name: namespace } }, { provider });
        for (const name of names) {
            const data: Record<string, string> = { ...base(name), ...(regionData[c.region] ?? {}) };
            const sorted = Object.fromEntries(Object.keys(data).sort().map((k) => [k, data[k]]));
            const hash = createHash("sha256").update(JSON.stringify({ binaryData: {}, data: sorted })).digest("hex");
            const cm = new k8s.core.v1.ConfigMap(`${name}-${c.name}`, { metadata: { name, namespace }, data: sorted }, { provider, dependsOn: [ns] });
            new k8s.apps.v1.Deployment(`${name}-app-${c.name}`, deploymentArgs(name, { [hashAnnotationKey(name)]: hash }), { provider, dependsOn: [cm], ...timeouts });
        }
    }
}
