import * as assert from "assert";
import { ArgumentsError, DEFAULT_CONCURRENCY, parseArguments } from "../../../lib/rollout-cli/arguments";

const quiet = { out: () => undefined, err: () => undefined };
const parse = (...argv: string[]) => parseArguments(argv, quiet);

function refused(...argv: string[]): ArgumentsError {
    try {
        parse(...argv);
    } catch (err) {
        assert.ok(err instanceof ArgumentsError);
        return err;
    }
    throw new Error("expected the arguments to be refused");
}

describe("rollout command arguments", () => {
    it("parses up with waves in order and limits", () => {
        const inv = parse("up", "-f", "fleet.yaml", "-C", "prog", "--wave", "canary=cluster:a", "--wave", "rest=*", "--concurrency", "3", "--refresh", "--json");
        assert.deepStrictEqual(inv, {
            command: "up",
            fleet: "fleet.yaml",
            cwd: "prog",
            waves: ["canary=cluster:a", "rest=*"],
            stacks: [],
            concurrency: 3,
            config: {},
            refresh: true,
            json: true,
            progress: true,
            markdown: false,
            byCluster: false,
            waveOptions: { soak: [], gate: [], timeout: [] },
            skipPreflight: false,
        });
        assert.strictEqual(parse("up", "--no-progress").progress, false);
    });

    it("takes up's --soak, --gate and --wave-timeout as written, repeatable, and --skip-preflight", () => {
        const inv = parse("up", "--soak", "canary=10m", "--gate", "canary=./smoke.sh --fast", "--wave-timeout", "canary=30m", "--wave-timeout", "rest=1h", "--skip-preflight");
        assert.deepStrictEqual(inv.waveOptions, { soak: ["canary=10m"], gate: ["canary=./smoke.sh --fast"], timeout: ["canary=30m", "rest=1h"] });
        assert.strictEqual(inv.skipPreflight, true);
        assert.strictEqual(refused("preview", "--soak", "canary=10m").exitCode, 2);
    });

    it("takes --config for a preview only: up rolls out only the committed config, so every checkout rolls out the same", () => {
        assert.deepStrictEqual(parse("preview", "--config", "k=v=w", "--markdown").config, { k: "v=w" });
        const refusal = refused("up", "--config", "logLevel=warn");
        assert.strictEqual(refusal.exitCode, 2);
        assert.match(refusal.message, /^up rolls out only what is committed: put `logLevel` in the fleet file's `config:`/);
    });

    it("parses report with its parts, and refuses --json with --markdown", () => {
        const inv = parse("report", "us.json", "eu.json", "--markdown");
        assert.deepStrictEqual([inv.command, inv.parts, inv.markdown], ["report", ["us.json", "eu.json"], true]);
        assert.match(refused("report", "a.json", "--json", "--markdown").message, /give --json or --markdown, not both/);
        assert.match(refused("preview", "--json", "--markdown").message, /give --json or --markdown, not both/);
    });

    it("has safe defaults", () => {
        const inv = parse("preview");
        assert.strictEqual(inv.concurrency, DEFAULT_CONCURRENCY);
        assert.strictEqual(inv.fleet, "fleet.yaml");
        assert.strictEqual(inv.json, false);
        assert.deepStrictEqual(parse("plan", "--stack", "eu", "--stack", "us").stacks, ["eu", "us"]);
    });

    it("refuses bad arguments with exit code 2, naming them", () => {
        assert.match(refused("up", "--concurrency", "0").message, /--concurrency must be a whole number of 1 or more, got "0"/);
        assert.strictEqual(refused("up", "--concurrency", "x").exitCode, 2);
        assert.match(refused("preview", "--config", "novalue").message, /--config novalue: is not KEY=VALUE/);
        assert.match(refused("preview", "--wave", "a=*").message, /unknown option '--wave'/);
        assert.match(refused("deploy").message, /unknown command 'deploy'/);
        assert.strictEqual(refused().exitCode, 2);
        assert.strictEqual(refused("--help").exitCode, 0);
    });
});

describe("rollout command arguments: explain and drift", () => {
    it("parses explain with its ConfigMap and an optional cluster", () => {
        const inv = parse("explain", "app-config", "-f", "fleet.yaml", "--cluster", "eu-west-1", "--json");
        assert.strictEqual(inv.command, "explain");
        assert.strictEqual(inv.configMap, "app-config");
        assert.strictEqual(inv.cluster, "eu-west-1");
        assert.strictEqual(inv.json, true);
        assert.strictEqual(parse("explain", "app-config").cluster, undefined);
    });

    it("parses drift with concurrency and progress, and no option that could change a stack", () => {
        const inv = parse("drift", "--concurrency", "2", "--no-progress", "--stack", "eu");
        assert.deepStrictEqual([inv.command, inv.concurrency, inv.progress, inv.stacks], ["drift", 2, false, ["eu"]]);
        assert.match(refused("drift", "--config", "a=b").message, /unknown option '--config'/);
        assert.match(refused("drift", "--wave", "a=*").message, /unknown option '--wave'/);
    });

    it("refuses explain without a ConfigMap", () => {
        const err = refused("explain");
        assert.strictEqual(err.exitCode, 2);
        assert.match(err.message, /missing required argument 'configmap'/);
    });
});
