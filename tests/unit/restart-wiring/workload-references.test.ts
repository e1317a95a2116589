import * as assert from "assert";
import { hashAnnotationKey } from "../../../lib/restart-wiring/annotations";
import { canAnnotate, configMapReads, hashedKeys, referencedConfigMaps, withConfigMapRenamed, withPodTemplateAnnotations, workloadNamespace } from "../../../lib/restart-wiring/workload-references";

const deployment = (podSpec: object, annotations?: object) => ({
    metadata: { name: "web", namespace: "shop" },
    spec: { selector: { matchLabels: { app: "web" } }, template: { metadata: { labels: { app: "web" }, annotations }, spec: podSpec } },
});

describe("which ConfigMaps a workload reads", () => {
    it("finds references through envFrom, configMapKeyRef, configMap volumes and projected volumes", () => {
        const props = deployment({
            initContainers: [{ name: "init", envFrom: [{ configMapRef: { name: "from-init" } }] }],
            containers: [
                {
                    name: "app",
                    envFrom: [{ configMapRef: { name: "env-from" } }, { secretRef: { name: "a-secret" } }],
                    env: [{ name: "A", valueFrom: { configMapKeyRef: { name: "key-ref", key: "A" } } }, { name: "B", value: "literal" }],
                },
            ],
            volumes: [
                { name: "v1", configMap: { name: "volume" } },
                { name: "v2", projected: { sources: [{ configMap: { name: "projected" } }, { secret: { name: "s" } }] } },
                { name: "v3", emptyDir: {} },
            ],
        });
        assert.deepStrictEqual([...referencedConfigMaps(props)].sort(), ["env-from", "from-init", "key-ref", "projected", "volume"]);
    });

    it("finds nothing in a workload that reads no ConfigMap, or whose pod spec is not known yet", () => {
        assert.deepStrictEqual([...referencedConfigMaps(deployment({ containers: [{ name: "app", image: "nginx" }] }))], []);
        assert.deepStrictEqual([...referencedConfigMaps({ spec: "unknown" })], []);
        assert.deepStrictEqual([...referencedConfigMaps(deployment({ containers: [{ envFrom: [{ configMapRef: { name: {} } }] }] }))], []);
    });

    it("reads the namespace, defaulting to default", () => {
        assert.strictEqual(workloadNamespace(deployment({})), "shop");
        assert.strictEqual(workloadNamespace({ metadata: {} }), "default");
    });
});

describe("how a workload reads each ConfigMap (per-key restarts)", () => {
    it("reads only the keys of configMapKeyRef and volume items, each marked required unless optional", () => {
        const props = deployment({
            containers: [
                {
                    name: "app",
                    env: [
                        { name: "L", valueFrom: { configMapKeyRef: { name: "cfg", key: "LOG_LEVEL" } } },
                        { name: "F", valueFrom: { configMapKeyRef: { name: "cfg", key: "FEATURE_X", optional: true } } },
                    ],
                },
            ],
            volumes: [
                { name: "v", configMap: { name: "cfg", items: [{ key: "app.properties", path: "app.properties" }] } },
                { name: "p", projected: { sources: [{ configMap: { name: "cfg", optional: true, items: [{ key: "extra", path: "e" }] } }] } },
            ],
        });
        const reads = configMapReads(props).get("cfg")!;
        assert.strictEqual(reads.whole, false);
        assert.deepStrictEqual(reads.keys, [
            { key: "LOG_LEVEL", required: true, path: "spec.template.spec.containers[0].env[0].valueFrom.configMapKeyRef" },
            { key: "FEATURE_X", required: false, path: "spec.template.spec.containers[0].env[1].valueFrom.configMapKeyRef" },
            { key: "app.properties", required: true, path: "spec.template.spec.volumes[0].configMap.items[0]" },
            { key: "extra", required: false, path: "spec.template.spec.volumes[1].projected.sources[0].configMap.items[0]" },
        ]);
        assert.deepStrictEqual(hashedKeys(reads), ["FEATURE_X", "LOG_LEVEL", "app.properties", "extra"]);
    });

    it("counts envFrom, a volume without items and a projected source without items as reading the whole map", () => {
        const keyRef = { name: "K", valueFrom: { configMapKeyRef: { name: "cfg", key: "A" } } };
        for (const whole of [
            { containers: [{ name: "a", env: [keyRef], envFrom: [{ configMapRef: { name: "cfg" } }] }] },
            { containers: [{ name: "a", env: [keyRef] }], volumes: [{ name: "v", configMap: { name: "cfg" } }] },
            { containers: [{ name: "a", env: [keyRef] }], volumes: [{ name: "v", projected: { sources: [{ configMap: { name: "cfg" } }] } }] },
        ]) {
            const reads = configMapReads(deployment(whole)).get("cfg")!;
            assert.strictEqual(reads.whole, true, JSON.stringify(whole));
            assert.strictEqual(hashedKeys(reads), undefined, "the full hash");
        }
    });

    it("keeps reads of different ConfigMaps apart", () => {
        const props = deployment({
            containers: [{ name: "a", envFrom: [{ configMapRef: { name: "whole" } }], env: [{ name: "K", valueFrom: { configMapKeyRef: { name: "keyed", key: "A" } } }] }],
        });
        assert.strictEqual(configMapReads(props).get("whole")!.whole, true);
        assert.deepStrictEqual(hashedKeys(configMapReads(props).get("keyed")!), ["A"]);
    });
});

