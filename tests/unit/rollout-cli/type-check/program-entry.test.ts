import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { isTypeScriptProgram, typeScriptProgram } from "../../../../lib/rollout-cli/type-check/program-entry";

/** A project directory with `files` (path → content) written into it. */
function project(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "program-entry-"));
    for (const [file, content] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
        fs.writeFileSync(path.join(dir, file), content);
    }
    return dir;
}

describe("the entry of a Pulumi Node.js program, as the language host finds it", () => {
    it("is index.ts by default, with the tsconfig beside Pulumi.yaml", () => {
        const dir = project({ "Pulumi.yaml": "name: p\nruntime: nodejs\n", "index.ts": "" });
        assert.deepStrictEqual(typeScriptProgram(dir, {}), { workDir: dir, entry: path.join(dir, "index.ts"), tsconfig: path.join(dir, "tsconfig.json") });
    });

    it("follows Pulumi.yaml's main to a directory and its package.json main, and PULUMI_NODEJS_TSCONFIG_PATH", () => {
        const dir = project({
            "Pulumi.yaml": "name: p\nruntime: { name: nodejs, options: { typescript: true } }\nmain: app/\n",
            "app/package.json": JSON.stringify({ main: "src/program.ts" }),
            "app/src/program.ts": "",
            "app/index.ts": "",
        });
        const found = typeScriptProgram(dir, { PULUMI_NODEJS_TSCONFIG_PATH: "tsconfig.pulumi.json" });
        assert.ok(isTypeScriptProgram(found));
        assert.strictEqual(found.entry, path.join(dir, "app/src/program.ts"));
        assert.strictEqual(found.tsconfig, path.join(dir, "tsconfig.pulumi.json"));
    });

    it("takes package.json's exports before its main, and a main file named without its extension", () => {
        const dir = project({ "Pulumi.yaml": "name: p\nruntime: nodejs\n", "package.json": JSON.stringify({ exports: { ".": { default: "./main" } }, main: "other.ts" }), "main.ts": "", "other.ts": "" });
        const found = typeScriptProgram(dir, {});
        assert.ok(isTypeScriptProgram(found));
        assert.strictEqual(found.entry, path.join(dir, "main.ts"));
    });

    it("leaves out what the language host does not type-check, saying why", () => {
        const cases: [Record<string, string>, RegExp][] = [
            [{ "Pulumi.yaml": "name: p\nruntime: python\n" }, /runtime is "python", not nodejs/],
            [{ "Pulumi.yaml": "name: p\nruntime: { name: nodejs, options: { typescript: false } }\n", "index.ts": "" }, /typescript: false/],
            [{ "Pulumi.yaml": "name: p\nruntime: nodejs\n", "index.js": "" }, /starts from JavaScript \(index\.js\)/],
            [{ "Pulumi.yaml": "name: p\nruntime: nodejs\nmain: missing/\n" }, /no entry file/],
            [{ "index.ts": "" }, /no Pulumi\.yaml/],
        ];
        for (const [files, reason] of cases) {
            const found = typeScriptProgram(project(files), {});
            assert.ok(!isTypeScriptProgram(found), JSON.stringify(files));
            assert.match(found.reason, reason);
        }
    });
});
