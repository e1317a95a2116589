/**
 * Issues 19 and 32: what reaching FleetConfigMap from another language costs. `npm run bench -- --only yaml`
 * previews the YAML example (examples/yaml-fleet) and its TypeScript twin (bench/yaml-twin: the same
 * component and resources, constructed in the program's own process) on the same 3 local clusters,
 * side by side, each on a new stack, so every run is a whole first preview as a reviewer runs it. The
 * Go example (examples/go-fleet, the same fleet through the Go SDK gen-sdk generated) runs beside them.
 *
 * The YAML example reaches the component through the compiled component package that `npm run build`
 * writes to dist/component (lib/component/plugin.ts serving the committed schema.json); the section
 * builds first, so that it measures the current sources (a stale build is refused, not served).
 *
 * Where the difference goes is measured apart, in the same runs' order:
 * - plugin start: `@pulumi/pulumi/cmd/run-plugin` loading dist/component until it announces its port.
 *   The runner still registers ts-node (it always does), but nothing it loads is TypeScript: no
 *   compilation, no type-check. The schema is a file: no analyzer.
 * - npm install: none. The language host runs no npm for dist/component, whose package.json declares no
 *   dependency (node resolves the repository's node_modules); each run checks that no npm ran there
 *   (no node_modules or package-lock.json appeared), rather than timing a step that does not happen.
 * - Go's build: the Go language host keeps each program's build output between runs, so a preview of
 *   an unchanged program runs `go build`'s up-to-date check only; a changed program is linked again.
 *   Both are measured apart with `go build` in examples/go-fleet (the check on a kept output, and the
 *   link into a new one), after the module and build caches were warmed by the first run.
 * - for comparison, what serving the component from its TypeScript source cost (before dist/component):
 *   the runner's start on lib/component, which compiles and type-checks the component and the library
 *   with ts-node, and the SDK's analyzer, which infers the schema from the types at the first request.
 */
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { pulumiCommand, pulumiEnv } from "../tests/e2e/harness";
import { Stat, stat } from "./stat";

const ROOT = path.resolve(__dirname, "..");
/** The component package the YAML example names, as `npm run build` writes it. */
const SERVED = path.join(ROOT, "dist/component");
/** The component's sources: what the runner and the analyzer served before dist/component. */
const SOURCE = path.join(ROOT, "lib/component");
const PROGRAMS = { yaml: path.join(ROOT, "examples/yaml-fleet"), go: path.join(ROOT, "examples/go-fleet"), typescript: path.join(ROOT, "bench/yaml-twin") } as const;
type Variant = keyof typeof PROGRAMS;

function log(line: string) {
    process.stderr.write(`[bench] ${line}\n`);
}

/** Seconds from starting the plugin runner on the component package in `dir` to its port on stdout. */
function pluginStart(dir: string): Promise<number> {
    return new Promise((resolve, reject) => {
        const started = Date.now();
        const runner = path.join(ROOT, "node_modules/@pulumi/pulumi/cmd/run-plugin");
        // The engine address is only dialled when the provider logs; the runner serves without it.
        const child = spawn(process.execPath, [runner, "--pwd", dir, dir, "127.0.0.1:1"], { cwd: dir, stdio: ["ignore", "pipe", "pipe"] });
        let err = "";
        child.stderr.on("data", (d) => (err += d));
        child.stdout.once("data", () => {
            resolve((Date.now() - started) / 1000);
            child.kill();
        });
        child.on("exit", (code) => code !== null && code !== 0 && reject(new Error(`run-plugin exited ${code}: ${err}`)));
    });
}

