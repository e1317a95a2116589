/**
 * Issue 19: what reaching FleetConfigMap from another language costs. `npm run bench -- --only yaml`
 * previews the YAML example (examples/yaml-fleet) and its TypeScript twin (bench/yaml-twin: the same
 * component and resources, constructed in the program's own process) on the same 3 local clusters,
 * side by side, each on a new stack, so every run is a whole first preview as a reviewer runs it.
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
 * - for comparison, what serving the component from its TypeScript source cost (before dist/component):
 *   the runner's start on lib/component, which compiles and type-checks the component and the library
 *   with ts-node, and the SDK's analyzer, which infers the schema from the types at the first request.
 */
import { LocalWorkspace } from "@pulumi/pulumi/automation";
import { execFileSync, spawn } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { pulumiCommand, pulumiEnv } from "../tests/e2e/harness";
import { Stat, stat } from "./stat";

const ROOT = path.resolve(__dirname, "..");
/** The component package the YAML example names, as `npm run build` writes it. */
const SERVED = path.join(ROOT, "dist/component");
/** The component's sources: what the runner and the analyzer served before dist/component. */
const SOURCE = path.join(ROOT, "lib/component");
const PROGRAMS = { yaml: path.join(ROOT, "examples/yaml-fleet"), typescript: path.join(ROOT, "bench/yaml-twin") } as const;
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

/** One row of the section: each variant's preview, their ratio, and the parts. */
export interface YamlPreviewResult {
    /** Seconds of each variant's preview. */
    readonly preview: Record<Variant, Stat>;
    /** YAML's preview over the twin's, run by run. */
    readonly ratio: Stat;
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
    const samples: Record<Variant, number[]> = { yaml: [], typescript: [] };
    const parts = { pluginStart: [] as number[], fromSourcePluginStart: [] as number[], fromSourceAnalyzer: [] as number[] };
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
        parts.pluginStart.push(await pluginStart(SERVED));
        parts.fromSourcePluginStart.push(await pluginStart(SOURCE));
        parts.fromSourceAnalyzer.push(analyzer());
        for (const npmMade of ["node_modules", "package-lock.json"]) {
            if (fs.existsSync(path.join(SERVED, npmMade))) throw new Error(`npm ran in ${SERVED}: ${npmMade} appeared; the preview figures include an npm install`);
        }
        log(`yaml parts run ${run + 1}: plugin start ${parts.pluginStart[run].toFixed(1)} s (from source: ${parts.fromSourcePluginStart[run].toFixed(1)} s, and the analyzer ${parts.fromSourceAnalyzer[run].toFixed(1)} s)`);
    }
    return {
        preview: { yaml: stat(samples.yaml), typescript: stat(samples.typescript) },
        ratio: stat(samples.yaml.map((y, i) => y / samples.typescript[i])),
        parts: { pluginStart: stat(parts.pluginStart), fromSource: { pluginStart: stat(parts.fromSourcePluginStart), analyzer: stat(parts.fromSourceAnalyzer) } },
    };
}
