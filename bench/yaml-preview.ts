/**
 * Issue 19: what reaching FleetConfigMap from another language costs. `npm run bench -- --only yaml`
 * previews the YAML example (examples/yaml-fleet) and its TypeScript twin (bench/yaml-twin: the same
 * component and resources, constructed in the program's own process) on the same 3 local clusters,
 * side by side, each on a new stack, so every run is a whole first preview as a reviewer runs it.
 *
 * Where the difference goes is measured apart, in the same runs' order:
 * - plugin start: `@pulumi/pulumi/cmd/run-plugin` loading lib/component until it announces its port.
 *   It compiles the component and the library with ts-node, type-checking them (the SDK's runner always
 *   does), where the twin's program is type-checked by the language host once for both.
 * - the analyzer: the SDK's component provider infers the schema from the TypeScript types at the first
 *   `construct` (to know the outputs), a TypeScript program of its own over the package.
 * - npm install: none. The language host runs no npm for lib/component, whose package.json declares no
 *   dependency (node resolves the repository's node_modules); each run checks that no npm ran there
 *   (no node_modules or package-lock.json appeared), rather than timing a step that does not happen.
 * - a what-if: the plugin's start if the package shipped its component compiled to JavaScript.
 */
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { pulumiCommand, pulumiEnv } from "../tests/e2e/harness";
import { Stat, stat } from "./stat";

const ROOT = path.resolve(__dirname, "..");
const COMPONENT = path.join(ROOT, "lib/component");
const PROGRAMS = { yaml: path.join(ROOT, "examples/yaml-fleet"), typescript: path.join(ROOT, "bench/yaml-twin") } as const;
type Variant = keyof typeof PROGRAMS;

function log(line: string) {
    process.stderr.write(`[bench] ${line}\n`);
}

/** Where the what-if compiles the component: inside the repository, so that it resolves its node_modules. */
const PRECOMPILED = path.join(ROOT, ".bench/yaml-precompiled");

/**
 * The what-if of a component package shipped as JavaScript: the component and the library compiled
 * once with tsc into PRECOMPILED, the package's manifest pointing at the JavaScript. The package
 * itself serves the component from its TypeScript source, as Pulumi's documented route does; this
 * measures what the other choice would save at the plugin's start. Returns the compiled package's folder.
 */
function precompile(): string {
    fs.rmSync(PRECOMPILED, { recursive: true, force: true });
    const tsc = require.resolve("typescript/bin/tsc");
    execFileSync(process.execPath, [tsc, "-p", COMPONENT, "--rootDir", path.join(ROOT, "lib"), "--outDir", PRECOMPILED, "--declaration", "false", "--sourceMap", "false"], { cwd: ROOT, stdio: "inherit" });
    const dir = path.join(PRECOMPILED, "component");
    const manifest = JSON.parse(fs.readFileSync(path.join(COMPONENT, "package.json"), "utf8"));
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ ...manifest, main: "index.js" }));
    return dir;
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

/** Seconds the SDK's analyzer takes to infer the component's schema, in a process of its own. */
function analyzer(): number {
    const script = `
        const { ComponentProvider } = require("@pulumi/pulumi/provider/experimental");
        require("ts-node").register({ transpileOnly: true });
        const { FleetConfigMap } = require(${JSON.stringify(COMPONENT)});
        const started = Date.now();
        new ComponentProvider({ components: [FleetConfigMap], dirname: ${JSON.stringify(COMPONENT)}, name: "fleet-configmap" })
            .getSchema().then(() => console.log(Date.now() - started));`;
    return Number(execFileSync(process.execPath, ["-e", script], { cwd: ROOT, encoding: "utf8" }).trim()) / 1000;
}

/** One row of the section: each variant's preview, their ratio, and the parts. */
export interface YamlPreviewResult {
    /** Seconds of each variant's preview. */
    readonly preview: Record<Variant, Stat>;
    /** YAML's preview over the twin's, run by run. */
    readonly ratio: Stat;
    /**
     * Seconds of the parts the YAML run has and the twin has not, and the what-if of the plugin's start
     * with the component compiled to JavaScript ({@link precompile}).
     */
    readonly parts: { pluginStart: Stat; analyzer: Stat; precompiledPluginStart: Stat };
}

/** `runs` previews of each variant, alternating which goes first, and the parts measured after each pair. */
export async function yamlPreview(runs: number): Promise<YamlPreviewResult> {
    execFileSync(path.join(ROOT, "scripts/fleet"), ["up", "3"], { stdio: "inherit" });
    const kubeconfigDir = execFileSync(path.join(ROOT, "scripts/fleet"), ["kubeconfig-dir"], { encoding: "utf8" }).trim();
    const env = pulumiEnv("fleet-bench-yaml", "bench-only-passphrase");
    const samples: Record<Variant, number[]> = { yaml: [], typescript: [] };
    const parts = { pluginStart: [] as number[], analyzer: [] as number[], precompiledPluginStart: [] as number[] };
    const precompiled = precompile();
    for (let run = 0; run < runs; run++) {
        const variants: Variant[] = run % 2 === 0 ? ["yaml", "typescript"] : ["typescript", "yaml"];
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
        parts.pluginStart.push(await pluginStart(COMPONENT));
        parts.analyzer.push(analyzer());
        parts.precompiledPluginStart.push(await pluginStart(precompiled));
        for (const npmMade of ["node_modules", "package-lock.json"]) {
            if (fs.existsSync(path.join(COMPONENT, npmMade))) throw new Error(`npm ran in ${COMPONENT}: ${npmMade} appeared; the preview figures include an npm install`);
        }
        log(`yaml parts run ${run + 1}: plugin start ${parts.pluginStart[run].toFixed(1)} s (compiled: ${parts.precompiledPluginStart[run].toFixed(1)} s), analyzer ${parts.analyzer[run].toFixed(1)} s`);
    }
    fs.rmSync(PRECOMPILED, { recursive: true, force: true });
    return {
        preview: { yaml: stat(samples.yaml), typescript: stat(samples.typescript) },
        ratio: stat(samples.yaml.map((y, i) => y / samples.typescript[i])),
        parts: { pluginStart: stat(parts.pluginStart), analyzer: stat(parts.analyzer), precompiledPluginStart: stat(parts.precompiledPluginStart) },
    };
}
