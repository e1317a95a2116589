import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as path from "path";
import { ConfigPatch, Fleet, FleetClusterArgs, FleetConfigMap } from "@fleet/configmap";

// Every knob a scenario turns is stack config, so each scenario is the same program a user would run.
const config = new pulumi.Config();
const namespace = config.require("namespace");
const kubeconfigDir = config.require("kubeconfigDir");
const euApiUrl = config.get("euApiUrl") ?? "https://api.eu.example.com";
const byo = config.get("byoProvider"); // "mutable" | "immutable": eu-central-1 comes as the user's own provider
const bigValueBytes = config.getNumber("bigValueBytes");
const extraRegion = config.get("extraRegionOverride");
// Safe-changes knobs (tests/e2e/safe-changes.test.ts).
const secretIn = config.get("secretIn"); // a cluster whose override gets a pulumi.secret value, which must be refused fleet-wide
const featureReader = config.getBoolean("featureReader"); // a Deployment that reads FEATURE_X by configMapKeyRef (removed in eu-central-1)
const mountClash = config.getBoolean("mountClash"); // a Deployment that mounts app-config over /etc
const strategy = config.get("strategy") as "in-place" | "immutable" | undefined;
const slowRollout = config.getBoolean("slowRollout"); // a Deployment with minReadySeconds, so old pods outlive the start of a rollout

/** The cluster patches, plus a secret value in `secretIn`'s patch when that knob is set. */
function withSecret(patches: Record<string, ConfigPatch>): Record<string, ConfigPatch> {
    if (!secretIn) return patches;
    return { ...patches, [secretIn]: { ...patches[secretIn], data: { ...patches[secretIn]?.data, DB_PASSWORD: pulumi.secret("hunter2") } } };
}

const kubeconfig = (file: string) => fs.readFileSync(path.join(kubeconfigDir, file), "utf8");
const euCentral: FleetClusterArgs = byo
    ? {
          name: "eu-central-1",
          region: "eu",
          provider: new k8s.Provider("own-eu-central-1", { kubeconfig: kubeconfig("fleet-3.yaml"), enableConfigMapMutable: byo === "mutable" }),
          enableConfigMapMutable: byo === "mutable",
      }
    : { name: "eu-central-1", region: "eu", kubeconfig: kubeconfig("fleet-3.yaml") };

const fleet = new Fleet("e2e", {
    clusters: [{ name: "us-east-1", region: "us", kubeconfig: kubeconfig("fleet-1.yaml") }, { name: "eu-west-1", region: "eu", kubeconfig: kubeconfig("fleet-2.yaml") }, euCentral],
});
pulumi.runtime.registerResourceTransform(fleet.rolloutTransform);

const namespaces = fleet.clusterNames.map(
    (cluster) => new k8s.core.v1.Namespace(`ns-${cluster}`, { metadata: { name: namespace } }, { provider: fleet.provider(cluster) }),
);

const app = new FleetConfigMap(
    "app-config",
    {
        fleet,
        metadata: { name: "app-config", namespace, labels: { app: "shop" } },
        data: {
            LOG_LEVEL: config.get("logLevel") ?? "info",
            API_URL: "https://api.example.com",
            FEATURE_X: "on",
            ...(bigValueBytes ? { BIG: "x".repeat(bigValueBytes) } : {}),
        },
        overrides: {
            regions: { eu: { data: { API_URL: euApiUrl } }, ...(extraRegion ? { [extraRegion]: { data: { API_URL: "typo" } } } : {}) },
            clusters: withSecret({ "eu-central-1": { data: { LOG_LEVEL: "debug" }, remove: ["FEATURE_X"] } }),
        },
        strategy,
    },
    { dependsOn: namespaces },
);

const timeouts = { customTimeouts: { create: "3m", update: "3m", delete: "3m" } };
const template = (labels: Record<string, string>, spec: k8s.types.input.core.v1.PodSpec, annotations?: pulumi.Input<Record<string, string>>) => ({
    metadata: { labels, annotations },
    spec,
});

