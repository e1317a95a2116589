import * as pulumi from "@pulumi/pulumi";
import { isGrpcError } from "@pulumi/pulumi/errors";
import * as assert from "assert";
import { errorForHost } from "../../../lib/errors/host-errors";

const MESSAGE = 'FleetConfigMap "x" has invalid arguments; nothing was changed:\n  - `data.A` (cluster "c"): is a Pulumi secret';

describe("the package's errors, in the form each host prints once", () => {
    it("are ResourceErrors without a stack under the CLI, in a component provider and on mocks", () => {
        const owner = new pulumi.DependencyResource("urn:pulumi:s::p::fleet:index:FleetConfigMap::x");
        for (const host of ["cli", "provider", "none"] as const) {
            const error = errorForHost(MESSAGE, owner, host);
            assert.ok(pulumi.ResourceError.isInstance(error) && error.hideStack, host);
            assert.strictEqual((error as pulumi.ResourceError).resource, owner, `${host}: attached to the component`);
        }
    });

    it("in an inline program, are what the SDK's inline host counts towards the run's failure without printing it a second time", () => {
        const error = errorForHost(MESSAGE, undefined, "inline");
        // automation/server.js prints a ResourceError or RunError on top of its "One or more errors occurred";
        // an error with a gRPC CANCELLED or UNAVAILABLE code only in the latter.
        assert.ok(!pulumi.ResourceError.isInstance(error) && !pulumi.RunError.isInstance(error), "not printed by the inline host's handler");
        assert.ok(isGrpcError(error), "counted, unprinted, by the inline host");
    });

    it("keep their message through the SDK's property prefixes, and show no stack when printed late", () => {
        for (const host of ["cli", "inline"] as const) {
            const error = errorForHost(MESSAGE, undefined, host);
            error.message = `error serializing property "data": ${error.message}`;
            assert.strictEqual(error.message, MESSAGE, host);
            assert.strictEqual(error.stack, MESSAGE, `${host}: no "at" frames`);
        }
    });
});
