import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import { Fleet, FleetConfigMap } from "@fleet/configmap";

// A file-shaped config over 1 MiB with `strategy: "split"`, on two clusters; every knob a scenario turns is stack config.
const config = new pulumi.Config();
const namespace = config.require("namespace");
const kubeconfigDir = config.require("kubeconfigDir");
const files = config.getNumber("files") ?? 25; // routing tables of 100 KiB each: 25 are 2.5 MiB
const changed = config.get("changed"); // a file whose content is at version 2 (the same size)
const envReader = config.getBoolean("envReader"); // a Deployment that reads the config by envFrom, which must be refused
const strategy = (config.get("strategy") ?? "split") as "split" | "in-place"; // in place, 2.5 MiB must be refused

/** One routing table: lines of routes, 100 KiB, saying which file and version it is. */
function routingTable(file: string, version: string): string {
    let table = "";
    for (let i = 0; table.length < 100 * 1024; i++) table += `10.${i % 256}.${(i * 7) % 256}.0/24 via 192.168.0.${i % 254} # ${file} ${version}\n`;
    return table.slice(0, 100 * 1024);
}

const data: Record<string, string> = {};
for (let i = 1; i <= files; i++) {
    const file = `routes-${String(i).padStart(2, "0")}.txt`;
    data[file] = routingTable(file, file === changed ? "v2" : "v1");
}

const kubeconfig = (file: string) => fs.readFileSync(path.join(kubeconfigDir, file), "utf8");
const fleet = new Fleet("e2e-split", {
    clusters: [
        { name: "us-east-1", region: "us", kubeconfig: kubeconfig("fleet-1.yaml") },
        { name: "eu-west-1", region: "eu", kubeconfig: kubeconfig("fleet-2.yaml") },
    ],
});
pulumi.runtime.registerResourceTransform(fleet.rolloutTransform);

const namespaces = fleet.clusterNames.map(
    (cluster) => new k8s.core.v1.Namespace(`ns-${cluster}`, { metadata: { name: namespace } }, { provider: fleet.provider(cluster) }),
);

const routes = new FleetConfigMap(
    "routes",
    { fleet, metadata: { name: "routes", namespace, labels: { app: "routes" } }, data, strategy },
    { dependsOn: namespaces },
);

const timeouts = { customTimeouts: { create: "3m", update: "3m", delete: "3m" } };
for (const [i, cluster] of fleet.clusterNames.entries()) {
    const opts = { provider: fleet.provider(cluster), dependsOn: [namespaces[i]], ...timeouts };
    // Mounts the whole config as one directory; the rollout transform makes the volume a projected one over the parts.
    new k8s.apps.v1.Deployment(
        `router-${cluster}`,
        {
            metadata: { name: "router", namespace },
            spec: {
                replicas: 1,
                selector: { matchLabels: { app: "router" } },
                template: {
                    metadata: { labels: { app: "router" } },
                    spec: {
                        containers: [{ name: "router", image: "busybox:1.36", volumeMounts: [{ name: "routes", mountPath: "/etc/routes" }] }],
                        volumes: [routes.volume("routes")],
                    },
                },
            },
        },
        opts,
    );
    if (envReader) {
        // Reads the config as environment variables, which a split config cannot serve.
        new k8s.apps.v1.Deployment(
            `env-reader-${cluster}`,
            {
                metadata: { name: "env-reader", namespace },
                spec: {
                    replicas: 1,
                    selector: { matchLabels: { app: "env-reader" } },
                    template: {
                        metadata: { labels: { app: "env-reader" } },
                        spec: { containers: [{ name: "env-reader", image: "busybox:1.36", envFrom: [{ configMapRef: { name: "routes" } }] }] },
                    },
                },
            },
            opts,
        );
    }
}

/** Each cluster's content hash: of the whole config, over every part. */
export const hashes = routes.hashes;
/** Each cluster's parts, by ConfigMap name. */
export const parts = pulumi.output(Object.fromEntries(Object.entries(routes.parts).map(([cluster, all]) => [cluster, pulumi.all(all.map((cm) => cm.metadata.name))])));
