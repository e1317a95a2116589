import * as assert from "assert";
import { bucketOf, partName } from "../../../lib/strategies/split";
import { SplitLayout, splitConsumerRefusal, splitVolume, unmountedReads, withSplitVolumes } from "../../../lib/strategies/split-consumers";

// Four buckets, of which bucket 2 is empty: parts geoip-1, geoip-2 and geoip-4.
const layout: SplitLayout = { base: "geoip", buckets: 4, present: [0, 1, 3] };

function workload(podSpec: Record<string, any>) {
    return { metadata: { name: "w", namespace: "shop" }, spec: { replicas: 2, template: { metadata: { labels: { app: "w" } }, spec: podSpec } } };
}

/** A key of each bucket among 4, found by trying names. */
function keyIn(bucket: number): string {
    for (let i = 0; ; i++) if (bucketOf(`k${i}`, 4) === bucket) return `k${i}`;
}

describe("the consumers of a split config", () => {
    it("get each volume of it as a projected volume with one source per part, keeping defaultMode and optional", () => {
        const props = workload({
            containers: [{ name: "c", volumeMounts: [{ name: "geo", mountPath: "/etc/geoip" }] }],
            volumes: [{ name: "geo", configMap: { name: "geoip", defaultMode: 0o440, optional: true } }, { name: "other", configMap: { name: "other" } }],
        });
        const result = withSplitVolumes(props, "geoip", layout);
        assert.deepStrictEqual(result.spec.template.spec.volumes, [
            {
                name: "geo",
                projected: {
                    defaultMode: 0o440,
                    sources: [{ configMap: { name: "geoip-1", optional: true } }, { configMap: { name: "geoip-2", optional: true } }, { configMap: { name: "geoip-4", optional: true } }],
                },
            },
            { name: "other", configMap: { name: "other" } },
        ]);
        assert.deepStrictEqual(result.spec.template.spec.containers, props.spec.template.spec.containers, "mounts are unchanged: the volume keeps its name");
        assert.strictEqual(result.spec.replicas, 2);
        assert.deepStrictEqual(props.spec.template.spec.volumes[0], { name: "geo", configMap: { name: "geoip", defaultMode: 0o440, optional: true } }, "the input is not modified");
    });

    it("send each item to the part that holds its key, leaving out parts that hold none", () => {
        const items = [keyIn(3), keyIn(0)].map((key) => ({ key, path: `${key}.txt`, mode: 0o400 }));
        const result = withSplitVolumes(workload({ containers: [{ name: "c" }], volumes: [{ name: "geo", configMap: { name: "geoip", items } }] }), "geoip", layout);
        assert.deepStrictEqual(result.spec.template.spec.volumes[0].projected.sources, [
            { configMap: { name: "geoip-1", items: [items[1]] } },
            { configMap: { name: "geoip-4", items: [items[0]] } },
        ]);
        // An optional key that no cluster has yet goes where it would be: bucket 2, whose part does not exist (yet).
        const missing = { key: keyIn(2), path: "later.txt" };
        const optional = withSplitVolumes(workload({ containers: [{ name: "c" }], volumes: [{ name: "geo", configMap: { name: "geoip", items: [missing], optional: true } }] }), "geoip", layout);
        assert.deepStrictEqual(optional.spec.template.spec.volumes[0].projected.sources, [{ configMap: { name: "geoip-3", items: [missing], optional: true } }]);
    });

    it("expand a projected source of it into one source per part, beside the volume's other sources", () => {
        const secret = { secret: { name: "tls" } };
        const result = withSplitVolumes(workload({ containers: [{ name: "c" }], volumes: [{ name: "all", projected: { sources: [secret, { configMap: { name: "geoip" } }] } }] }), "geoip", layout);
        assert.deepStrictEqual(result.spec.template.spec.volumes[0].projected.sources, [secret, { configMap: { name: "geoip-1" } }, { configMap: { name: "geoip-2" } }, { configMap: { name: "geoip-4" } }]);
    });

    it("give a workload wired by hand the same projected volume", () => {
        assert.deepStrictEqual(splitVolume("data", layout), {
            name: "data",
            projected: { sources: [0, 1, 3].map((b) => ({ configMap: { name: partName("geoip", b) } })) },
        });
    });

    it("find every read that is not a mount: envFrom and configMapKeyRef in any container, and items whose key is unknown", () => {
        const props = workload({
            initContainers: [{ name: "init", envFrom: [{ configMapRef: { name: "other" } }, { configMapRef: { name: "geoip" } }] }],
            containers: [{ name: "c", env: [{ name: "A", valueFrom: { configMapKeyRef: { name: "geoip", key: "A" } } }, { name: "B", value: "b" }] }],
            volumes: [{ name: "geo", configMap: { name: "geoip", items: [{ key: "A", path: "a" }, { key: Promise.resolve("B"), path: "b" }] } }],
        });
        assert.deepStrictEqual(unmountedReads(props, "geoip"), [
            { path: "spec.template.spec.containers[0].env[0].valueFrom.configMapKeyRef", how: 'configMapKeyRef of key "A"' },
            { path: "spec.template.spec.initContainers[0].envFrom[1].configMapRef", how: "envFrom" },
            { path: "spec.template.spec.volumes[0].configMap.items[1]", how: "a volume item whose key is not known when the program runs, so the part that holds it cannot be chosen" },
        ]);
        assert.deepStrictEqual(unmountedReads(workload({ containers: [{ name: "c" }], volumes: [{ name: "geo", configMap: { name: "geoip" } }] }), "geoip"), [], "a mount is fine");
    });

    it("refuse a workload that reads it by envFrom, saying where, why, and what to do instead", () => {
        const props = workload({ containers: [{ name: "c", envFrom: [{ configMapRef: { name: "geoip" } }] }] });
        assert.strictEqual(
            splitConsumerRefusal(props, { kind: "Deployment", name: "api-eu-west-1" }, "eu-west-1", "shop/geoip", layout),
            [
                'Deployment "api-eu-west-1" in cluster "eu-west-1" reads ConfigMap shop/geoip other than through a volume, which a split config cannot serve:',
                "  - `spec.template.spec.containers[0].envFrom[0].configMapRef`: envFrom",
                'ConfigMap shop/geoip has `strategy: "split"`: in cluster "eu-west-1" its keys are spread over ConfigMaps "geoip-1", "geoip-2", "geoip-4" (more as it grows), and only a projected volume joins parts again, so a split config can only be mounted. ' +
                    'Mount it as a volume instead (`{ name: "config", configMap: { name: "geoip" } }` or `volume()`), which the rollout transform turns into a projected volume over every part; keep settings read as environment variables in a FleetConfigMap of their own.',
            ].join("\n"),
        );
        assert.strictEqual(splitConsumerRefusal(workload({ containers: [{ name: "c" }], volumes: [{ name: "v", configMap: { name: "geoip" } }] }), { kind: "Deployment", name: "x" }, "eu-west-1", "shop/geoip", layout), undefined);
    });
});
