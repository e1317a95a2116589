import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import { contentHash, Fleet, FleetConfigMap } from "../../../lib";
import { pickKeys } from "../../../lib/config/hash";
import { immutableName } from "../../../lib/strategies/immutable";
import { captureProgramFailures, useMocks } from "../mocks";

// The mock monitor does not run transforms, so these call the fleet's transform directly, as the engine
// would: they prove its decisions; tests/e2e prove it on the real engine.

const DEPLOYMENT = "kubernetes:apps/v1:Deployment";
const EU_CENTRAL = { API_URL: "https://api.eu.example.com", LOG_LEVEL: "debug" };

function fleetWithConfig(strategy?: "immutable") {
    const fleet = new Fleet("prod", {
        clusters: [
            { name: "us-east-1", region: "us", kubeconfig: "us" },
            { name: "eu-central-1", region: "eu", kubeconfig: "eu2" },
        ],
    });
    const app = new FleetConfigMap("app-config", {
        fleet,
        metadata: { namespace: "shop" },
        data: { LOG_LEVEL: "info", API_URL: "https://api.example.com", FEATURE_X: "on" },
        overrides: { regions: { eu: { data: { API_URL: "https://api.eu.example.com" } } }, clusters: { "eu-central-1": { data: { LOG_LEVEL: "debug" }, remove: ["FEATURE_X"] } } },
        strategy,
    });
    return { fleet, app };
}

function workload(podSpec: object) {
    return { metadata: { name: "w", namespace: "shop" }, spec: { selector: {}, template: { metadata: { labels: { app: "w" } }, spec: podSpec } } };
}

async function transform(fleet: Fleet, cluster: string, props: object, name = `w-${cluster}`) {
    const result = await fleet.rolloutTransform({ type: DEPLOYMENT, name, custom: true, props: props as any, opts: { provider: fleet.provider(cluster) } });
    return result as { props: any; opts: pulumi.CustomResourceOptions } | undefined;
}

const keyRef = (key: string, optional?: boolean) => ({ name: key, valueFrom: { configMapKeyRef: { name: "app-config", key, optional } } });

