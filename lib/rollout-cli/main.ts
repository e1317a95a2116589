#!/usr/bin/env node
/**
 * `fleet-rollout`: previews and rolls out the shard stacks of one Pulumi program over a fleet, in
 * waves, explains where a FleetConfigMap's values come from, finds drift, and adopts a ConfigMap the
 * clusters already run (`import`). A thin layer: parse the
 * arguments (arguments.ts), build the plan (plan.ts, pure), run it through the Automation API (run.ts,
 * engine.ts) and print the result (render.ts); `explain` and `drift` live in explain-command.ts and
 * drift-command.ts, `import` in import/.
 */
import * as fs from "fs";
import * as path from "path";
import { FleetDefinition, FleetDefinitionError, loadFleetDefinition, stackConfig } from "../fleet/fleet-definition";
import { MAX_LISTED } from "../errors/bounded-list";
import { staleBuild } from "../compiled-build/stale-build";
import { formatProblem } from "../errors/problems";
import { ArgumentsError, Invocation, parseArguments } from "./arguments";
import { ClusterAccess, clusterAccesses } from "./cluster-api/cluster-access";
import { ClusterApi } from "./cluster-api/cluster-api";
import { KubectlClusterApi } from "./cluster-api/kubectl";
import { drift } from "./drift/drift-command";
import { Engine } from "./run/engine";
import { explain } from "./explain/explain-command";
import { importConfigMap } from "./import/import-command";
import { errorTail } from "./run/error-tail";
import { EXIT } from "./exit-codes";
import { parseWaveArguments, PlanError, planRollout, RolloutPlan } from "./plan/plan";
import { previewJson, renderPreview, renderPreviewMarkdown, renderRollout, rolloutJson } from "./review/render";
import { fleetShape, regionOf } from "./review/fleet-shape";
import { joinParts, missingLine } from "./review/report";
import { planJson, renderPlan } from "./plan/render-plan";
import { preflight } from "./preflight/preflight-checks";
import { preflightLines } from "./preflight/preflight-report";
import { previewAll, rollOut } from "./run/run";
import { makeMoves, NO_MOVES, plannedMoves } from "./state-moves/move-command";
import { StateMovePlan } from "./state-moves/move-plan";
import { moveLines, movesJson } from "./state-moves/move-text";
import { checkProgramOnce } from "./type-check/type-check-once";
import { clusterWaveChecks } from "./waves/wave-checks";
import { parseWaveOptionFlags } from "./plan/wave-option-flags";

