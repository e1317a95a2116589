import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import { AsyncLocalStorage } from "async_hooks";
import { createRolloutTransform } from "../../../lib/restart-wiring/rollout-transform";
import { currentProgramHost, inProgramContext, programHost } from "../../../lib/errors/program-host";

const CLI_MAIN = "/p/node_modules/@pulumi/pulumi/cmd/run/index.js";

describe("the program's host", () => {
    it("is the Pulumi CLI only in the CLI's own process, whatever store the code runs in", () => {
        assert.strictEqual(programHost({ main: CLI_MAIN, inRunStore: false, hasStack: true }), "cli");
        assert.strictEqual(programHost({ main: CLI_MAIN, inRunStore: true, hasStack: true }), "cli");
    });

    it("is an inline Automation API program in a run store of the SDK's that runs a whole stack", () => {
        assert.strictEqual(programHost({ main: "/p/deploy.js", inRunStore: true, hasStack: true }), "inline");
    });

    it("is a component provider in a run store with no Stack of its own (a construct call)", () => {
        assert.strictEqual(programHost({ main: "/p/provider/index.js", inRunStore: true, hasStack: false }), "provider");
    });

    it("is none that the package can tell outside a run store: the SDK's mocks, a plain script", () => {
        assert.strictEqual(programHost({ main: "/p/deploy.js", inRunStore: false, hasStack: false }), "none");
        assert.strictEqual(programHost({ main: undefined, inRunStore: false, hasStack: true }), "none");
        assert.strictEqual(currentProgramHost(), "none", "mocha is none of the hosts");
    });
});

describe("the rollout transform's context", () => {
    it("is the program's, although the SDK calls the transform from its callback server", async () => {
        // A store of our own stands for the SDK's run store: a bound function sees every async-local store.
        const run = new AsyncLocalStorage<string>();
        const seen: (string | undefined)[] = [];
        const transform = run.run("program", () =>
            createRolloutTransform({
                get providers() {
                    seen.push(run.getStore());
                    return {};
                },
                target: () => undefined,
            }),
        );
        const provider = { urn: pulumi.output("urn:pulumi:s::p::pulumi:providers:kubernetes::a") } as unknown as pulumi.ProviderResource;
        await transform({ type: "kubernetes:apps/v1:Deployment", name: "w", custom: true, props: {}, opts: { provider } });
        assert.deepStrictEqual(seen, ["program"], "pulumi.log finds the program run's engine only in its store");
        assert.strictEqual(run.run("program", () => inProgramContext(() => run.getStore()))(), "program");
    });
});