describe("the rollout transform", () => {
    beforeEach(() => useMocks());

    it("gives a whole-map reader the hash of the whole content, as a plain string, and makes it wait for the ConfigMap", async () => {
        const { fleet, app } = fleetWithConfig();
        const result = (await transform(fleet, "eu-central-1", workload({ containers: [{ name: "c", envFrom: [app.envFrom()] }] })))!;
        assert.deepStrictEqual(result.props.spec.template.metadata.annotations, { [app.annotationKey]: contentHash({ data: EU_CENTRAL, binaryData: {} }) });
        assert.deepStrictEqual(result.opts.dependsOn, [app.configMaps["eu-central-1"]]);
    });

    it("gives a reader of single keys a hash of just those keys", async () => {
        const { fleet, app } = fleetWithConfig();
        const result = (await transform(fleet, "eu-central-1", workload({ containers: [{ name: "c", env: [keyRef("LOG_LEVEL")] }] })))!;
        assert.deepStrictEqual(result.props.spec.template.metadata.annotations, {
            [app.annotationKey]: contentHash(pickKeys({ data: EU_CENTRAL, binaryData: {} }, ["LOG_LEVEL"])),
        });
        const items = workload({ containers: [{ name: "c" }], volumes: [{ name: "v", configMap: { name: "app-config", items: [{ key: "LOG_LEVEL", path: "l" }] } }] });
        assert.deepStrictEqual((await transform(fleet, "eu-central-1", items))!.props.spec.template.metadata.annotations, result.props.spec.template.metadata.annotations);
    });

    it("passes over workloads that read no FleetConfigMap, or run on no fleet provider", async () => {
        const { fleet } = fleetWithConfig();
        assert.strictEqual(await transform(fleet, "us-east-1", workload({ containers: [{ name: "c", envFrom: [{ configMapRef: { name: "other" } }] }] })), undefined);
        const elsewhere = await fleet.rolloutTransform({ type: DEPLOYMENT, name: "x", custom: true, props: workload({ containers: [{ name: "c", envFrom: [{ configMapRef: { name: "app-config" } }] }] }) as any, opts: {} });
        assert.strictEqual(elsewhere, undefined);
    });

    it("refuses a workload that reads a key its cluster lacks, naming cluster, workload, key and the override that removed it", async () => {
        const failures = captureProgramFailures();
        const { fleet } = fleetWithConfig();
        const reader = workload({ containers: [{ name: "c", env: [keyRef("LOG_LEVEL"), keyRef("FEATURE_X")] }] });
        assert.ok(await transform(fleet, "us-east-1", reader), "us-east-1 has FEATURE_X");
        await assert.rejects(transform(fleet, "eu-central-1", reader, "feature-eu-central-1"), (err: Error) => {
            assert.ok(pulumi.ResourceError.isInstance(err));
            assert.match(
                err.message,
                /cluster "eu-central-1": Deployment "feature-eu-central-1" reads key "FEATURE_X" \(`spec\.template\.spec\.containers\[0\]\.env\[1\]\.valueFrom\.configMapKeyRef`\), which that cluster's effective config does not have: `overrides\.clusters\["eu-central-1"\]\.remove\[0\]` removes it/,
            );
            assert.doesNotMatch(err.message, /LOG_LEVEL/, "only the missing key is named");
            return true;
        });
        const optional = workload({ containers: [{ name: "c", env: [keyRef("FEATURE_X", true)] }] });
        assert.ok(await transform(fleet, "eu-central-1", optional), "an optional reference may miss its key");
        assert.ok((await failures.stop()).some((m) => /reads key "FEATURE_X"/.test(m)), "the refusal makes the program fail");
    });

    it("hands out no hash while the fleet's values are refused", async () => {
        const failures = captureProgramFailures();
        const fleet = new Fleet("prod", { clusters: [{ name: "us-east-1", region: "us", kubeconfig: "us" }, { name: "eu-west-1", region: "eu", kubeconfig: "eu" }] });
        new FleetConfigMap("app-config", { fleet, metadata: { namespace: "shop" }, data: { A: "1" }, overrides: { clusters: { "eu-west-1": { data: { T: pulumi.secret("s") } } } } });
        // us-east-1's own values are fine; its workload is refused all the same.
        await assert.rejects(transform(fleet, "us-east-1", workload({ containers: [{ name: "c", envFrom: [{ configMapRef: { name: "app-config" } }] }] })), (err: Error) => /FleetConfigMap "app-config" has invalid arguments; nothing was changed[\s\S]*`overrides\.clusters\["eu-west-1"\]\.data\.T` \(cluster "eu-west-1"\): is a Pulumi secret/.test(err.message));
        assert.ok((await failures.stop()).some((m) => /is a Pulumi secret/.test(m)));
    });

    it("warns about a FleetConfigMap volume mounted over /etc, naming cluster, workload and path", async () => {
        const { fleet } = fleetWithConfig();
        const warnings: string[] = [];
        const warn = console.warn;
        console.warn = (message: string) => void warnings.push(message);
        try {
            const props = workload({ containers: [{ name: "c", volumeMounts: [{ name: "cfg", mountPath: "/etc" }] }], volumes: [{ name: "cfg", configMap: { name: "app-config" } }] });
            assert.ok(await transform(fleet, "us-east-1", props, "clash-us-east-1"), "warned, not refused");
        } finally {
            console.warn = warn;
        }
        assert.deepStrictEqual(warnings.filter((w) => /hides everything/.test(w)).length, 1, warnings.join("\n"));
        assert.match(warnings[0], /cluster "us-east-1": Deployment "clash-us-east-1", container "c", mounts ConfigMap "app-config" \(volume "cfg"\) on "\/etc" without `subPath`/);
    });

    it("gives a warning to the workload it is about, so that the engine shows it under that workload", async () => {
        const { fleet } = fleetWithConfig();
        const warnings: { message: string; urn?: string }[] = [];
        const warn = pulumi.log.warn;
        (pulumi.log as { warn: typeof warn }).warn = (message, resource) => {
            warnings.push({ message });
            void resource?.urn.apply((urn) => (warnings[warnings.length - 1] = { message, urn }));
            return Promise.resolve();
        };
        try {
            const props = workload({ containers: [{ name: "c", volumeMounts: [{ name: "cfg", mountPath: "/etc" }] }], volumes: [{ name: "cfg", configMap: { name: "app-config" } }] });
            await transform(fleet, "us-east-1", props, "clash-us-east-1");
            await new Promise((resolve) => setImmediate(resolve));
        } finally {
            (pulumi.log as { warn: typeof warn }).warn = warn;
        }
        assert.strictEqual(warnings.length, 1);
        assert.match(warnings[0].message, /Deployment "clash-us-east-1", container "c", mounts ConfigMap "app-config"/);
        assert.strictEqual(warnings[0].urn, "urn:pulumi:unit::fleet-test::kubernetes:apps/v1:Deployment::clash-us-east-1");
    });

    it("points consumers of an immutable FleetConfigMap at the content-named ConfigMap of their cluster", async () => {
        const { fleet, app } = fleetWithConfig("immutable");
        const result = (await transform(fleet, "eu-central-1", workload({ containers: [{ name: "c", envFrom: [app.envFrom()], env: [keyRef("LOG_LEVEL")] }] })))!;
        const name = immutableName("app-config", { data: EU_CENTRAL, binaryData: {} });
        assert.deepStrictEqual(result.props.spec.template.spec.containers[0].envFrom, [{ prefix: undefined, configMapRef: { name } }]);
        assert.strictEqual(result.props.spec.template.spec.containers[0].env[0].valueFrom.configMapKeyRef.name, name);
        assert.strictEqual(result.props.spec.template.metadata.annotations[app.annotationKey], contentHash({ data: EU_CENTRAL, binaryData: {} }));
    });

    it("still renames, and makes wait, a consumer whose annotations it cannot merge into (wired by hand)", async () => {
        const { fleet, app } = fleetWithConfig("immutable");
        const handWired = workload({ containers: [{ name: "c", envFrom: [app.envFrom()] }] });
        (handWired.spec.template.metadata as any).annotations = app.podAnnotations("eu-central-1");
        const warn = console.warn;
        console.warn = () => undefined;
        try {
            const result = (await transform(fleet, "eu-central-1", handWired))!;
            assert.strictEqual(result.props.spec.template.spec.containers[0].envFrom[0].configMapRef.name, immutableName("app-config", { data: EU_CENTRAL, binaryData: {} }));
            assert.strictEqual(result.props.spec.template.metadata.annotations, (handWired.spec.template.metadata as any).annotations, "its own annotations are left as they are");
            assert.deepStrictEqual(result.opts.dependsOn, [app.configMaps["eu-central-1"]]);
        } finally {
            console.warn = warn;
        }
    });
});
