import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { Fleet, FleetConfigMap, loadAdoptedConfig } from "@fleet/configmap";
import { fleetArgs } from "./clusters";

const config = new pulumi.Config();

// The clusters, declared once (fleet.yaml: three clusters in two regions). This stack manages those
// its `fleetSelection` config picks, all of them when unset: one provider each, nothing for the others.
const fleet = new Fleet("shop", fleetArgs(config));

// Automatic restart wiring: from here on, every Deployment, StatefulSet and DaemonSet on a fleet
// provider that reads a FleetConfigMap gets that ConfigMap's hash on its pod template.
pulumi.runtime.registerResourceTransform(fleet.rolloutTransform);

// The app's namespace; unless it is "default", the program creates it in every cluster it manages.
const namespace = config.get("namespace") ?? "default";
const namespaces = namespace === "default" ? [] : fleet.clusterNames.map((c) => new k8s.core.v1.Namespace(`ns-${c}`, { metadata: { name: namespace } }, { provider: fleet.provider(c) }));

// One ConfigMap, declared once, with a regional and a per-cluster override.
const appConfig = new FleetConfigMap(
    "app-config",
    {
        fleet,
        metadata: { name: "app-config", namespace, labels: { app: "shop" } },
        data: {
            LOG_LEVEL: "info",
            API_URL: "https://api.example.com",
            FEATURE_X: "on",
            "app.properties": "cache.ttl=300\nretries=3\n",
        },
        overrides: {
            regions: { eu: { data: { API_URL: config.get("euApiUrl") ?? "https://api.eu.example.com" } } },
            clusters: { "eu-central-1": { data: { LOG_LEVEL: "debug" }, remove: ["FEATURE_X"] } },
        },
    },
    { dependsOn: namespaces },
);

const summary: Record<string, pulumi.Output<{ hash: string; webRevision: string; workerRevision: string }>> = {};
for (const cluster of fleet.clusterNames) {
    const provider = fleet.provider(cluster);
    const opts = { provider, dependsOn: namespaces };
    // Written only when it is not the default, so stacks made before the option existed see no diff.
    const metadata = (name: string) => (namespace === "default" ? { name } : { name, namespace });
    const labels = { app: "web" };

    // Explicit wiring: the pod template carries this cluster's hash of app-config.
    const web = new k8s.apps.v1.Deployment(
        `web-${cluster}`,
        {
            metadata: metadata("web"),
            spec: {
                replicas: 2,
                selector: { matchLabels: labels },
                template: {
                    metadata: { labels, annotations: appConfig.podAnnotations(cluster) },
                    spec: { containers: [{ name: "web", image: "nginx:1.27", envFrom: [appConfig.envFrom()] }] },
                },
            },
        },
        opts,
    );

    // Automatic wiring: this one mounts app-config and names it only by its name; the transform
    // registered above adds the hash annotation.
    const worker = new k8s.apps.v1.Deployment(
        `worker-${cluster}`,
        {
            metadata: metadata("worker"),
            spec: {
                replicas: 1,
                selector: { matchLabels: { app: "worker" } },
                template: {
                    metadata: { labels: { app: "worker" } },
                    spec: {
                        containers: [{ name: "worker", image: "busybox:1.36", volumeMounts: [{ name: "config", mountPath: "/etc/app" }] }],
                        volumes: [{ name: "config", configMap: { name: "app-config" } }],
                    },
                },
            },
        },
        opts,
    );

    const revision = (d: k8s.apps.v1.Deployment) => d.metadata.annotations.apply((a) => a?.["deployment.kubernetes.io/revision"] ?? "?");
    summary[cluster] = pulumi
        .all([appConfig.hashes, revision(web), revision(worker)])
        .apply(([hashes, webRevision, workerRevision]) => ({ hash: hashes[cluster], webRevision, workerRevision }));
}

/** What each cluster this stack manages got: its content hash and the rollout revision of each Deployment. */
export const clusters = summary;

// A typed ConfigMap: the zod schema types `data` and every override (a typo in a key or a value of
// the wrong type is a compile error), and each cluster's effective config is checked against it at
// preview. `settings.json` is written as canonical JSON; the EU override changes one field of it.
const shopSettings = new FleetConfigMap("shop-settings", {
    fleet,
    schema: z.object({
        CHECKOUT_TIMEOUT_SECONDS: z.number().int().min(1).max(300),
        "settings.json": z.object({
            currency: z.enum(["USD", "EUR"]),
            payments: z.object({ provider: z.string(), retries: z.number().int().min(0).max(5) }),
        }),
    }),
    metadata: { name: "shop-settings", labels: { app: "shop" } },
    data: {
        CHECKOUT_TIMEOUT_SECONDS: 30,
        "settings.json": { currency: "USD", payments: { provider: "stripe", retries: 3 } },
    },
    overrides: {
        regions: { eu: { data: { "settings.json": { currency: "EUR" } } } },
    },
});

/** Which layer set each key of shop-settings in each cluster (and each field of settings.json). */
export const shopSettingsProvenance = shopSettings.provenance;

// An adopted ConfigMap (docs/ADOPTION.md): with stack config `adoptedConfig`, the file that
// `fleet-rollout import` wrote from what the clusters run, taken over with nothing changed.
const adoptedFile = config.get("adoptedConfig");
if (adoptedFile) {
    const adopted = loadAdoptedConfig(adoptedFile);
    new FleetConfigMap(adopted.metadata.name, { fleet, ...adopted });
}
