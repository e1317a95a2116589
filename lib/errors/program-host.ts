/**
 * Which Pulumi host runs the program this package is part of. The package reports a refusal once and
 * stops the engine from receiving what it refused; how it does that depends on the host, because each
 * host handles a failed program its own way:
 *
 * - the Pulumi CLI runs the program in a process of its own (`@pulumi/pulumi/cmd/run`), which the
 *   package may end once its error is reported;
 * - an inline Automation API program (`LocalWorkspace` with `program:`) runs in its caller's process,
 *   served by the SDK's `automation/server`;
 * - a component provider (`componentProviderHost`) runs each `construct` in the provider's process,
 *   served by the SDK's `provider/server`.
 *
 * The inline host and the provider host both run the program inside an async-local store of the SDK's,
 * which holds that run's connection to the engine; only the inline host runs a whole program there, under
 * a root Stack resource. (Both servers are loaded in every process that loads `@pulumi/pulumi`, so which
 * modules are loaded tells nothing.)
 */
import * as pulumi from "@pulumi/pulumi";
import { AsyncResource } from "async_hooks";

/**
 * - `"cli"`: the Pulumi CLI's own process, ours to end.
 * - `"inline"`: an inline Automation API program, in its caller's process.
 * - `"provider"`: a component provider's `construct`, in the provider's process.
 * - `"none"`: no engine-connected host that the package can tell (unit tests on mocks, say).
 */
export type ProgramHost = "cli" | "inline" | "provider" | "none";

/** What {@link programHost} decides from, read from the process by {@link currentProgramHost}. */
export interface HostFacts {
    /** The process's main module (`require.main.filename`). */
    readonly main?: string;
    /** Whether the code runs inside the SDK's async-local store of one program run. */
    readonly inRunStore: boolean;
    /** Whether the run has a root Stack resource (`pulumi.runtime.getStackResource()`). */
    readonly hasStack: boolean;
}

/** Decides the host from what the process shows. */
export function programHost(facts: HostFacts): ProgramHost {
    if (runsUnderPulumiCli(facts.main)) return "cli";
    // Outside a run store, no engine-connected host runs this code: the SDK's mocks, or a plain script.
    if (!facts.inRunStore) return "none";
    // A provider's construct registers its component under the caller's resources, with no Stack of its own.
    return facts.hasStack ? "inline" : "provider";
}

/** The host of the code that calls it. */
export function currentProgramHost(): ProgramHost {
    return programHost({
        main: require.main?.filename,
        inRunStore: (globalThis as { asyncLocalStorage?: { getStore(): unknown } }).asyncLocalStorage?.getStore() !== undefined,
        hasStack: pulumi.runtime.getStackResource() !== undefined,
    });
}

/** Whether this process is a program run by the Pulumi CLI (`@pulumi/pulumi/cmd/run`), which is ours to end. */
export function runsUnderPulumiCli(main: string | undefined = require.main?.filename): boolean {
    return main !== undefined && /[\\/]@pulumi[\\/]pulumi[\\/]cmd[\\/]run[\\/]index\.js$/.test(main);
}

/**
 * `f`, made to run in the async context of the code that calls `inProgramContext`. The SDK calls a
 * resource transform from its callback server, outside the async-local store of the program run that
 * registered it: there `pulumi.log` finds no engine (an inline program's warnings would go to the
 * caller's console) and the package could not tell its host. Made in the program, the transform runs
 * with that run's store, as the program's own code does.
 */
export function inProgramContext<F extends (...args: any[]) => unknown>(f: F): F {
    return AsyncResource.bind(f);
}
