import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runGate } from "../../../../lib/rollout-cli/gate/gate-command";
import { gateClustersFile, gateEnvironment } from "../../../../lib/rollout-cli/gate/gate-input";
import { access } from "../fake-cluster-api";

const clusters = [{ ...access("us-east-1", "us", "us"), context: "admin" }, access("us-west-2", "us", "us")];
const run = (command: string, extra: Partial<Parameters<typeof runGate>[1]> = {}) =>
    runGate(command, { wave: "canary", clusters, cwd: os.tmpdir(), signal: new AbortController().signal, progress: () => undefined, ...extra });

/** Whether a process runs; a zombie (killed, not yet reaped by an init that is slow to) does not. */
function alive(pid: number): boolean {
    try {
        process.kill(pid, 0);
    } catch {
        return false;
    }
    const status = `/proc/${pid}/status`;
    return !(fs.existsSync(status) && /^State:\s+Z/m.test(fs.readFileSync(status, "utf8")));
}

describe("wave gate", () => {
    it("lists the wave's clusters with their kubeconfig and context, and names the wave and the file in the environment", () => {
        assert.deepStrictEqual(gateClustersFile("canary", clusters), {
            wave: "canary",
            clusters: [
                { name: "us-east-1", region: "us", stack: "us", kubeconfig: "/kube/us-east-1.yaml", context: "admin" },
                { name: "us-west-2", region: "us", stack: "us", kubeconfig: "/kube/us-west-2.yaml", context: null },
            ],
        });
        assert.deepStrictEqual(gateEnvironment({ PATH: "/bin", GONE: undefined }, "canary", "/tmp/x/clusters.json"), { PATH: "/bin", FLEET_WAVE: "canary", FLEET_WAVE_CLUSTERS: "/tmp/x/clusters.json" });
    });

    it("passes when the command exits 0; the command reads the wave's name and its clusters file, in its directory", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gate-test-"));
        fs.writeFileSync(path.join(dir, "smoke.sh"), 'echo "wave $FLEET_WAVE in $(basename "$PWD")"\ncat "$FLEET_WAVE_CLUSTERS"\n');
        const lines: string[] = [];
        const result = await run("sh ./smoke.sh", { cwd: dir, progress: (l) => lines.push(l) });
        assert.strictEqual(result.status, "passed");
        assert.strictEqual(result.exitCode, 0);
        assert.strictEqual(lines[0], `wave canary in ${path.basename(dir)}`);
        assert.deepStrictEqual(JSON.parse(lines.slice(1).join("\n")), gateClustersFile("canary", clusters));
    });

    it("fails when the command exits non-zero, keeping its exit code and its last twenty lines of output", async () => {
        const result = await run("for i in $(seq 1 30); do echo line $i; done; echo oops >&2; exit 3");
        assert.strictEqual(result.status, "failed");
        assert.strictEqual(result.exitCode, 3);
        assert.strictEqual(result.output.length, 20);
        assert.deepStrictEqual(result.output.slice(-2), ["line 30", "oops"]);
    });

    it("fails when the command does not exist, saying so through the shell", async () => {
        const result = await run("./no-such-gate.sh");
        assert.strictEqual(result.status, "failed");
        assert.strictEqual(result.exitCode, 127);
        assert.match(result.output.join("\n"), /no-such-gate\.sh.*not found/);
    });

    it("removes the clusters file when the gate ends", async () => {
        const result = await run('echo "$FLEET_WAVE_CLUSTERS"');
        assert.strictEqual(fs.existsSync(result.output[0]), false);
    });

    it("stops the gate and what it started when told to, and reports it stopped rather than failed", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "gate-test-"));
        const stop = new AbortController();
        setTimeout(() => stop.abort(), 300);
        const result = await run(`sleep 30 & echo $! > ${dir}/child; wait`, { signal: stop.signal });
        assert.strictEqual(result.status, "stopped");
        assert.ok(result.elapsedMs < 5000);
        const child = Number(fs.readFileSync(path.join(dir, "child"), "utf8"));
        await new Promise((r) => setTimeout(r, 100));
        assert.strictEqual(alive(child), false, "the gate's own child is stopped too");
    });

    it("kills a gate that ignores SIGTERM once the grace is over", async () => {
        const stop = new AbortController();
        setTimeout(() => stop.abort(), 300);
        const result = await run("trap '' TERM; sleep 30 & wait; sleep 30", { signal: stop.signal, killGraceMs: 200 });
        assert.strictEqual(result.status, "stopped");
        assert.strictEqual(result.signal, "SIGKILL");
        assert.ok(result.elapsedMs < 5000);
    });
});
