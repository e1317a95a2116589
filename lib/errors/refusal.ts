/**
 * How the rollout transform refuses a workload. By the time the engine hands a workload to the transform,
 * its registration is on its way: the engine creates or updates it as soon as the transform returns. A
 * transform that throws, or that returns a rejecting Output, makes the SDK print "transform failed" with
 * a JavaScript stack trace on top of the package's own error. So under the Pulumi CLI a refused workload
 * is held in the transform while the package's error is reported once (printed without a stack, as for
 * any other refusal), and the program then ends with the SDK's own "error already reported" exit code:
 * the engine never receives the workload, and stops as for any failed program.
 *
 * Any other host runs the program in a process that is not ours to end (see `program-host.ts`). There a
 * workload is refused before the engine sees it (`registration-gate.ts`, in an inline program), and what
 * still reaches the transform refused, such as a workload whose provider the gate could not tell, fails
 * the transform: the engine does not create it, at the cost of the SDK's "transform failed" message.
 */
import * as pulumi from "@pulumi/pulumi";
import { currentProgramHost, ProgramHost } from "./program-host";

export { runsUnderPulumiCli } from "./program-host";

/** The exit code of a Pulumi Node.js program that has already reported its error (the SDK's `cmd/run`). */
export const ERROR_ALREADY_REPORTED = 32;

/**
 * Holds a refused workload for good, and reports `error`. The SDK reports an error object once however
 * often it is raised, so the error of a refused FleetConfigMap, which also stops its ConfigMaps, is
 * printed once.
 */
export async function refuseRegistration(error: Error, host: ProgramHost = currentProgramHost()): Promise<never> {
    // Unhandled on purpose: the SDK's handler prints a ResourceError without its stack, and makes the
    // program fail.
    void Promise.reject(error);
    if (!endsProgramOnRefusal(host)) throw error;
    await reported();
    process.exit(ERROR_ALREADY_REPORTED);
}

/** Whether a refused workload ends the program on `host`: only the Pulumi CLI's process is ours to end. */
export function endsProgramOnRefusal(host: ProgramHost): boolean {
    return host === "cli";
}

/** Resolves once every error reported so far has reached the engine. */
async function reported(): Promise<void> {
    // The SDK reports an unhandled rejection from a handler that runs after the current job; its log
    // call joins the SDK's serial log queue, so a message queued after it is delivered after it.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    await pulumi.log.debug("fleet-configmap: a workload was refused; ending the program");
}
