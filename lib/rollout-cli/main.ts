#!/usr/bin/env node
/**
 * `fleet-rollout`: previews and rolls out the shard stacks of one Pulumi program over a fleet, in
 * waves, explains where a FleetConfigMap's values come from, and finds drift. A thin layer: parse the
 * arguments (arguments.ts), build the plan (plan.ts, pure), run it through the Automation API (run.ts,
 * engine.ts) and print the result (render.ts); `explain` and `drift` live in explain-command.ts and
 * drift-command.ts.
 */
import * as path from "path";
import { FleetDefinition, FleetDefinitionError, loadFleetDefinition } from "../fleet-definition";
import { formatProblem } from "../problems";
import { ArgumentsError, Invocation, parseArguments } from "./arguments";
import { drift } from "./drift-command";
import { Engine } from "./engine";
import { explain } from "./explain-command";
import { errorTail } from "./error-tail";
import { EXIT } from "./exit-codes";
import { parseWaveArguments, PlanError, planRollout, RolloutPlan } from "./plan";
import { previewJson, renderPreview, renderRollout, rolloutJson } from "./render";
import { planJson, renderPlan } from "./render-plan";
import { previewAll, rollOut } from "./run";

/** Runs the command; resolves to its exit code. */
export async function main(argv: readonly string[]): Promise<number> {
    let invocation: Invocation;
    let plan: RolloutPlan;
    let definition: FleetDefinition;
    try {
        invocation = parseArguments(argv);
        definition = loadFleetDefinition(path.resolve(invocation.fleet));
        const waves = parseWaveArguments(invocation.waves);
        if (waves.problems.length > 0) throw new PlanError("the waves are invalid", waves.problems);
        plan = planRollout(definition, waves.waves, invocation.stacks);
    } catch (err) {
        return refuse(err);
    }
    const print = (text: string) => process.stdout.write(text);
    const json = (value: object) => print(JSON.stringify(value, null, 2) + "\n");
    if (invocation.command === "plan") {
        if (invocation.json) json(planJson(plan));
        else print(renderPlan(plan));
        return EXIT.ok;
    }
    if (invocation.command === "explain") {
        try {
            return await explain(invocation, definition, plan, { workDir: path.resolve(invocation.cwd), print });
        } catch (err) {
            return refuse(err, true);
        }
    }

    const engine = new Engine({ workDir: path.resolve(invocation.cwd), config: invocation.config, refresh: invocation.refresh });
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
                return await drift(invocation, plan, { workDir: path.resolve(invocation.cwd), engine, options, print, error: (text) => process.stderr.write(text) });
            } catch (err) {
                return refuse(err, true);
            }
        }
        if (invocation.progress) process.stderr.write(`selecting ${plan.stacks.length} stacks and writing their config\n`);
        try {
            await engine.prepare(plan.stacks, invocation.concurrency);
        } catch (err) {
            process.stderr.write(`fleet-rollout: error: could not select the stacks; nothing was run: ${errorTail(err)}\n`);
            return EXIT.failed;
        }
        if (invocation.command === "preview") {
            const result = await previewAll(plan, engine.runner("preview"), options);
            if (invocation.json) json(previewJson(result));
            else print(renderPreview(result));
            return result.status === "succeeded" ? EXIT.ok : result.status === "interrupted" ? EXIT.interrupted : EXIT.failed;
        }
        const result = await rollOut(plan, engine.runner("up"), options);
        if (invocation.json) json(rolloutJson(result));
        else print(renderRollout(result));
        return result.status === "succeeded" ? EXIT.ok : result.status === "interrupted" ? EXIT.interrupted : EXIT.failed;
    } finally {
        process.off("SIGINT", onSigint);
    }
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
        process.stderr.write(`fleet-rollout: error: ${err.what}; nothing was run:\n${err.problems.map((p) => `  - ${formatProblem(p)}`).join("\n")}\n`);
        return EXIT.usage;
    }
    if (backendErrors) {
        process.stderr.write(`fleet-rollout: error: could not read the stacks' state; nothing was run: ${errorTail(err)}\n`);
        return EXIT.failed;
    }
    throw err;
}

if (require.main === module) {
    main(process.argv.slice(2)).then(
        (code) => (process.exitCode = code),
        (err) => {
            process.stderr.write(`fleet-rollout: error: ${(err as Error).message ?? err}\n`);
            process.exitCode = EXIT.failed;
        },
    );
}
