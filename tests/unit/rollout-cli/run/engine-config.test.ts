import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse as parseYaml } from "yaml";
import { parseFleetDefinition, stackConfig } from "../../../../lib/fleet/fleet-definition";
import { Engine } from "../../../../lib/rollout-cli/run/engine";

const stack = { name: "eu", selector: "region:eu", clusters: [{ name: "eu-west-1", region: "eu" }] };

function project(settings?: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "engine-config-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: shop\nruntime: nodejs\n");
    if (settings !== undefined) fs.writeFileSync(path.join(dir, "Pulumi.eu.yaml"), settings);
    return dir;
}

describe("the config each stack runs with", () => {
    it("is the fleet file's config, as strings, with preview --config over it", () => {
        const definition = parseFleetDefinition("clusters: [{ name: a, region: x }]\nconfig: { logLevel: info, replicas: 3, debug: false, 'kubernetes:namespace': shop }\n");
        assert.deepStrictEqual(stackConfig(definition, { logLevel: "warn" }), { logLevel: "warn", replicas: "3", debug: "false", "kubernetes:namespace": "shop" });
        assert.throws(() => parseFleetDefinition("clusters: [{ name: a, region: x }]\nconfig: { nested: { a: 1 } }\n"), /`config\.nested`: must be a string, a number or true\/false/);
    });

    it("is handed to a run in a file of its own: the stack's selector and the fleet's config over the stack's settings, which stay as they were", () => {
        const settings = "encryptionsalt: v1:abc\nconfig:\n  shop:token:\n    secure: v1:ciphertext\n  shop:logLevel: debug\n  shop:fleetSelection: region:us\n";
        const dir = project(settings);
        const engine = new Engine({ workDir: dir, config: { logLevel: "info", "kubernetes:context": "ctx" }, refresh: false });
        const file = engine.configFile(stack);
        try {
            assert.notStrictEqual(path.dirname(file), dir);
            assert.deepStrictEqual(parseYaml(fs.readFileSync(file, "utf8")), {
                encryptionsalt: "v1:abc",
                config: { "shop:token": { secure: "v1:ciphertext" }, "shop:logLevel": "info", "shop:fleetSelection": "region:eu", "kubernetes:context": "ctx" },
            });
            assert.strictEqual(fs.readFileSync(path.join(dir, "Pulumi.eu.yaml"), "utf8"), settings, "the stack's own settings file is not written");
        } finally {
            engine.dispose();
        }
        assert.ok(!fs.existsSync(file), "the temporary file is removed");
    });

    it("needs no settings file: a fresh checkout runs the same config", () => {
        const engine = new Engine({ workDir: project(), config: { logLevel: "info" }, refresh: false });
        try {
            assert.deepStrictEqual(parseYaml(fs.readFileSync(engine.configFile(stack), "utf8")), { config: { "shop:fleetSelection": "region:eu", "shop:logLevel": "info" } });
        } finally {
            engine.dispose();
        }
    });
});