for (const [i, cluster] of fleet.clusterNames.entries()) {
    const opts = { provider: fleet.provider(cluster), dependsOn: [namespaces[i]], ...timeouts };
    const meta = (name: string) => ({ name, namespace });

    // Wired by hand, with podAnnotations.
    new k8s.apps.v1.Deployment(
        `web-${cluster}`,
        {
            metadata: meta("web"),
            spec: {
                replicas: 2,
                selector: { matchLabels: { app: "web" } },
                template: template({ app: "web" }, { containers: [{ name: "web", image: "nginx:1.27", envFrom: [app.envFrom()] }] }, app.podAnnotations(cluster)),
            },
        },
        opts,
    );

    // Wired only by the transform: a volume, a configMapKeyRef and a projected volume.
    new k8s.apps.v1.Deployment(
        `worker-${cluster}`,
        {
            metadata: meta("worker"),
            spec: {
                replicas: 1,
                selector: { matchLabels: { app: "worker" } },
                template: template(
                    { app: "worker" },
                    {
                        containers: [{ name: "worker", image: "busybox:1.36", volumeMounts: [{ name: "config", mountPath: "/etc/app" }] }],
                        volumes: [{ name: "config", configMap: { name: "app-config" } }],
                    },
                ),
            },
        },
        opts,
    );
    new k8s.apps.v1.StatefulSet(
        `db-${cluster}`,
        {
            metadata: meta("db"),
            spec: {
                serviceName: "db",
                replicas: 1,
                selector: { matchLabels: { app: "db" } },
                template: template(
                    { app: "db" },
                    { containers: [{ name: "db", image: "postgres:16", env: [{ name: "LOG_LEVEL", valueFrom: { configMapKeyRef: { name: "app-config", key: "LOG_LEVEL" } } }] }] },
                ),
            },
        },
        opts,
    );
    new k8s.apps.v1.DaemonSet(
        `agent-${cluster}`,
        {
            metadata: meta("agent"),
            spec: {
                selector: { matchLabels: { app: "agent" } },
                template: template(
                    { app: "agent" },
                    {
                        containers: [{ name: "agent", image: "fluent-bit:3", volumeMounts: [{ name: "cfg", mountPath: "/etc/agent" }] }],
                        volumes: [{ name: "cfg", projected: { sources: [{ configMap: { name: "app-config" } }] } }],
                    },
                ),
            },
        },
        opts,
    );

    // Reads no FleetConfigMap: must never be annotated or rolled.
    new k8s.apps.v1.Deployment(
        `static-${cluster}`,
        {
            metadata: meta("static"),
            spec: {
                replicas: 1,
                selector: { matchLabels: { app: "static" } },
                template: template({ app: "static" }, { containers: [{ name: "static", image: "nginx:1.27" }] }),
            },
        },
        opts,
    );

    // Safe-changes scenarios only: each appears only when its knob is set.
    if (featureReader) {
        new k8s.apps.v1.Deployment(
            `feature-${cluster}`,
            {
                metadata: meta("feature"),
                spec: {
                    replicas: 1,
                    selector: { matchLabels: { app: "feature" } },
                    template: template(
                        { app: "feature" },
                        { containers: [{ name: "feature", image: "busybox:1.36", env: [{ name: "FEATURE_X", valueFrom: { configMapKeyRef: { name: "app-config", key: "FEATURE_X" } } }] }] },
                    ),
                },
            },
            opts,
        );
    }
    if (mountClash) {
        new k8s.apps.v1.Deployment(
            `clash-${cluster}`,
            {
                metadata: meta("clash"),
                spec: {
                    replicas: 1,
                    selector: { matchLabels: { app: "clash" } },
                    template: template(
                        { app: "clash" },
                        {
                            containers: [{ name: "clash", image: "nginx:1.27", volumeMounts: [{ name: "config", mountPath: "/etc" }] }],
                            volumes: [{ name: "config", configMap: { name: "app-config" } }],
                        },
                    ),
                },
            },
            opts,
        );
    }
    if (slowRollout) {
        new k8s.apps.v1.Deployment(
            `slow-${cluster}`,
            {
                metadata: meta("slow"),
                spec: {
                    replicas: 1,
                    minReadySeconds: 8,
                    selector: { matchLabels: { app: "slow" } },
                    template: template(
                        { app: "slow" },
                        {
                            containers: [{ name: "slow", image: "busybox:1.36", volumeMounts: [{ name: "config", mountPath: "/etc/app" }] }],
                            volumes: [{ name: "config", configMap: { name: "app-config" } }],
                        },
                    ),
                },
            },
            opts,
        );
    }
}

/** Each cluster's content hash. */
export const hashes = app.hashes;
/** Each cluster's ConfigMap name (with the immutable strategy, the content-named one). */
export const configMapNames = pulumi.output(Object.fromEntries(fleet.clusterNames.map((c) => [c, app.nameIn(c)])));
