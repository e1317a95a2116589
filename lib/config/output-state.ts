/**
 * What an Output holds, asked without waiting for it to become known. The SDK keeps whether an Output is
 * known, and its value, on the Output; there is no public accessor that tells "unknown" apart from "not
 * resolved yet", which checks made at preview need.
 */
import * as pulumi from "@pulumi/pulumi";

/** Resolves to whether `output`'s value is known (false at preview for a value computed by the engine). */
export function isKnown(output: pulumi.Output<unknown>): Promise<boolean> {
    return (output as unknown as { isKnown: Promise<boolean> }).isKnown;
}

/** `output`'s value once resolved (undefined at preview while it is unknown). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T> {
    return (output as unknown as { promise(): Promise<T> }).promise();
}
