import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { EXIT } from "../../../lib/rollout-cli/exit-codes";
import { main } from "../../../lib/rollout-cli/main";

/**
 * `explain` and `drift` refuse wrong arguments before they touch any backend. The program directory
 * given does not exist, so anything that ran (a `pulumi stack ls`, a preview) would fail with exit 1,
 * not the refusal's exit 2.
 */
const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wrong-arguments-"));
const fleet = path.join(dir, "fleet.yaml");
fs.writeFileSync(fleet, "clusters:\n  - { name: us-east-1, region: us }\n  - { name: eu-west-1, region: eu }\n  - { name: eu-central-1, region: eu }\n");
const NOWHERE = path.join(dir, "no-such-program");

async function cli(...argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    let stdout = "";
    let stderr = "";
    const out = process.stdout.write;
    const err = process.stderr.write;
    process.stdout.write = ((s: string) => ((stdout += s), true)) as typeof process.stdout.write;
    process.stderr.write = ((s: string) => ((stderr += s), true)) as typeof process.stderr.write;
    try {
        const code = await main([...argv, "-f", fleet, "-C", NOWHERE, "--json"]);
        return { code, stdout, stderr };
    } finally {
        process.stdout.write = out;
        process.stderr.write = err;
    }
}

describe("explain and drift refuse wrong arguments before anything runs", () => {
    it("explain: an unknown cluster is named with the fleet's clusters", async () => {
        const r = await cli("explain", "app-config", "--cluster", "eu-centrl-1");
        assert.strictEqual(r.code, EXIT.usage);
        assert.strictEqual(r.stdout, "");
        assert.strictEqual(
            r.stderr,
            'fleet-rollout: error: there is nothing to explain; nothing was run:\n  - `--cluster` (cluster "eu-centrl-1"): the fleet has no cluster "eu-centrl-1"; its clusters are "us-east-1", "eu-west-1", "eu-central-1"\n',
        );
    });

    it("explain: a cluster outside the stacks chosen with --stack is named", async () => {
        const r = await cli("explain", "app-config", "--cluster", "eu-west-1", "--stack", "us");
        assert.strictEqual(r.code, EXIT.usage);
        assert.match(r.stderr, /`--cluster` \(cluster "eu-west-1"\): is not managed by the stacks selected with --stack \("us"\)/);
    });

    it("explain and drift: an unknown stack is named with the plan's stacks", async () => {
        for (const command of [["explain", "app-config"], ["drift"]]) {
            const r = await cli(...command, "--stack", "ap");
            assert.strictEqual(r.code, EXIT.usage, command[0]);
            assert.match(r.stderr, /`--stack ap`: the plan has no stack "ap"; its stacks are "us", "eu"/);
            assert.strictEqual(r.stdout, "");
        }
    });

    it("a backend that cannot be read is an error (exit 1), told apart from a refusal", async () => {
        const r = await cli("explain", "app-config");
        assert.strictEqual(r.code, EXIT.failed);
        assert.match(r.stderr, /^fleet-rollout: error: could not read the stacks' state; nothing was run: /);
    });
});