describe("renaming the ConfigMap a workload reads (immutable strategy)", () => {
    it("renames every reference to the ConfigMap and nothing else, without touching the input", () => {
        const props = deployment({
            containers: [
                {
                    name: "a",
                    envFrom: [{ configMapRef: { name: "cfg" } }, { configMapRef: { name: "other" } }, { secretRef: { name: "cfg" } }],
                    env: [{ name: "K", valueFrom: { configMapKeyRef: { name: "cfg", key: "A" } } }, { name: "S", valueFrom: { secretKeyRef: { name: "cfg", key: "A" } } }],
                },
            ],
            volumes: [
                { name: "v", configMap: { name: "cfg", items: [{ key: "A", path: "a" }] } },
                { name: "p", projected: { sources: [{ configMap: { name: "cfg" } }, { secret: { name: "cfg" } }] } },
                { name: "s", secret: { secretName: "cfg" } },
            ],
        });
        const before = JSON.stringify(props);
        const renamed: any = withConfigMapRenamed(props, "cfg", "cfg-0123456789");
        const spec = renamed.spec.template.spec;
        assert.deepStrictEqual(spec.containers[0].envFrom, [{ configMapRef: { name: "cfg-0123456789" } }, { configMapRef: { name: "other" } }, { secretRef: { name: "cfg" } }]);
        assert.deepStrictEqual(spec.containers[0].env[0].valueFrom.configMapKeyRef, { name: "cfg-0123456789", key: "A" });
        assert.deepStrictEqual(spec.containers[0].env[1].valueFrom.secretKeyRef, { name: "cfg", key: "A" });
        assert.deepStrictEqual(spec.volumes[0].configMap, { name: "cfg-0123456789", items: [{ key: "A", path: "a" }] });
        assert.deepStrictEqual(spec.volumes[1].projected.sources, [{ configMap: { name: "cfg-0123456789" } }, { secret: { name: "cfg" } }]);
        assert.deepStrictEqual(spec.volumes[2], { name: "s", secret: { secretName: "cfg" } });
        assert.deepStrictEqual([...referencedConfigMaps(renamed)].sort(), ["cfg-0123456789", "other"]);
        assert.strictEqual(renamed.metadata.name, "web");
        assert.strictEqual(JSON.stringify(props), before);
    });
});

describe("annotating a pod template", () => {
    it("merges hash annotations into existing ones without touching the input", () => {
        const props = deployment({ containers: [] }, { "prometheus.io/scrape": "true" });
        const before = JSON.stringify(props);
        const result = withPodTemplateAnnotations(props, { [hashAnnotationKey("app-config")]: "abc" });
        assert.deepStrictEqual(result.spec.template.metadata.annotations, {
            "prometheus.io/scrape": "true",
            "checksum.fleet-configmap.dev/app-config": "abc",
        });
        assert.deepStrictEqual(result.spec.template.metadata.labels, { app: "web" });
        assert.strictEqual(JSON.stringify(props), before);
    });

    it("creates the annotations when the template has none", () => {
        const result = withPodTemplateAnnotations({ spec: {} }, { k: "v" }) as any;
        assert.deepStrictEqual(result.spec.template.metadata.annotations, { k: "v" });
    });

    it("declines to annotate when the annotations are not a plain object", () => {
        assert.strictEqual(canAnnotate(deployment({}, { a: "b" })), true);
        assert.strictEqual(canAnnotate({ spec: { template: { metadata: { annotations: new (class Unknown {})() } } } }), false);
        assert.strictEqual(canAnnotate({ spec: { template: "unknown" } }), false);
    });
});

describe("hash annotation keys", () => {
    const qualifiedName = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

    it("use the ConfigMap name, so one workload can carry one per ConfigMap", () => {
        assert.strictEqual(hashAnnotationKey("app-config"), "checksum.fleet-configmap.dev/app-config");
        assert.notStrictEqual(hashAnnotationKey("a"), hashAnnotationKey("b"));
    });

    it("stay valid and distinct for names longer than 63 characters", () => {
        const a = hashAnnotationKey(`${"a".repeat(53)}-${"b".repeat(100)}`);
        const b = hashAnnotationKey(`${"a".repeat(53)}-${"c".repeat(100)}`);
        assert.notStrictEqual(a, b);
        for (const key of [a, b]) {
            const [, name] = key.split("/");
            assert.ok(name.length <= 63, key);
            assert.match(name, qualifiedName);
        }
    });
});