/** Runs the command; resolves to its exit code. */
export async function main(argv: readonly string[]): Promise<number> {
    let invocation: Invocation;
    let plan: RolloutPlan;
    let definition: FleetDefinition;
    try {
        invocation = parseArguments(argv);
        if (invocation.command === "report") return report(invocation);
        definition = loadFleetDefinition(path.resolve(invocation.fleet));
        const waves = parseWaveArguments(invocation.waves);
        const optionFlags = parseWaveOptionFlags(invocation.waveOptions ?? {});
        if (waves.problems.length + optionFlags.problems.length > 0) throw new PlanError("the waves are invalid", [...waves.problems, ...optionFlags.problems]);
        plan = planRollout(definition, waves.waves, invocation.stacks, optionFlags.flags);
    } catch (err) {
        return refuse(err);
    }
    const print = (text: string) => process.stdout.write(text);
    const json = (value: object) => print(JSON.stringify(value, null, 2) + "\n");
    // Every command that rolls out, or shows what a rollout does, knows the moves first: a stack that
    // cannot be read, or a cluster two stacks hold, is refused before anything else happens.
    let moves: StateMovePlan = NO_MOVES;
    if (["plan", "preview", "up", "move"].includes(invocation.command)) {
        try {
            moves = await plannedMoves(path.resolve(invocation.cwd), definition, plan, invocation.stacks, invocation.concurrency);
        } catch (err) {
            return refuse(err, true);
        }
    }
    if (invocation.command === "plan") {
        if (invocation.json) json({ ...planJson(plan), stateMoves: movesJson(moves) });
        else print(renderPlan(plan, moveLines(moves)));
        return EXIT.ok;
    }
    if (invocation.command === "explain") {
        try {
            return await explain(invocation, definition, plan, { workDir: path.resolve(invocation.cwd), print });
        } catch (err) {
            return refuse(err, true);
        }
    }

    const api: ClusterApi = new KubectlClusterApi();
    const clusters = clusterAccesses(definition, plan);
    if (invocation.command === "import") {
        const inFleetOrder = definition.clusters.filter((c) => clusters.has(c.name)).map((c) => clusters.get(c.name)!);
        return importConfigMap(invocation, definition, { api, clusters: inFleetOrder, workDir: path.resolve(invocation.cwd), print, error: (text) => process.stderr.write(text) });
    }
    if (invocation.command === "up" && !invocation.skipPreflight) {
        const refusal = await checkClusters(plan, definition, [...clusters.values()], api, invocation);
        if (refusal) {
            process.stderr.write(`fleet-rollout: error: ${refusal.join("\n")}\n`);
            return EXIT.usage;
        }
    }

    // After every cheaper refusal, before the first stack is selected: a program that does not type-check runs nowhere.
    const checkProgram = () => checkProgramOnce(path.resolve(invocation.cwd), plan.stacks.length, { progress: invocation.progress, error: (text) => process.stderr.write(text) });

    const config = stackConfig(definition, invocation.config);
    const shape = fleetShape(definition, config);
    const regions = regionOf(shape);
    const engine = new Engine({ workDir: path.resolve(invocation.cwd), config, refresh: invocation.refresh, regionOf: (c) => regions.get(c) ?? "" });
    const onSigint = () => {
        if (engine.interrupted()) {
            process.stderr.write("fleet-rollout: interrupted again; exiting now. Stacks still running finish their cancellation on their own.\n");
            process.exit(EXIT.interrupted);
        }
        process.stderr.write("fleet-rollout: interrupted; stopping running stacks cleanly and starting no others (Ctrl-C again to exit at once)\n");
        engine.interrupt();
    };
    process.on("SIGINT", onSigint);
    try {
        const options = { concurrency: invocation.concurrency, interrupted: () => engine.interrupted(), progress: invocation.progress };
        if (invocation.command === "drift") {
            try {
                return await drift(invocation, plan, { workDir: path.resolve(invocation.cwd), engine, options, print, error: (text) => process.stderr.write(text), shape, checkProgram });
            } catch (err) {
                return refuse(err, true);
            }
        }
        if (invocation.command === "move") return await move(invocation, plan, moves, engine, print, json);
        const checked = await checkProgram();
        if ("exit" in checked) return checked.exit;
        if (invocation.progress) process.stderr.write(`selecting ${plan.stacks.length} stacks\n`);
        try {
            await engine.prepare(plan.stacks, invocation.concurrency, checked.env);
        } catch (err) {
            process.stderr.write(`fleet-rollout: error: could not select the stacks; nothing was run: ${errorTail(err)}\n`);
            return EXIT.failed;
        }
        if (invocation.command === "preview") {
            const result = await previewAll(plan, engine.runner("preview"), options);
            const pending = moveLines(moves);
            if (pending.length > 0 && !invocation.json) {
                pending.push("until they are moved (`fleet-rollout move`, or `up` before it runs anything), their new stacks preview them as created: run `fleet-rollout move` first to preview what `up` will change", "");
            }
            if (invocation.json) json({ ...previewJson(result, shape), stateMoves: movesJson(moves) });
            else if (invocation.markdown) print(pending.join("\n") + renderPreviewMarkdown(result, shape));
            else print(pending.join("\n") + renderPreview(result, shape, { byCluster: invocation.byCluster }));
            return result.status === "succeeded" ? EXIT.ok : result.status === "interrupted" ? EXIT.interrupted : EXIT.failed;
        }
        const checks = clusterWaveChecks({
            api,
            clusters,
            ...(definition.namespaces ? { namespaces: definition.namespaces } : {}),
            concurrency: invocation.concurrency,
            fleetDirectory: path.dirname(path.resolve(invocation.fleet)),
            currentDirectory: process.cwd(),
        });
        const made = await makeMovesOrSay(path.resolve(invocation.cwd), moves, invocation.progress);
        if ("exit" in made) return made.exit;
        const result = await rollOut(plan, engine.runner("up"), options, checks);
        const movedLines = moveLines(made.moved, true);
        if (invocation.json) json({ ...rolloutJson(result), stateMoves: movesJson(made.moved) });
        else print([...movedLines, ...(movedLines.length ? [""] : [])].join("\n") + renderRollout(result, shape, { byCluster: invocation.byCluster }));
        return result.status === "succeeded" ? EXIT.ok : result.status === "interrupted" ? EXIT.interrupted : EXIT.failed;
    } finally {
        process.off("SIGINT", onSigint);
        engine.dispose();
    }
}

