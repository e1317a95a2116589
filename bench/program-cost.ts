/**
 * One measurement of program cost under Pulumi's mocks (no engine): a fleet of C clusters × 10
 * ConfigMaps with region and cluster overrides and ~1 KiB values, plus one consuming Deployment per
 * ConfigMap per cluster wired for restarts. `ours` builds it with Fleet and FleetConfigMap;
 * `typed` does the same with a zod `schema` on every FleetConfigMap (the same content, so the same
 * resources, plus the per-cluster schema check); `baseline` registers exactly the same resources with
 * the same final data, computed in a plain loop.
 *
 *   node -r ts-node/register/transpile-only bench/program-cost.ts ours|typed|baseline CLUSTERS
 *
 * Prints V8's GC trace of the measured window, then one JSON line: { variant, clusters, resources, ms,
 * maxRssMiB }. bench/run.ts sums the GC pauses, which shows how much of a large fleet's cost is garbage
 * collection.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "crypto";
import * as v8 from "v8";
import { z } from "zod";
import { Fleet, FleetConfigMap, hashAnnotationKey } from "../lib";

const CONFIGMAPS = 10;
const REGIONS = ["us", "eu", "apac", "sa"];

/** The fleet and its config, identical for both variants. */
export function workload(clusterCount: number) {
    const clusters = Array.from({ length: clusterCount }, (_, i) => ({ name: `c${i}`, region: REGIONS[i % REGIONS.length] }));
    const value = (seed: string) => seed.padEnd(1024, "x");
    const configMaps = Array.from({ length: CONFIGMAPS }, (_, m) => ({
        name: `cfg-${m}`,
        data: Object.fromEntries(Array.from({ length: 5 }, (_, k) => [`KEY_${k}`, value(`cfg-${m}-key-${k}`)])),
        regions: Object.fromEntries(REGIONS.map((r) => [r, { data: { KEY_0: value(`${r}-${m}`) } }])),
        // Every tenth cluster has its own patch.
        clusters: Object.fromEntries(
            clusters.filter((_, i) => i % 10 === 0).map((c) => [c.name, { data: { KEY_1: value(`${c.name}-${m}`) }, remove: ["KEY_4"] }]),
        ),
    }));
    return { clusters, configMaps };
}

function deploymentArgs(configMap: string, annotations: pulumi.Input<Record<string, string>>): k8s.apps.v1.DeploymentArgs {
    return {
        metadata: { name: configMap },
        spec: {
            selector: { matchLabels: { app: configMap } },
            template: {
                metadata: { labels: { app: configMap }, annotations },
                spec: { containers: [{ name: "app", image: "app:1", envFrom: [{ configMapRef: { name: configMap } }] }] },
            },
        },
    };
}

function ours(clusterCount: number): void {
    const { clusters, configMaps } = workload(clusterCount);
    const fleet = new Fleet("bench", { clusters: clusters.map((c) => ({ ...c, kubeconfig: "kubeconfig" })) });
    for (const cm of configMaps) {
        const fcm = new FleetConfigMap(cm.name, { fleet, data: cm.data, overrides: { regions: cm.regions, clusters: cm.clusters } });
        for (const c of clusters) {
            new k8s.apps.v1.Deployment(`${cm.name}-app-${c.name}`, deploymentArgs(cm.name, fcm.podAnnotations(c.name)), { provider: fleet.provider(c.name) });
        }
    }
}

/** The schema of every bench ConfigMap: five non-empty strings, KEY_4 optional (the cluster patches remove it). */
const benchSchema = z.object({
    KEY_0: z.string().min(1),
    KEY_1: z.string().min(1),
    KEY_2: z.string().min(1),
    KEY_3: z.string().min(1),
    KEY_4: z.string().min(1).optional(),
});

function typed(clusterCount: number): void {
    const { clusters, configMaps } = workload(clusterCount);
    const fleet = new Fleet("bench", { clusters: clusters.map((c) => ({ ...c, kubeconfig: "kubeconfig" })) });
    for (const cm of configMaps) {
        const overrides = { regions: cm.regions, clusters: cm.clusters as Record<string, { data: { KEY_1: string }; remove: "KEY_4"[] }> };
        const fcm = new FleetConfigMap(cm.name, { fleet, schema: benchSchema, data: cm.data, overrides });
        for (const c of clusters) {
            new k8s.apps.v1.Deployment(`${cm.name}-app-${c.name}`, deploymentArgs(cm.name, fcm.podAnnotations(c.name)), { provider: fleet.provider(c.name) });
        }
    }
}

function baseline(clusterCount: number): void {
    const { clusters, configMaps } = workload(clusterCount);
    const providers = clusters.map(
        (c) => new k8s.Provider(`bench-${c.name}`, { kubeconfig: pulumi.secret("kubeconfig"), enableConfigMapMutable: true }),
    );
    for (const cm of configMaps) {
        clusters.forEach((c, i) => {
            const own = cm.clusters[c.name];
            const data: Record<string, string> = { ...cm.data, ...cm.regions[c.region].data, ...(own?.data ?? {}) };
            for (const key of own?.remove ?? []) delete data[key];
            const sorted = Object.fromEntries(Object.keys(data).sort().map((k) => [k, data[k]]));
            const hash = createHash("sha256").update(JSON.stringify({ binaryData: {}, data: sorted })).digest("hex");
            const configMap = new k8s.core.v1.ConfigMap(`${cm.name}-${c.name}`, { metadata: { name: cm.name, namespace: "default" }, data: sorted }, { provider: providers[i] });
            // A correct hand-written program also makes the workload wait for its ConfigMap.
            new k8s.apps.v1.Deployment(`${cm.name}-app-${c.name}`, deploymentArgs(cm.name, { [hashAnnotationKey(cm.name)]: hash }), {
                provider: providers[i],
                dependsOn: [configMap],
            });
        });
    }
}

async function main() {
    const [variant, countArg] = process.argv.slice(2);
    const clusterCount = Number(countArg);
    const expected = clusterCount * (1 + 2 * CONFIGMAPS);
    let registered = 0;
    let done: () => void;
    const finished = new Promise<void>((resolve) => (done = resolve));
    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                if (args.custom && ++registered === expected) done();
                return { id: args.custom ? `${args.name}-id` : undefined, state: args.inputs };
            },
            call(args) {
                throw new Error(`unexpected call ${args.token}`);
            },
        },
        "bench",
        "bench",
        true,
    );
    // V8 prints each collection's pause to stdout ("…, 1.23 / 0.00 ms …") while tracing is on, so only
    // collections inside the measured window are printed; bench/run.ts sums them.
    v8.setFlagsFromString("--trace-gc");
    const start = process.hrtime.bigint();
    if (variant === "ours") ours(clusterCount);
    else if (variant === "typed") typed(clusterCount);
    else if (variant === "baseline") baseline(clusterCount);
    else throw new Error(`unknown variant ${variant}`);
    await finished;
    const ms = Number(process.hrtime.bigint() - start) / 1e6;
    v8.setFlagsFromString("--no-trace-gc");
    const maxRssMiB = process.resourceUsage().maxRSS / 1024;
    console.log(JSON.stringify({ variant, clusters: clusterCount, resources: registered, ms, maxRssMiB }));
    // Measured; let the SDK finish what it still has in flight, so it exits cleanly.
    await pulumi.runtime.disconnect();
}

main().catch((err) => {
    console.error(err);
    process.exit(1);
});
