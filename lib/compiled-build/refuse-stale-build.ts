import * as pulumi from "@pulumi/pulumi";
import { staleBuild } from "./stale-build";

/**
 * Stops a Pulumi program (or anything else) that loads the package's compiled entry point while its
 * build is stale ({@link staleBuild}), before any resource is registered: a `RunError`, which the
 * language host prints once, without a stack trace.
 */
export function refuseStaleBuild(compiledDir: string): void {
    const reason = staleBuild(compiledDir);
    if (reason) throw new pulumi.RunError(`@fleet/configmap: ${reason}`);
}