/** Seconds the SDK's analyzer takes to infer the component's schema from lib/component's types, in a process of its own. */
function analyzer(): number {
    const script = `
        const { ComponentProvider } = require("@pulumi/pulumi/provider/experimental");
        require("ts-node").register({ transpileOnly: true });
        const { FleetConfigMap } = require(${JSON.stringify(SOURCE)});
        const started = Date.now();
        new ComponentProvider({ components: [FleetConfigMap], dirname: ${JSON.stringify(SOURCE)}, name: "fleet-configmap" })
            .getSchema().then(() => console.log(Date.now() - started));`;
    return Number(execFileSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" }).trim()) / 1000;
}

/** Seconds of `go build` of the Go example into `out`: a link when `out` is missing, else the up-to-date check. */
function goBuild(out: string): number {
    const started = Date.now();
    execFileSync("go", ["build", "-buildvcs=false", "-o", out, "."], { cwd: PROGRAMS.go, stdio: "inherit" });
    return (Date.now() - started) / 1000;
}

/** One row of the section: each variant's preview, their ratio, and the parts. */
export interface YamlPreviewResult {
    /** Seconds of each variant's preview. */
    readonly preview: Record<Variant, Stat>;
    /** YAML's preview over the twin's, run by run. */
    readonly ratio: Stat;
    /** Go's preview over the twin's, run by run. */
    readonly goRatio: Stat;
    /** Seconds of Go's build: the up-to-date check of a kept output, and the link of a new one. */
    readonly goBuild: { upToDate: Stat; link: Stat };
    /**
     * Seconds of the served package's plugin start, and for comparison what serving the component from
     * its TypeScript source cost: the runner's start on lib/component and the analyzer.
     */
    readonly parts: { pluginStart: Stat; fromSource: { pluginStart: Stat; analyzer: Stat } };
}

/** `runs` previews of each variant, alternating which goes first, and the parts measured after each pair. */
export async function yamlPreview(runs: number): Promise<YamlPreviewResult> {
    execFileSync("npm", ["run", "-s", "build"], { cwd: ROOT, stdio: "inherit" });
    execFileSync(path.join(ROOT, "scripts/fleet"), ["up", "3"], { stdio: "inherit" });
    const kubeconfigDir = execFileSync(path.join(ROOT, "scripts/fleet"), ["kubeconfig-dir"], { encoding: "utf8" }).trim();
    const env = pulumiEnv("fleet-bench-yaml", "bench-only-passphrase");
    const samples: Record<Variant, number[]> = { yaml: [], go: [], typescript: [] };
    const goBuilds = { upToDate: [] as number[], link: [] as number[] };
    const goOut = fs.mkdtempSync(path.join(os.tmpdir(), "bench-go-build-"));
    const parts = { pluginStart: [] as number[], fromSourcePluginStart: [] as number[], fromSourceAnalyzer: [] as number[] };
    for (let run = 0; run < runs; run++) {
        // Each variant goes first, second and third in turn.
        const order: Variant[] = ["yaml", "go", "typescript"];
        const variants = [...order.slice(run % 3), ...order.slice(0, run % 3)];
        for (const variant of variants) {
            const stackName = `${variant}-${run}`;
            const stack = await LocalWorkspace.createOrSelectStack({ stackName, workDir: PROGRAMS[variant] }, { envVars: env, pulumiCommand: await pulumiCommand(env) });
            try {
                await stack.setAllConfig({ kubeconfigDir: { value: kubeconfigDir }, namespace: { value: `bench-yaml-${variant}` } });
                const started = Date.now();
                await stack.preview();
                samples[variant].push((Date.now() - started) / 1000);
                log(`yaml preview ${variant} run ${run + 1}: ${samples[variant][run].toFixed(1)} s`);
            } finally {
                await stack.workspace.removeStack(stackName, { force: true });
            }
        }
        const program = path.join(goOut, "program");
        fs.rmSync(program, { force: true });
        goBuilds.link.push(goBuild(program));
        goBuilds.upToDate.push(goBuild(program));
        log(`go build run ${run + 1}: link ${goBuilds.link[run].toFixed(1)} s, up-to-date check ${goBuilds.upToDate[run].toFixed(1)} s`);
        parts.pluginStart.push(await pluginStart(SERVED));
        parts.fromSourcePluginStart.push(await pluginStart(SOURCE));
        parts.fromSourceAnalyzer.push(analyzer());
        for (const npmMade of ["node_modules", "package-lock.json"]) {
            if (fs.existsSync(path.join(SERVED, npmMade))) throw new Error(`npm ran in ${SERVED}: ${npmMade} appeared; the preview figures include an npm install`);
        }
        log(`yaml parts run ${run + 1}: plugin start ${parts.pluginStart[run].toFixed(1)} s (from source: ${parts.fromSourcePluginStart[run].toFixed(1)} s, and the analyzer ${parts.fromSourceAnalyzer[run].toFixed(1)} s)`);
    }
    fs.rmSync(goOut, { recursive: true, force: true });
    return {
        preview: { yaml: stat(samples.yaml), go: stat(samples.go), typescript: stat(samples.typescript) },
        ratio: stat(samples.yaml.map((y, i) => y / samples.typescript[i])),
        goRatio: stat(samples.go.map((g, i) => g / samples.typescript[i])),
        goBuild: { upToDate: stat(goBuilds.upToDate), link: stat(goBuilds.link) },
        parts: { pluginStart: stat(parts.pluginStart), fromSource: { pluginStart: stat(parts.fromSourcePluginStart), analyzer: stat(parts.fromSourceAnalyzer) } },
    };
}
