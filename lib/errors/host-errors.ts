/**
 * The package's errors in the form each Pulumi host prints exactly once, without a JavaScript stack.
 *
 * The CLI (`cmd/run`) and the provider host print a `ResourceError` with `hideStack` as its message, once
 * per error object. The inline Automation API host (`automation/server`, SDK 3.276.0) prints every
 * `ResourceError` or `RunError` that reaches it as an error diagnostic, and then fails the run with a
 * second one, "One or more errors occurred: <message>", that repeats it: every failed inline program
 * prints its error twice, whatever it throws. The only errors that host counts towards the run's failure
 * without printing them are those that carry gRPC's CANCELLED or UNAVAILABLE code, which the SDK gives
 * to an engine that is going away and has already said why (`errors.isGrpcError`). So in an inline
 * program the package's error carries CANCELLED: the run still fails, and its error is printed once, as
 * "One or more errors occurred: <message>".
 */
import * as pulumi from "@pulumi/pulumi";
import { ProgramHost } from "./program-host";

/** gRPC's status code CANCELLED. */
export const GRPC_CANCELLED = 1;

/**
 * An error whose message is `message`, in the form `host` prints once and without a stack: a
 * `ResourceError` with `hideStack` (naming `resource`, where the host attaches the message to it), or in
 * an inline program a plain `Error` with code CANCELLED.
 *
 * Its message is fixed: the SDK prefixes `error serializing property "x": ` to an error's message each
 * time it passes through an input, and one refusal passes through every cluster's ConfigMap, so the
 * prefixes would pile up in the one message printed. Its `stack` is its message: once the program's top
 * level has finished, the SDK prints a late error's `stack` whatever `hideStack` says.
 */
export function errorForHost(message: string, resource: pulumi.Resource | undefined, host: ProgramHost): Error {
    const error = host === "inline" ? Object.assign(new Error(message), { code: GRPC_CANCELLED }) : new pulumi.ResourceError(message, resource, true);
    Object.defineProperty(error, "message", { get: () => message, set: () => undefined, enumerable: false, configurable: true });
    Object.defineProperty(error, "stack", { get: () => message, set: () => undefined, enumerable: false, configurable: true });
    return error;
}
