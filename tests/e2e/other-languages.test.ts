import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ALL_CLUSTERS, Cluster, ensureFleet, EngineRun, env, EU_CLUSTERS, kubectlGet, ROOT, run, Scenario, touched } from "./harness";

/**
 * FleetConfigMap from programs in other languages on the real engine: the YAML example
 * (examples/yaml-fleet) and its Go twin (examples/go-fleet), each declaring the multi-language
 * FleetConfigMap that the compiled component package in dist/component serves (the suite's `npm run
 * build` writes it) and wiring each Deployment's hash from the component's outputs. The Go program runs
 * through the toolchain's Go language host, on the Go SDK that `pulumi package gen-sdk` generated from
 * the component's schema. Both programs declare the same fleet, so one scenario proves both.
 */
const PROGRAMS: Record<"yaml" | "go", Program> = {
    yaml: { dir: path.join(ROOT, "examples/yaml-fleet"), stack: "yaml-fleet", afterRefusal: [] },
    // The Go SDK's pulumi.Run reports, after any resource error, that the program stopped because the
    // engine did: its own line, which repeats nothing of the refusal (docs/OTHER-LANGUAGES.md quotes it).
    go: { dir: path.join(ROOT, "examples/go-fleet"), stack: "go-fleet", afterRefusal: [/^error:\s+an unhandled error occurred: program failed: \s*waiting for RPCs: rpc error: code = Unknown desc = resource monitor shut down\s*$/] },
};

/** One example program of the suite. */
interface Program {
    readonly dir: string;
    readonly stack: string;
    /** What the language's SDK prints as errors besides the refusal, each error matched in order. */
    readonly afterRefusal: readonly RegExp[];
}

/** Where the Go example keeps the SDK `npm run sdk:go` generates (gen-sdk writes its `go` folder). */
const GO_SDK = path.join(PROGRAMS.go.dir, "sdks/fleet-configmap");
const KEY = "checksum.fleet-configmap.dev/app-config";
const WORKLOADS = ["web", "worker"] as const;

/**
 * A schema as the CLI prints it after binding: `optional` markers live only in the `required` lists,
 * empty lists and `dependencies` are left out, and `config` is always there. Applied to the committed
 * schema the compiled package serves (which the unit tests prove the types' own), so the two can be compared.
 */
function asCliPrintsIt(value: any): any {
    if (Array.isArray(value)) return value.map(asCliPrintsIt);
    if (value === null || typeof value !== "object") return value;
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) {
        if (key === "optional" || ((key === "required" || key === "requiredInputs" || key === "dependencies") && Array.isArray(v) && v.length === 0)) continue;
        out[key] = (key === "required" || key === "requiredInputs") && Array.isArray(v) ? [...v].sort() : asCliPrintsIt(v);
    }
    return out;
}

/** What every object the example owns in the clusters looks like now: its resourceVersion. */
function objects(s: Scenario): Record<string, string | undefined> {
    const result: Record<string, string | undefined> = {};
    for (const cluster of ALL_CLUSTERS) {
        result[`${cluster}/configmap/app-config`] = kubectlGet(cluster, s.namespace, "configmap", "app-config")?.metadata.resourceVersion;
        for (const w of WORKLOADS) result[`${cluster}/deployment/${w}`] = kubectlGet(cluster, s.namespace, "deployment", w)?.metadata.resourceVersion;
    }
    return result;
}

function revision(s: Scenario, cluster: Cluster, name: string): string {
    return kubectlGet(cluster, s.namespace, "deployment", name).metadata.annotations["deployment.kubernetes.io/revision"];
}

/** Every file under `dir`, by its path inside it, with its text. */
function filesOf(dir: string): Record<string, string> {
    const files: Record<string, string> = {};
    for (const entry of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile()) continue;
        const file = path.join(entry.parentPath, entry.name);
        files[path.relative(dir, file)] = fs.readFileSync(file, "utf8");
    }
    return files;
}

