import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";

const ROOT = path.resolve(__dirname, "../..");

// The engine loads the provider plugin of exactly the version @pulumi/kubernetes asks for; a bump on
// one side only would leave every stack without its provider.
describe("toolchain/versions.env", () => {
    const versions = Object.fromEntries(
        fs
            .readFileSync(path.join(ROOT, "toolchain/versions.env"), "utf8")
            .split("\n")
            .filter((line) => /^[A-Z_]+=/.test(line))
            .map((line) => line.split("=") as [string, string]),
    );
    const lock = JSON.parse(fs.readFileSync(path.join(ROOT, "package-lock.json"), "utf8"));

    it("builds the Kubernetes provider of the version the installed @pulumi/kubernetes requests", () => {
        assert.strictEqual(versions.PULUMI_KUBERNETES_VERSION, lock.packages["node_modules/@pulumi/kubernetes"].version);
    });

    it("builds the Pulumi CLI of the version of the installed @pulumi/pulumi", () => {
        assert.strictEqual(versions.PULUMI_VERSION, lock.packages["node_modules/@pulumi/pulumi"].version);
    });

    // The Go example runs on the same engine and provider: its SDKs must ask for the same versions.
    it("pins the Go example's Pulumi and Kubernetes Go SDKs to the CLI's and the provider's versions", () => {
        const goMod = fs.readFileSync(path.join(ROOT, "examples/go-fleet/go.mod"), "utf8");
        const required = (module: string) => goMod.match(new RegExp(`^\\s+${module.replace(/\./g, "\\.")} (v\\S+)`, "m"))?.[1];
        assert.strictEqual(required("github.com/pulumi/pulumi/sdk/v3"), `v${versions.PULUMI_VERSION}`);
        assert.strictEqual(required("github.com/pulumi/pulumi-kubernetes/sdk/v4"), `v${versions.PULUMI_KUBERNETES_VERSION}`);
    });
});
