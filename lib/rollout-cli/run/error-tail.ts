/**
 * The end of an Automation API error, on one line, for a refusal message: its last three lines hold
 * `pulumi`'s own reason, and the lines above them its command line and output.
 */
export function errorTail(err: unknown): string {
    return String((err as Error).message ?? err).trim().split("\n").slice(-3).join(" ");
}
