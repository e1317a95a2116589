import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { fileBackendLocks } from "../../../../lib/rollout-cli/state-moves/stack-states";

describe("stack locks on a file backend", () => {
    it("names the stacks a lock file is held for, in the project layout and the older one, and no other", () => {
        const backend = fs.mkdtempSync(path.join(os.tmpdir(), "locks-"));
        try {
            const lock = (...parts: string[]) => {
                fs.mkdirSync(path.join(backend, ".pulumi", "locks", ...parts), { recursive: true });
                fs.writeFileSync(path.join(backend, ".pulumi", "locks", ...parts, "1234.json"), "{}");
            };
            lock("organization", "shop", "shard-1-of-2");
            lock("legacy");
            fs.mkdirSync(path.join(backend, ".pulumi", "locks", "organization", "shop", "shard-2-of-2"), { recursive: true });
            assert.deepStrictEqual(fileBackendLocks(backend, "shop", ["shard-1-of-2", "shard-2-of-2", "legacy", "shard-1-of-3"]), ["shard-1-of-2", "legacy"]);
            assert.deepStrictEqual(fileBackendLocks(backend, "other", ["shard-1-of-2"]), [], "another project's lock is not this stack's");
        } finally {
            fs.rmSync(backend, { recursive: true, force: true });
        }
    });
});
