import * as assert from "assert";
import { checkConfigMap, CheckInput } from "../../../lib/config/check-stage";
import { StrategyChecks } from "../../../lib/config/strategy-checks";
import { formatProblem } from "../../../lib/errors/problems";
import { STRATEGY_CHECKS } from "../../../lib/strategies/strategy";

const clusters = [
    { name: "us-east-1", region: "us" },
    { name: "eu-west-1", region: "eu" },
];
const input = (args: Record<string, unknown>, more: Partial<CheckInput> = {}): CheckInput => ({
    args: { fleet: {}, ...args },
    allClusters: clusters,
    clusters,
    configMap: { name: "app", namespace: "default" },
    strategies: STRATEGY_CHECKS,
    others: [],
    ...more,
});
const lines = (input: CheckInput) => checkConfigMap(input).problems.map(formatProblem);

describe("the check stage", () => {
    it("plans each selected cluster once the arguments parse, and finds nothing wrong with good ones", () => {
        const result = checkConfigMap(input({ data: { A: "1" }, overrides: { clusters: { "eu-west-1": { data: { A: "2" } } } } }, { clusters: [clusters[1]] }));
        assert.deepStrictEqual(result.problems, []);
        assert.deepStrictEqual(result.plans.map((p) => [p.name, p.layout.data.A.value]), [["eu-west-1", "2"]]);
    });

    it("stops at arguments that do not parse, before any plan", () => {
        const result = checkConfigMap(input({ data: { "bad key": "x" }, strategy: "blue-green" }));
        assert.deepStrictEqual(result.plans, []);
        assert.deepStrictEqual(result.problems.map(formatProblem), ['`strategy`: Invalid value: "blue-green": must be one of "in-place", "immutable", "split"']);
    });

    it("runs a strategy's own checks through its interface, and accepts exactly the strategies it is handed", () => {
        const seen: string[] = [];
        const sharded: StrategyChecks = {
            nameProblems: (name) => [{ field: "metadata.name", message: `sharded names ${name}` }],
            sizeProblems: (cluster, entries) => (seen.push(`${cluster}: ${entries.map((e) => e.key).join(",")}`), []),
            nameClash: (namespace, base, name, whose) => (name === `${base}-shard` ? `${namespace}/${name} is ${whose} shard` : undefined),
        };
        const strategies = { "in-place": {}, sharded };
        assert.deepStrictEqual(lines(input({ strategy: "split" }, { strategies })), ['`strategy`: Invalid value: "split": must be one of "in-place", "sharded"']);
        assert.deepStrictEqual(lines(input({ strategy: "sharded", metadata: { name: "app" } }, { strategies })), ["`metadata.name`: sharded names app"]);
        assert.deepStrictEqual(lines(input({ strategy: "sharded", data: { A: "1" } }, { strategies, others: [{ owner: "other", name: "app-shard", checks: {} }] })), [
            '`metadata.name`: default/app-shard is this config\'s shard: FleetConfigMap "other" manages it',
        ]);
        assert.deepStrictEqual(seen, ["us-east-1: A", "eu-west-1: A"]);
        // Another config's strategy says which names it writes, whatever this config's strategy is.
        assert.deepStrictEqual(lines(input({}, { configMap: { name: "web-shard", namespace: "default" }, strategies, others: [{ owner: "web", name: "web", checks: sharded }] })), [
            '`metadata.name`: default/web-shard is FleetConfigMap "web"\'s shard',
        ]);
    });

    it("checks content and size with the stage's own rules when the strategy brings none", () => {
        assert.deepStrictEqual(lines(input({ binaryData: { B: "not base64!" } })), [
            '`binaryData.B` (cluster "us-east-1"): is not valid base64 (standard alphabet, padded); binaryData values are base64-encoded bytes',
            '`binaryData.B` (cluster "eu-west-1"): is not valid base64 (standard alphabet, padded); binaryData values are base64-encoded bytes',
        ]);
    });
});