/**
 * `move`: makes the plan's moves and nothing else, so that a `preview` afterwards shows what `up` will
 * change, and so that CI jobs of single stacks (`up --stack`) find them made. Only the destination
 * stacks are created, when they do not exist yet. Exit 0 when every move was made (or none was needed).
 */
async function move(invocation: Invocation, plan: RolloutPlan, moves: StateMovePlan, engine: Engine, print: (text: string) => void, json: (value: object) => void): Promise<number> {
    const destinations = new Set(moves.moves.map((m) => m.to));
    try {
        await engine.prepare(plan.stacks.filter((s) => destinations.has(s.name)), invocation.concurrency);
    } catch (err) {
        process.stderr.write(`fleet-rollout: error: could not select the stacks; nothing was moved: ${errorTail(err)}\n`);
        return EXIT.failed;
    }
    const made = await makeMovesOrSay(path.resolve(invocation.cwd), moves, invocation.progress);
    if ("exit" in made) return made.exit;
    if (invocation.json) json({ command: "move", stateMoves: movesJson(made.moved) });
    else print((moveLines(made.moved, true).join("\n") || "nothing to move: every cluster is in its planned stack's state") + "\n");
    return EXIT.ok;
}

/**
 * Makes the moves (after the stacks were selected, before anything runs); on a refusal or a failure,
 * says so on stderr and gives the exit code instead: nothing has run then.
 */
async function makeMovesOrSay(workDir: string, moves: StateMovePlan, progress: boolean): Promise<{ moved: StateMovePlan } | { exit: number }> {
    try {
        const result = await makeMoves(workDir, moves, (line) => progress && process.stderr.write(`${line}\n`));
        const moved = { moves: result.moved, leftovers: result.removed, emptied: result.error ? [] : moves.emptied };
        if (result.error) {
            process.stderr.write(`fleet-rollout: error: ${result.error}\n${moveLines(moved, true).join("\n")}\n`);
            return { exit: EXIT.failed };
        }
        return { moved };
    } catch (err) {
        return { exit: refuse(err, true) };
    }
}

/**
 * The preflight of `up`: every cluster of the plan, `--concurrency` at a time, before anything is
 * changed (the stacks are not even selected yet). Resolves to the refusal's lines, or `undefined`
 * when every check passed.
 */
async function checkClusters(plan: RolloutPlan, definition: FleetDefinition, clusters: readonly ClusterAccess[], api: ClusterApi, invocation: Invocation): Promise<string[] | undefined> {
    const soaked = new Set(plan.waves.filter((w) => w.soakMs !== undefined).flatMap((w) => w.stacks.flatMap((s) => s.clusters.map((c) => c.name))));
    let done = 0;
    if (invocation.progress) process.stderr.write(`preflight: checking ${clusters.length} cluster${clusters.length === 1 ? "" : "s"}, ${invocation.concurrency} at a time\n`);
    const findings = await preflight(
        clusters,
        api,
        (c) => ({ ...(definition.namespaces ? { namespaces: definition.namespaces } : {}), soak: soaked.has(c.name) }),
        invocation.concurrency,
        (c, found) => {
            done++;
            // A line per failed cluster only: a thousand "ok" lines would bury them.
            const failed = found.filter((f) => !f.ok).map((f) => f.check);
            if (invocation.progress && failed.length) process.stderr.write(`preflight: ${done}/${clusters.length} ${c.name}: failed (${failed.join(", ")})\n`);
        },
    );
    const lines = preflightLines(findings, clusters.length);
    if (invocation.progress && lines.length === 0) process.stderr.write(`preflight: ${clusters.length} cluster${clusters.length === 1 ? "" : "s"} ready\n`);
    return lines.length > 0 ? lines : undefined;
}

