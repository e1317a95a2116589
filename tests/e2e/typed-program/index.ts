import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";
import { Fleet, FleetConfigMap } from "@fleet/configmap";

// A typed FleetConfigMap with a JSON file key; every knob a scenario turns is stack config.
const config = new pulumi.Config();
const namespace = config.require("namespace");
const kubeconfigDir = config.require("kubeconfigDir");
const euDbHost = config.get("euDbHost") ?? "db.eu.internal";
const euPort = config.getNumber("euPort");

const kubeconfig = (file: string) => fs.readFileSync(path.join(kubeconfigDir, file), "utf8");
const fleet = new Fleet("e2e-typed", {
    clusters: [
        { name: "us-east-1", region: "us", kubeconfig: kubeconfig("fleet-1.yaml") },
        { name: "eu-west-1", region: "eu", kubeconfig: kubeconfig("fleet-2.yaml") },
        { name: "eu-central-1", region: "eu", kubeconfig: kubeconfig("fleet-3.yaml") },
    ],
});
pulumi.runtime.registerResourceTransform(fleet.rolloutTransform);

const namespaces = fleet.clusterNames.map(
    (cluster) => new k8s.core.v1.Namespace(`ns-${cluster}`, { metadata: { name: namespace } }, { provider: fleet.provider(cluster) }),
);

const schema = z.object({
    LOG_LEVEL: z.enum(["debug", "info", "warn"]),
    PORT: z.number().int().min(1).max(65535),
    "config.json": z.object({
        db: z.object({ host: z.string().min(1), pool: z.number().int().positive() }),
        features: z.array(z.string()),
    }),
});

const app = new FleetConfigMap(
    "typed-config",
    {
        fleet,
        schema,
        metadata: { name: "typed-config", namespace },
        data: {
            LOG_LEVEL: "info",
            PORT: 8080,
            "config.json": { db: { host: "db.internal", pool: 10 }, features: ["search"] },
        },
        overrides: {
            regions: { eu: { data: { "config.json": { db: { host: euDbHost } }, ...(euPort !== undefined ? { PORT: euPort } : {}) } } },
        },
    },
    { dependsOn: namespaces },
);

const timeouts = { customTimeouts: { create: "3m", update: "3m", delete: "3m" } };
for (const [i, cluster] of fleet.clusterNames.entries()) {
    const opts = { provider: fleet.provider(cluster), dependsOn: [namespaces[i]], ...timeouts };
    // Mounts the JSON file; wired by the transform.
    new k8s.apps.v1.Deployment(
        `reader-${cluster}`,
        {
            metadata: { name: "reader", namespace },
            spec: {
                replicas: 1,
                selector: { matchLabels: { app: "reader" } },
                template: {
                    metadata: { labels: { app: "reader" } },
                    spec: {
                        containers: [{ name: "reader", image: "busybox:1.36", volumeMounts: [{ name: "config", mountPath: "/etc/app" }] }],
                        volumes: [{ name: "config", configMap: { name: "typed-config", items: [{ key: "config.json", path: "config.json" }] } }],
                    },
                },
            },
        },
        opts,
    );
    // Reads every key as environment variables; wired by hand.
    new k8s.apps.v1.Deployment(
        `env-reader-${cluster}`,
        {
            metadata: { name: "env-reader", namespace },
            spec: {
                replicas: 1,
                selector: { matchLabels: { app: "env-reader" } },
                template: {
                    metadata: { labels: { app: "env-reader" }, annotations: app.podAnnotations(cluster) },
                    spec: { containers: [{ name: "env-reader", image: "nginx:1.27", envFrom: [app.envFrom()] }] },
                },
            },
        },
        opts,
    );
}

/** Each cluster's content hash. */
export const hashes = app.hashes;
