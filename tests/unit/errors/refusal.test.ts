import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import { packageError } from "../../../lib/errors/problems";
import { endsProgramOnRefusal, runsUnderPulumiCli } from "../../../lib/errors/refusal";

describe("refusing a workload", () => {
    it("ends only a program the Pulumi CLI runs, never a process that embeds the Automation API", () => {
        assert.strictEqual(runsUnderPulumiCli("/p/node_modules/@pulumi/pulumi/cmd/run/index.js"), true);
        assert.strictEqual(runsUnderPulumiCli("C:\\p\\node_modules\\@pulumi\\pulumi\\cmd\\run\\index.js"), true);
        assert.strictEqual(runsUnderPulumiCli("/p/deploy.js"), false, "an inline Automation API program runs in its caller's process");
        assert.strictEqual(runsUnderPulumiCli(undefined), false);
        assert.strictEqual(runsUnderPulumiCli(), false, "mocha is not the Pulumi CLI");
    });

    it("never ends an inline program's or a component provider's process: they are shared", () => {
        assert.strictEqual(endsProgramOnRefusal("cli"), true);
        assert.strictEqual(endsProgramOnRefusal("inline"), false, "the caller of the Automation API lives on");
        assert.strictEqual(endsProgramOnRefusal("provider"), false, "the provider serves other constructs");
        assert.strictEqual(endsProgramOnRefusal("none"), false);
    });
});

describe("the package's errors", () => {
    it("are ResourceErrors printed without a stack, whose message the SDK's prefixes do not pile onto", () => {
        const error = packageError('FleetConfigMap "x" has invalid arguments; nothing was changed');
        assert.ok(pulumi.ResourceError.isInstance(error) && error.hideStack);
        // What the SDK does each time the error passes through an input of a resource.
        error.message = `error serializing property "data": ${error.message}`;
        error.message = `error serializing property "data": ${error.message}`;
        assert.strictEqual(error.message, 'FleetConfigMap "x" has invalid arguments; nothing was changed');
        assert.strictEqual(error.stack, error.message, "a late error is printed by its stack: no trace in it");
    });
});
