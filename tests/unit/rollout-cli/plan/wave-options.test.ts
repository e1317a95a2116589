import * as assert from "assert";
import { FleetDefinitionError, parseFleetDefinition } from "../../../../lib/fleet/fleet-definition";
import { formatProblem } from "../../../../lib/errors/problems";
import { parseWaveArguments, PlanError, planRollout } from "../../../../lib/rollout-cli/plan/plan";
import { parseWaveOptionFlags } from "../../../../lib/rollout-cli/plan/wave-option-flags";

const CLUSTERS = "clusters: [{ name: a, region: us }, { name: b, region: eu }]\nstacks: { by: cluster }\n";

function refusal(text: string): string[] {
    try {
        parseFleetDefinition(text, "fleet.yaml");
    } catch (err) {
        assert.ok(err instanceof FleetDefinitionError);
        return err.problems.map(formatProblem);
    }
    throw new Error("expected the definition to be refused");
}

function planOf(text: string, waves: string[] = [], flags: Parameters<typeof parseWaveOptionFlags>[0] = {}) {
    const parsed = parseWaveOptionFlags(flags);
    assert.deepStrictEqual(parsed.problems, []);
    return planRollout(parseFleetDefinition(text), parseWaveArguments(waves).waves, undefined, parsed.flags);
}

function planProblems(text: string, waves: string[] = [], flags: Parameters<typeof parseWaveOptionFlags>[0] = {}): string[] {
    try {
        planOf(text, waves, flags);
    } catch (err) {
        assert.ok(err instanceof PlanError);
        return err.problems.map(formatProblem);
    }
    throw new Error("expected the plan to be refused");
}

describe("wave soak, gate and timeout", () => {
    it("carries the fleet file's soak, gate and timeout into the planned waves, in milliseconds", () => {
        const plan = planOf(`${CLUSTERS}waves:\n  - { name: canary, select: "cluster:a", soak: 10m, gate: ./smoke.sh, timeout: 1h }\n  - { name: rest, select: "*" }\n`);
        assert.deepStrictEqual(
            plan.waves.map(({ name, soakMs, gate, timeoutMs }) => ({ name, soakMs, gate, timeoutMs })),
            [
                { name: "canary", soakMs: 600_000, gate: { command: "./smoke.sh", writtenIn: "fleet file" }, timeoutMs: 3_600_000 },
                { name: "rest", soakMs: undefined, gate: undefined, timeoutMs: undefined },
            ],
        );
    });

    it("refuses a fleet file's soak or timeout that is no duration or out of its limits, naming the field, the value and the limit", () => {
        const problems = refusal(
            `${CLUSTERS}waves:\n  - { name: w1, select: "cluster:a", soak: 10x, timeout: 20s }\n  - { name: w2, select: "*", soak: 25h, gate: "  " }\n`,
        );
        assert.deepStrictEqual(problems, [
            '`waves[0].soak`: "10x" is not a duration: write hours, minutes and seconds such as 90s, 10m or 1h30m',
            '`waves[0].timeout`: "20s" is shorter than the shortest timeout, 1m: a stack\'s `pulumi up` alone takes tens of seconds',
            '`waves[1].soak`: "25h" is longer than the longest soak, 24h',
            "`waves[1].gate`: is empty: give a command, such as ./smoke.sh",
        ]);
        assert.deepStrictEqual(refusal(`${CLUSTERS}waves: [{ name: w, select: "*", soak: 10s }]\n`), [
            '`waves[0].soak`: "10s" is shorter than the shortest soak, 30s: a soak looks at the workloads every 10s',
        ]);
        assert.deepStrictEqual(refusal(`${CLUSTERS}waves: [{ name: w, select: "*", soak: 10 }]\n`), ["`waves[0].soak`: must be a duration such as 10m"]);
    });

    it("refuses a timeout no longer than the soak, since the timeout bounds the whole wave", () => {
        assert.deepStrictEqual(refusal(`${CLUSTERS}waves: [{ name: w, select: "*", soak: 10m, timeout: 10m }]\n`), [
            '`waves[0].timeout`: "10m" is not longer than the wave\'s soak (10m): the timeout bounds the whole wave, its `up`, soak and gate',
        ]);
    });

    it("takes --soak, --gate and --wave-timeout over the file's values, for the waves of the file or of --wave", () => {
        const text = `${CLUSTERS}waves:\n  - { name: canary, select: "cluster:a", soak: 10m, gate: ./smoke.sh }\n  - { name: rest, select: "*" }\n`;
        const plan = planOf(text, [], { soak: ["canary=1m"], gate: ["rest=make check"], timeout: ["rest=2h"] });
        assert.deepStrictEqual(
            plan.waves.map(({ name, soakMs, gate, timeoutMs }) => ({ name, soakMs, gate, timeoutMs })),
            [
                { name: "canary", soakMs: 60_000, gate: { command: "./smoke.sh", writtenIn: "fleet file" }, timeoutMs: undefined },
                { name: "rest", soakMs: undefined, gate: { command: "make check", writtenIn: "command line" }, timeoutMs: 7_200_000 },
            ],
        );
        // --wave replaces the file's waves, options and all; the flags then set the command line's waves.
        const replaced = planOf(text, ["first=cluster:b", "then=*"], { soak: ["then=30s"] });
        assert.deepStrictEqual(replaced.waves.map((w) => [w.name, w.soakMs, w.gate]), [["first", undefined, undefined], ["then", 30_000, undefined]]);
        // Without any waves, the flags set the one default wave.
        assert.strictEqual(planOf(CLUSTERS, [], { timeout: ["all=5m"] }).waves[0].timeoutMs, 300_000);
    });

    it("refuses a flag naming no wave, a bad value, and a timeout the flags make no longer than the soak", () => {
        const text = `${CLUSTERS}waves:\n  - { name: canary, select: "cluster:a", timeout: 15m }\n  - { name: rest, select: "*" }\n`;
        assert.deepStrictEqual(planProblems(text, [], { soak: ["canary=20m", "cnary=1m"], timeout: ["rest=soon"] }), [
            '`--soak cnary`: names no wave; the waves are "canary", "rest"',
            '`--soak canary`: "15m" is not longer than the wave\'s soak (20m): the timeout bounds the whole wave, its `up`, soak and gate',
            '`--wave-timeout rest`: "soon" is not a duration: write hours, minutes and seconds such as 90s, 10m or 1h30m',
        ]);
    });

    it("refuses a flag that is not WAVE=VALUE, or that sets one wave's option twice", () => {
        const parsed = parseWaveOptionFlags({ soak: ["10m", "a=1m", "a=2m"], gate: ["=x"] });
        assert.deepStrictEqual(parsed.problems.map(formatProblem), [
            "`--soak 10m`: is not WAVE=VALUE, e.g. --soak canary=10m",
            "`--soak a`: is given twice; give each wave's soak once",
            "`--gate =x`: is not WAVE=VALUE, e.g. --gate canary=./smoke.sh",
        ]);
        assert.deepStrictEqual(parseWaveOptionFlags({ gate: ["canary=./smoke.sh --region=eu"] }).flags, [{ wave: "canary", option: "gate", value: "./smoke.sh --region=eu", field: "--gate canary" }]);
    });
});