/** `pulumi` in `cwd`, expected to fail: its exit status and everything it printed. */
function pulumiFailing(cwd: string, args: string[]): { status: number | null; output: string } {
    const result = spawnSync("pulumi", args, { cwd, encoding: "utf8", env: env() });
    return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

/** The resources a run changed, as `type::name` (a provider and a ConfigMap can share a name). */
function changed(run: EngineRun): string[] {
    const steps = run.steps.filter((s) => !["same", "read", "refresh"].includes(s.op));
    return [...new Set(steps.map((s) => `${s.type.split(":").pop()}::${s.urn.split("::").pop()}`))].sort();
}

describe("FleetConfigMap from programs in other languages on the real engine (examples/yaml-fleet and examples/go-fleet, 3 local clusters, 2 regions)", function () {
    this.timeout(20 * 60 * 1000);

    before(() => ensureFleet());

    it("`pulumi package get-schema dist/component` prints the committed schema, lib/component/schema.json", () => {
        const printed = JSON.parse(run("pulumi", ["package", "get-schema", path.join(ROOT, "dist/component")]));
        const committed = JSON.parse(fs.readFileSync(path.join(ROOT, "lib/component/schema.json"), "utf8"));
        assert.deepStrictEqual(asCliPrintsIt(printed), asCliPrintsIt({ config: {}, ...committed }));
    });

    it("the Go SDK in examples/go-fleet is what `pulumi package gen-sdk` generates from the served component now", () => {
        const out = fs.mkdtempSync(path.join(os.tmpdir(), "go-sdk-"));
        try {
            run("pulumi", ["package", "gen-sdk", path.join(ROOT, "dist/component"), "--language", "go", "--local", "--out", out]);
            const generated = filesOf(out);
            assert.ok(Object.keys(generated).includes(path.join("go", "fleetconfigmap", "fleetConfigMap.go")), `gen-sdk wrote the package: ${Object.keys(generated).join(", ")}`);
            assert.deepStrictEqual(filesOf(GO_SDK), generated, "examples/go-fleet/sdks/fleet-configmap is stale: run `npm run sdk:go` and commit the difference");
        } finally {
            fs.rmSync(out, { recursive: true, force: true });
        }
    });

    it("a Go program that does not compile stops its preview with the compiler's error, once, and nothing else", () => {
        // A copy of the example with one type error, its relative paths made absolute.
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "go-fleet-broken-"));
        try {
            fs.cpSync(PROGRAMS.go.dir, dir, { recursive: true, filter: (f) => !path.basename(f).startsWith("Pulumi.") || path.basename(f) === "Pulumi.yaml" });
            const rewrite = (file: string, from: string, to: string) => fs.writeFileSync(path.join(dir, file), fs.readFileSync(path.join(dir, file), "utf8").replace(from, to));
            rewrite("Pulumi.yaml", "../../dist/component", path.join(ROOT, "dist/component"));
            rewrite("main.go", "\nfunc main() {", "\nvar notAString string = 42\n\nfunc main() {");
            const line = fs.readFileSync(path.join(dir, "main.go"), "utf8").split("\n").findIndex((l) => l.includes("notAString")) + 1;
            run("pulumi", ["stack", "init", "broken", "--cwd", dir]);
            const { status, output } = pulumiFailing(dir, ["preview", "--non-interactive", "--stack", "broken", "--config", "kubeconfigDir=unused"]);
            assert.notStrictEqual(status, 0, `the preview fails:\n${output}`);
            const diagnostics = output.slice(output.indexOf("Diagnostics:"));
            assert.match(diagnostics, new RegExp(`does not compile \\(go build\\):\\n\\s*# go-fleet\\n\\s*\\./main\\.go:${line}:\\d+: cannot use 42 \\(untyped int constant\\) as string value in variable declaration`), diagnostics);
            assert.strictEqual(diagnostics.split("cannot use 42").length - 1, 1, `the compiler's error is given once:\n${diagnostics}`);
            assert.strictEqual((diagnostics.match(/^\s+error: /gm) ?? []).length, 1, `one error:\n${diagnostics}`);
            assert.ok(!/goroutine \d+|panic:|\.go:\d+ \+0x/.test(output), `no Go stack trace:\n${output}`);
            assert.ok(!/[+~-]\s+kubernetes:|fleet-configmap:index/.test(output), `nothing is planned:\n${output}`);
        } finally {
            try {
                run("pulumi", ["stack", "rm", "broken", "--yes", "--force", "--cwd", dir]);
            } finally {
                fs.rmSync(dir, { recursive: true, force: true });
            }
        }
    });

    it("YAML (examples/yaml-fleet): deploys, rolls exactly the region whose override changed, refuses a secret once with nothing changed, and then changes nothing", () => sameFleet(PROGRAMS.yaml));

    it("Go (examples/go-fleet): deploys, rolls exactly the region whose override changed, refuses a secret once with nothing changed, and then changes nothing", () => sameFleet(PROGRAMS.go));
});

