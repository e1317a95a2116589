import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { TRANSPILE_ONLY, typeCheckOnce, typeCheckProgress, typeCheckRefusal } from "../../../../lib/rollout-cli/type-check/type-check-once";

const ROOT = path.resolve(__dirname, "../../../..");

/**
 * A program in a directory of its own inside the repository, so that it resolves the repository's
 * @pulumi/pulumi, ts-node and TypeScript as a user's program resolves its own.
 */
function program(index: string): string {
    const dir = fs.mkdtempSync(path.join(ROOT, ".tmp-type-check-"));
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: checked\nruntime: nodejs\n");
    fs.writeFileSync(path.join(dir, "index.ts"), index);
    fs.writeFileSync(path.join(dir, "helper.ts"), 'export const greeting: string = "hello";\n');
    return dir;
}

describe("one type-check of the program per run (real TypeScript, through the program's own ts-node)", function () {
    this.timeout(120_000);
    const made: string[] = [];
    after(() => made.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

    it("passes a program that type-checks, and runs its stacks with the language host's transpile-only switch", async () => {
        const dir = program('import * as pulumi from "@pulumi/pulumi";\nimport { greeting } from "./helper";\nexport const out: pulumi.Output<string> = pulumi.output(greeting);\n');
        made.push(dir);
        const outcome = await typeCheckOnce(dir, {});
        assert.strictEqual(outcome.status, "passed", JSON.stringify(outcome));
        if (outcome.status !== "passed") return;
        assert.deepStrictEqual(outcome.env, { [TRANSPILE_ONLY]: "true" });
        assert.strictEqual(outcome.files, 2, "index.ts and helper.ts, not @pulumi/pulumi's declarations");
    });

    it("refuses a program with a type error in a file it imports, naming file, line and error", async () => {
        const dir = program('import { greeting } from "./helper";\nconst n: number = greeting;\nexport const out = n;\n');
        made.push(dir);
        const outcome = await typeCheckOnce(dir, {});
        assert.strictEqual(outcome.status, "failed", JSON.stringify(outcome));
        if (outcome.status !== "failed") return;
        assert.deepStrictEqual(outcome.errors, ["index.ts(2,7): error TS2322: Type 'string' is not assignable to type 'number'."]);
    });

    it("leaves the check to the stacks when the user set the switch, either way", async () => {
        for (const value of ["true", "false"]) {
            const outcome = await typeCheckOnce(ROOT, { [TRANSPILE_ONLY]: value });
            assert.deepStrictEqual(outcome, { status: "skipped", reason: `${TRANSPILE_ONLY}=${value} is set, so the stacks compile the program as it says`, env: {} });
        }
    });

    it("says what it did, and bounds a long list of errors", () => {
        assert.strictEqual(typeCheckProgress({ status: "passed", files: 28, elapsedMs: 6240, env: {} }, 6), "type-checked the program once (28 files, 6.2 s); its 6 stacks compile it without checking again");
        const errors = Array.from({ length: 13 }, (_, i) => `index.ts(${i + 1},1): error TS2304: Cannot find name 'x${i}'.`);
        const text = typeCheckRefusal(errors);
        assert.match(text, /^the program does not type-check \(13 errors\); nothing was run:\n/);
        assert.strictEqual(text.split("\n").length, 1 + 10 + 1);
        assert.match(text, /\n {2}and 3 more$/);
    });
});
