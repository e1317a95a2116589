/**
 * The package's refusals and warnings in an inline Automation API program (`LocalWorkspace` with
 * `program:`), on the real engine and the three local clusters: the program runs in this test's own
 * process, served by the SDK's inline host, not by the Pulumi CLI's `cmd/run`.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { EngineEvent, LocalWorkspace, Stack } from "@pulumi/pulumi/automation";
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { Fleet, FleetConfigMap } from "../../lib";
import { ALL_CLUSTERS, CLUSTERS, ensureFleet, kubeconfigDir, kubectl, kubectlGet, pulumiCommand, pulumiEnv } from "./harness";

const NAMESPACE = "e2e-inline";
const STACK = "inline";

/** What the program declares; each test sets it before it runs the engine. */
type Mode = "secret" | "over-limit" | "mount-clash";
let mode: Mode = "secret";

/**
 * The inline program: a fleet of the three clusters, one FleetConfigMap, and in every cluster a
 * Deployment wired by the rollout transform (`worker`, a volume) and one wired by hand (`web`,
 * `podAnnotations`).
 */
function program(kubeconfigs: Record<string, string>) {
    return async () => {
        const fleet = new Fleet("inline", {
            clusters: [
                { name: "us-east-1", region: "us", kubeconfig: kubeconfigs["us-east-1"] },
                { name: "eu-west-1", region: "eu", kubeconfig: kubeconfigs["eu-west-1"] },
                { name: "eu-central-1", region: "eu", kubeconfig: kubeconfigs["eu-central-1"] },
            ],
        });
        pulumi.runtime.registerResourceTransform(fleet.rolloutTransform);
        const app = new FleetConfigMap("app-config", {
            fleet,
            metadata: { name: "app-config", namespace: NAMESPACE, labels: { app: "inline" } },
            data: { LOG_LEVEL: "info", API_URL: "https://api.example.com" },
            overrides: {
                clusters: {
                    "eu-west-1": mode === "secret" ? { data: { DB_PASSWORD: pulumi.secret("hunter2") } } : {},
                    "eu-central-1": mode === "over-limit" ? { data: { BIG: "x".repeat(1024 * 1024 + 1) } } : {},
                },
            },
        });
        for (const cluster of fleet.clusterNames) {
            const opts = { provider: fleet.provider(cluster), customTimeouts: { create: "2m", update: "2m", delete: "2m" } };
            new k8s.apps.v1.Deployment(
                `worker-${cluster}`,
                {
                    metadata: { name: "worker", namespace: NAMESPACE },
                    spec: {
                        selector: { matchLabels: { app: "worker" } },
                        template: {
                            metadata: { labels: { app: "worker" } },
                            spec: {
                                containers: [{ name: "worker", image: "busybox:1.36", volumeMounts: [{ name: "config", mountPath: mode === "mount-clash" ? "/etc" : "/etc/app" }] }],
                                volumes: [{ name: "config", configMap: { name: "app-config" } }],
                            },
                        },
                    },
                },
                opts,
            );
            new k8s.apps.v1.Deployment(
                `web-${cluster}`,
                {
                    metadata: { name: "web", namespace: NAMESPACE },
                    spec: {
                        selector: { matchLabels: { app: "web" } },
                        template: {
                            metadata: { labels: { app: "web" }, annotations: app.podAnnotations(cluster) },
                            spec: { containers: [{ name: "web", image: "nginx:1.27", envFrom: [app.envFrom()] }] },
                        },
                    },
                },
                opts,
            );
        }
        return { hashes: app.hashes };
    };
}

/** What one engine run reported: its warning and error diagnostics, and (when it failed) the error's text. */
interface InlineRun {
    readonly errors: { urn?: string; message: string }[];
    readonly warnings: { urn?: string; message: string }[];
    /** The thrown error's message: the CLI's stdout and stderr. Empty when the run succeeded. */
    readonly thrown: string;
}

async function run(stack: Stack, op: "preview" | "up"): Promise<InlineRun> {
    const errors: InlineRun["errors"] = [];
    const warnings: InlineRun["warnings"] = [];
    const onEvent = (event: EngineEvent) => {
        const d = event.diagnosticEvent;
        if (d?.severity === "error") errors.push({ urn: d.urn, message: d.message });
        if (d?.severity === "warning") warnings.push({ urn: d.urn, message: d.message });
    };
    try {
        await (op === "up" ? stack.up({ onEvent }) : stack.preview({ onEvent }));
        return { errors, warnings, thrown: "" };
    } catch (err) {
        return { errors, warnings, thrown: String((err as Error).message ?? err) };
    }
}

/** The `error:` entries of the first "Diagnostics:" section of the CLI's output (the thrown error repeats the output). */
function diagnosticErrors(text: string): string[] {
    const start = text.indexOf("\nDiagnostics:");
    if (start < 0) return [];
    const end = text.indexOf("\nResources:", start);
    return text.slice(start, end < 0 ? undefined : end).split("\n").filter((line) => /^\s+error: /.test(line));
}

const STACK_FRAME = /\n\s+at .+:\d+:\d+/;

/** No ConfigMap and no workload of this program exists in any cluster. */
function assertNothingCreated(): void {
    for (const cluster of ALL_CLUSTERS) {
        assert.strictEqual(kubectlGet(cluster, NAMESPACE, "configmap", "app-config"), undefined, `no ConfigMap in ${cluster}`);
        assert.strictEqual(kubectlGet(cluster, NAMESPACE, "deployment", "worker"), undefined, `no worker in ${cluster}`);
        assert.strictEqual(kubectlGet(cluster, NAMESPACE, "deployment", "web"), undefined, `no web in ${cluster}`);
    }
}