/**
 * The scenario both examples pass: a first preview on a new stack, a first up, a regional change that
 * rolls exactly that region's consumers, a secret refused once with nothing changed, and a second up
 * that changes nothing.
 */
async function sameFleet(program: Program): Promise<void> {
    const s = await Scenario.create(program.stack, {}, program.dir);
    try {
        // 0. A first preview on the new stack, as a reviewer runs it before anything exists: it plans
        // each cluster's ConfigMap and workloads, and its outputs resolve without the live objects.
        let started = Date.now();
        const plan = await s.preview();
        const planned = touched(plan, "create");
        for (const cluster of ALL_CLUSTERS) {
            for (const name of [`app-config-${cluster}`, `web-${cluster}`, `worker-${cluster}`]) assert.ok(planned.includes(name), `the first preview plans ${name}: ${planned.join(", ")}`);
        }
        s.report(`first preview: ${Math.round((Date.now() - started) / 1000)} s`);

        // 1. First up: every cluster's effective ConfigMap, and each Deployment carries its cluster's hash from the outputs.
        started = Date.now();
        await s.up();
        const outputs = await s.stack.outputs();
        const hashes = outputs.hashes.value as Record<string, string>;
        assert.deepStrictEqual(Object.keys(hashes).sort(), [...ALL_CLUSTERS].sort());
        const expected: Record<Cluster, Record<string, string>> = {
            "us-east-1": { API_URL: "https://api.example.com", FEATURE_X: "on", LOG_LEVEL: "info" },
            "eu-west-1": { API_URL: "https://api.eu.example.com", FEATURE_X: "on", LOG_LEVEL: "info" },
            "eu-central-1": { API_URL: "https://api.eu.example.com", LOG_LEVEL: "debug" },
        };
        for (const cluster of ALL_CLUSTERS) {
            assert.deepStrictEqual(kubectlGet(cluster, s.namespace, "configmap", "app-config").data, expected[cluster], cluster);
            const web = kubectlGet(cluster, s.namespace, "deployment", "web");
            assert.strictEqual(web.spec.template.metadata.annotations[KEY], hashes[cluster], `web in ${cluster} carries its cluster's hash`);
            assert.strictEqual(web.status.readyReplicas, 2, `web ready in ${cluster}`);
            assert.ok(kubectlGet(cluster, s.namespace, "deployment", "worker").spec.template.metadata.annotations[KEY], `worker in ${cluster} carries its key set's hash`);
        }
        s.report(`first up: ${Math.round((Date.now() - started) / 1000)} s; hashes ${JSON.stringify(hashes)}`);

        // 2. A regional override changes: only EU's ConfigMaps and EU's web roll; worker reads only LOG_LEVEL and stays.
        const before = Object.fromEntries(ALL_CLUSTERS.flatMap((c) => WORKLOADS.map((w) => [`${c}/${w}`, revision(s, c, w)])));
        const usConfigMap = kubectlGet("us-east-1", s.namespace, "configmap", "app-config").metadata;
        await s.setConfig("euApiUrl", "https://api-v2.eu.example.com");
        started = Date.now();
        const rolled = await s.up();
        assert.deepStrictEqual(changed(rolled), ["ConfigMap::app-config-eu-central-1", "ConfigMap::app-config-eu-west-1", "Deployment::web-eu-central-1", "Deployment::web-eu-west-1"]);
        for (const cluster of ALL_CLUSTERS) {
            const eu = EU_CLUSTERS.includes(cluster);
            assert.strictEqual(kubectlGet(cluster, s.namespace, "configmap", "app-config").data.API_URL, eu ? "https://api-v2.eu.example.com" : "https://api.example.com");
            assert.strictEqual(revision(s, cluster, "web"), eu ? String(Number(before[`${cluster}/web`]) + 1) : before[`${cluster}/web`], `web in ${cluster}`);
            assert.strictEqual(revision(s, cluster, "worker"), before[`${cluster}/worker`], `worker in ${cluster} reads only LOG_LEVEL`);
        }
        const usAfter = kubectlGet("us-east-1", s.namespace, "configmap", "app-config").metadata;
        assert.deepStrictEqual([usAfter.uid, usAfter.resourceVersion], [usConfigMap.uid, usConfigMap.resourceVersion], "us-east-1's ConfigMap is untouched");
        s.report(`region change: ${changed(rolled).join(", ")} (${Math.round((Date.now() - started) / 1000)} s)`);

        // 3. A secret in one cluster's override is refused: one error, no stack trace, nothing changed anywhere.
        const objectsBefore = objects(s);
        const stateBefore = await s.state();
        await s.stack.setConfig("euCentralLogLevel", { value: "hunter2", secret: true });
        for (const [what, result] of [
            ["preview", await s.previewFailing()],
            ["up", await s.upFailing()],
        ] as const) {
            const errors = result.diagnostics.filter((d) => d.startsWith("error:"));
            const refusal = errors.filter((d) => d.includes("has invalid arguments; nothing was changed"));
            assert.strictEqual(refusal.length, 1, `${what}: the refusal is given once:\n${result.diagnostics.join("\n")}`);
            const others = errors.filter((d) => !refusal.includes(d));
            assert.ok(others.length === program.afterRefusal.length && others.every((d, i) => program.afterRefusal[i].test(d)), `${what}: no other error than the SDK's own:\n${others.join("\n")}`);
            assert.match(refusal[0], /`overrides\.clusters\["eu-central-1"\]\.data\.LOG_LEVEL` \(cluster "eu-central-1"\): is a Pulumi secret/);
            assert.ok(!/\n\s+at .+\(.+:\d+:\d+\)/.test(result.diagnostics.join("\n")), `${what}: no stack trace:\n${result.diagnostics.join("\n")}`);
            assert.ok(!result.diagnostics.join("\n").includes("hunter2") && !result.error.includes("hunter2"), `${what}: the secret is never shown`);
            assert.deepStrictEqual(changed(result), [], `${what}: no step changes anything`);
            s.report(`${what} refused: ${refusal[0].split("\n").slice(0, 2).join(" | ").slice(0, 260)}`);
        }
        assert.deepStrictEqual(objects(s), objectsBefore, "every object in every cluster is unchanged");
        assert.deepStrictEqual(await s.state(), stateBefore, "the stack's state is unchanged");

        // 4. With the secret gone, the program is what was deployed: a second up changes nothing.
        await s.setConfig("euCentralLogLevel", undefined);
        const again = await s.up({ expectNoChanges: true });
        assert.deepStrictEqual(changed(again), []);
        assert.deepStrictEqual(objects(s), objectsBefore);
    } finally {
        await s.dispose();
    }
}