/**
 * `report`: joins the preview documents of shard stacks into one review. Exit 0 when every stack of the
 * plan previewed, 1 when one failed or is missing, 2 when a part is refused (nothing is printed then).
 */
function report(invocation: Invocation): number {
    const parts = (invocation.parts ?? []).map((file) => {
        let text: string;
        try {
            text = fs.readFileSync(file, "utf8");
        } catch (err) {
            throw new PlanError("a preview document cannot be read", [{ field: file, message: `cannot be read: ${(err as Error).message}` }]);
        }
        try {
            return { file, document: JSON.parse(text) as unknown };
        } catch (err) {
            throw new PlanError("a preview document is not JSON", [{ field: file, message: `is not JSON: ${(err as Error).message}` }]);
        }
    });
    const joined = joinParts(parts);
    const extra = [missingLine(joined.missing)].filter((l): l is string => l !== undefined);
    if (invocation.json) process.stdout.write(JSON.stringify({ ...previewJson(joined.result, joined.shape), missingStacks: joined.missing }, null, 2) + "\n");
    else if (invocation.markdown) process.stdout.write(renderPreviewMarkdown(joined.result, joined.shape, { extra }));
    else process.stdout.write(renderPreview(joined.result, joined.shape, { byCluster: invocation.byCluster, extra }));
    return joined.result.status === "succeeded" && joined.missing.length === 0 ? EXIT.ok : EXIT.failed;
}

/**
 * Prints a refusal once, without a stack trace, and returns its exit code. Nothing has run. With
 * `backendErrors`, any other error (the backend could not be read) is printed the same way, exit 1.
 */
function refuse(err: unknown, backendErrors = false): number {
    if (err instanceof ArgumentsError) {
        if (err.exitCode !== 0 && !/^error:/.test(err.message)) process.stderr.write(`fleet-rollout: error: ${err.message}\n`);
        return err.exitCode;
    }
    if (err instanceof FleetDefinitionError) {
        process.stderr.write(`fleet-rollout: error: ${err.message}\nNothing was run.\n`);
        return EXIT.usage;
    }
    if (err instanceof PlanError) {
        // A thousand-cluster fleet can have a thousand problems of one kind; the first ten say what to fix.
        const shown = err.problems.slice(0, MAX_LISTED).map((p) => `  - ${formatProblem(p)}`);
        if (err.problems.length > MAX_LISTED) shown.push(`  - and ${err.problems.length - MAX_LISTED} more problems`);
        process.stderr.write(`fleet-rollout: error: ${err.what}; nothing was run:\n${shown.join("\n")}\n`);
        return EXIT.usage;
    }
    if (backendErrors) {
        process.stderr.write(`fleet-rollout: error: could not read the stacks' state; nothing was run: ${errorTail(err)}\n`);
        return EXIT.failed;
    }
    throw err;
}

if (require.main === module) {
    // The bin runs from dist/: in a checkout whose lib/ changed since the build, it refuses to run old code.
    const stale = staleBuild(__dirname);
    if (stale) {
        process.stderr.write(`fleet-rollout: error: ${stale}\nNothing was run.\n`);
        process.exitCode = EXIT.usage;
    } else main(process.argv.slice(2)).then(
        (code) => (process.exitCode = code),
        (err) => {
            process.stderr.write(`fleet-rollout: error: ${(err as Error).message ?? err}\n`);
            process.exitCode = EXIT.failed;
        },
    );
}
