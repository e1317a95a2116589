import * as pulumi from "@pulumi/pulumi";
import { staleBuild } from "./stale-build";

/**
 * Stops a Pulumi program (or anything else) that loads the package's compiled entry point while its
 * build is stale ({@link staleBuild}), before any resource is registered: a `RunError`, which the
 * language host prints once, without a stack trace.
 */
export function refuseStaleBuild(compiledDir: string): void {
    const refusal = staleBuildRefusal(compiledDir);
    if (refusal) throw new pulumi.RunError(refusal);
}

/**
 * Why the package's compiled build in `compiledDir` must not run ({@link staleBuild}), named as the
 * package's, as the user reads it; undefined when it is current.
 */
export function staleBuildRefusal(compiledDir: string): string | undefined {
    const reason = staleBuild(compiledDir);
    return reason && `@fleet/configmap: ${reason}`;
}
