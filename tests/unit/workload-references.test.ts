import * as assert from "assert";
import { hashAnnotationKey } from "../../lib/annotations";
import { canAnnotate, referencedConfigMaps, withPodTemplateAnnotations, workloadNamespace } from "../../lib/workload-references";

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
