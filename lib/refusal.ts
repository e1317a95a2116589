/**
 * How the rollout transform refuses a workload. By the time the engine hands a workload to the transform,
 * its registration is on its way: the engine creates or updates it as soon as the transform returns. A
 * transform that throws, or that returns a rejecting Output, makes the SDK print "transform failed" with
 * a JavaScript stack trace on top of the package's own error. So a refused workload is held in the
 * transform while the package's error is reported once (a `ResourceError`, printed without a stack, as
 * for any other refusal), and the program then ends with the SDK's own "error already reported" exit
 * code: the engine never receives the workload, and stops as for any failed program.
 */
import * as pulumi from "@pulumi/pulumi";
import { runsUnderPulumiCli } from "./program-host";

export { runsUnderPulumiCli } from "./program-host";

/** The exit code of a Pulumi Node.js program that has already reported its error (the SDK's `cmd/run`). */
export const ERROR_ALREADY_REPORTED = 32;

/**
 * Holds a refused workload for good, and reports `error`. The SDK reports an error object once however
 * often it is raised, so the error of a refused FleetConfigMap, which also stops its ConfigMaps, is
 * printed once.
 */
export async function refuseRegistration(error: Error): Promise<never> {
    // Unhandled on purpose: the SDK's handler prints a ResourceError without its stack, and makes the
    // program fail.
    void Promise.reject(error);
    if (!runsUnderPulumiCli()) {
        // An inline Automation API program shares its process with the caller, which must not be ended.
        // Failing the transform still keeps the engine from creating the workload, at the cost of the
        // SDK's "transform failed" message.
        throw error;
    }
    await reported();
    process.exit(ERROR_ALREADY_REPORTED);
}

/** Resolves once every error reported so far has reached the engine. */
async function reported(): Promise<void> {
    // The SDK reports an unhandled rejection from a handler that runs after the current job; its log
    // call joins the SDK's serial log queue, so a message queued after it is delivered after it.
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setImmediate(resolve));
    await pulumi.log.debug("fleet-configmap: a workload was refused; ending the program");
}