/** Asserts a refused run: one error diagnostic, the package's, without a stack, in the events and in the CLI's output. */
function assertRefusedOnce(result: InlineRun, what: RegExp, op: string): void {
    assert.ok(result.thrown, `${op} failed`);
    assert.strictEqual(result.errors.length, 1, `${op}: one error diagnostic:\n${result.errors.map((e) => e.message).join("\n---\n")}`);
    assert.match(result.errors[0].message, what);
    assert.doesNotMatch(result.errors[0].message, STACK_FRAME, `${op}: no stack trace in the diagnostic`);
    const printed = diagnosticErrors(result.thrown);
    assert.strictEqual(printed.length, 1, `${op}: one error in the CLI's diagnostics:\n${printed.join("\n")}`);
    assert.doesNotMatch(result.thrown, /transform failed|Unhandled exception|failed to register new resource/, `${op}: no SDK failure on top of the package's`);
    assert.doesNotMatch(result.thrown, STACK_FRAME, `${op}: no stack trace in the CLI's output`);
    assert.doesNotMatch(result.thrown, /hunter2/, `${op}: the secret's value is never shown`);
}

describe("an inline Automation API program (3 local clusters)", function () {
    this.timeout(10 * 60 * 1000);
    let stack: Stack;

    before(async () => {
        ensureFleet();
        for (const cluster of ALL_CLUSTERS) {
            kubectl(cluster, "delete", "namespace", NAMESPACE, "--ignore-not-found", "--wait=true", "--timeout=120s");
            kubectl(cluster, "create", "namespace", NAMESPACE);
        }
        const dir = kubeconfigDir();
        const kubeconfigs = Object.fromEntries(ALL_CLUSTERS.map((c) => [c, fs.readFileSync(path.join(dir, `${CLUSTERS[c]}.yaml`), "utf8")]));
        const envVars = pulumiEnv("fleet-inline", "e2e-only-passphrase");
        stack = await LocalWorkspace.createOrSelectStack(
            { stackName: STACK, projectName: "fleet-inline-e2e", program: program(kubeconfigs) },
            { envVars, pulumiCommand: await pulumiCommand(envVars) },
        );
    });

    after(async () => {
        if (stack) {
            try {
                await stack.destroy({ continueOnError: true });
            } finally {
                await stack.workspace.removeStack(STACK, { force: true });
            }
        }
        for (const cluster of ALL_CLUSTERS) kubectl(cluster, "delete", "namespace", NAMESPACE, "--ignore-not-found", "--wait=false");
    });

    it("refuses a secret in one cluster's override with one error diagnostic and no stack trace, under preview and up, and creates nothing in any cluster", async () => {
        mode = "secret";
        const refusal = /FleetConfigMap "app-config" has invalid arguments; nothing was changed:\n {2}- `overrides\.clusters\["eu-west-1"\]\.data\.DB_PASSWORD` \(cluster "eu-west-1"\): is a Pulumi secret/;
        for (const op of ["preview", "up"] as const) {
            const result = await run(stack, op);
            assertRefusedOnce(result, refusal, op);
            assertNothingCreated();
            console.log(`      ${op}: one error diagnostic:\n${result.errors[0].message.replace(/^/gm, "        | ")}`);
            if (op === "up") console.log(`      the CLI's diagnostics:\n${result.thrown.slice(result.thrown.indexOf("Diagnostics:"), result.thrown.indexOf("\nResources:")).replace(/^/gm, "        | ")}`);
        }
    });

    it("refuses a literal value over the 1 MiB limit in one cluster, in the constructor, with one error diagnostic", async () => {
        mode = "over-limit";
        const result = await run(stack, "up");
        assertRefusedOnce(result, /`overrides\.clusters\["eu-central-1"\]\.data\.BIG` \(cluster "eu-central-1"\): the effective ConfigMap holds [\d,]+ bytes of values, over the limit of 1,048,576 bytes/, "up");
        assertNothingCreated();
    });

    it("reports a mount clash as a warning diagnostic of the engine, under each workload, not on the caller's console", async () => {
        mode = "mount-clash";
        const printed: string[] = [];
        const warn = console.warn;
        console.warn = (...args: unknown[]) => void printed.push(args.map(String).join(" "));
        let result: InlineRun;
        try {
            result = await run(stack, "preview");
        } finally {
            console.warn = warn;
        }
        assert.strictEqual(result.thrown, "", `the preview succeeds:\n${result.thrown}`);
        for (const cluster of ALL_CLUSTERS) {
            const warning = result.warnings.find((w) => w.message.includes(`cluster "${cluster}": Deployment "worker-${cluster}"`));
            assert.ok(warning, `a warning event for ${cluster}:\n${result.warnings.map((w) => w.message).join("\n")}`);
            assert.match(warning!.message, /container "worker", mounts ConfigMap "app-config" \(volume "config"\) on "\/etc" without `subPath`, which hides everything the image has in "\/etc"/);
            assert.match(warning!.urn ?? "", new RegExp(`::kubernetes:apps/v1:Deployment::worker-${cluster}$`), "shown under the workload");
        }
        assert.deepStrictEqual(printed.filter((line) => /hides everything/.test(line)), [], "nothing on the caller's console");
        console.log(`      preview: ${result.warnings.length} warning events, e.g.\n        | ${result.warnings[0].message.trim()}`);
    });
});
