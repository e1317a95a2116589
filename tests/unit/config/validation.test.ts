import * as assert from "assert";
import { MAX_CONFIGMAP_BYTES } from "../../../lib/config/limits";
import { formatProblem, Problem } from "../../../lib/errors/problems";
import { configMapArgsProblems, contentProblems, entryBytes, fleetArgsProblems, keyProblem } from "../../../lib/config/validation";
import { STRATEGY_CHECKS } from "../../../lib/strategies/strategy";

const clusters = [
    { name: "us-east-1", region: "us" },
    { name: "eu-west-1", region: "eu" },
    { name: "eu-central-1", region: "eu" },
];
const fleet = {};
const lines = (problems: Problem[]) => problems.map(formatProblem);

describe("fleet arguments", () => {
    it("refuse an empty fleet", () => {
        assert.deepStrictEqual(lines(fleetArgsProblems({ clusters: [] })), ["`clusters`: a fleet needs at least one cluster; the limit is 1 or more"]);
    });

    it("refuse duplicate cluster names", () => {
        const problems = fleetArgsProblems({ clusters: [{ name: "a", region: "r", kubeconfig: "k" }, { name: "a", region: "r", kubeconfig: "k" }] });
        assert.deepStrictEqual(lines(problems), ['`clusters[1].name` (cluster "a"): Invalid value: "a": duplicates clusters[0].name; cluster names must be unique']);
    });

    it("need exactly one of kubeconfig or provider", () => {
        const neither = fleetArgsProblems({ clusters: [{ name: "a", region: "r" }] });
        assert.deepStrictEqual(lines(neither), ['`clusters[0]` (cluster "a"): needs exactly one of `kubeconfig` or `provider`']);
    });

    it("refuse a provider that is not a Kubernetes provider, naming the cluster", () => {
        const problems = fleetArgsProblems({ clusters: [{ name: "a", region: "r", provider: {} }] });
        assert.deepStrictEqual(lines(problems), ['`clusters[0].provider` (cluster "a"): must be a kubernetes provider (new k8s.Provider(...))']);
    });

    it("refuse bad names and unknown fields", () => {
        const problems = fleetArgsProblems({ clusters: [{ name: "bad name", region: "", kubeconfig: "k", kubeConfig: "typo" }] });
        assert.deepStrictEqual(lines(problems), [
            '`clusters[0].name` (cluster "bad name"): Invalid value: "bad name": a cluster name is letters, digits, \'-\', \'_\' and \'.\', starting and ending with a letter or digit',
            '`clusters[0].region` (cluster "bad name"): Invalid value: "": a region name is letters, digits, \'-\', \'_\' and \'.\', starting and ending with a letter or digit',
            '`clusters[0].kubeConfig` (cluster "bad name"): is not a known field (`kubeConfig`)',
        ]);
    });

    it("accept a well-formed fleet", () => {
        assert.deepStrictEqual(fleetArgsProblems({ clusters: [{ name: "us-east-1", region: "us", kubeconfig: "k", context: "c" }] }), []);
    });
});

describe("FleetConfigMap arguments", () => {
    it("need DNS-1123 names and namespaces, and quote the offending value as kubectl does", () => {
        const problems = configMapArgsProblems({ fleet, metadata: { name: "App_Config", namespace: "Shop" } }, clusters, STRATEGY_CHECKS);
        assert.deepStrictEqual(lines(problems), [
            '`metadata.name`: Invalid value: "App_Config": must be a DNS-1123 subdomain: lowercase letters, digits, \'-\' and \'.\', starting and ending with a letter or digit',
            '`metadata.namespace`: Invalid value: "Shop": must be a DNS-1123 label: lowercase letters, digits and \'-\', starting and ending with a letter or digit',
        ]);
        const long = configMapArgsProblems({ fleet, metadata: { namespace: "n".repeat(64) } }, clusters, STRATEGY_CHECKS);
        assert.deepStrictEqual(lines(long), [`\`metadata.namespace\`: Invalid value: "${"n".repeat(64)}": is at most 63 characters (a DNS-1123 label)`]);
    });

    it("check keys wherever they are written, quoting each bad key", () => {
        const problems = configMapArgsProblems(
            {
                fleet,
                data: { "bad key": "x", ".": "y" },
                binaryData: { ["k".repeat(254)]: "AA==" },
                overrides: { clusters: { "eu-west-1": { data: { "a/b": "z" }, remove: [".."] } } },
            },
            clusters,
            STRATEGY_CHECKS,
        );
        assert.deepStrictEqual(lines(problems), [
            '`data["bad key"]`: Invalid value: "bad key": a valid ConfigMap key consists of alphanumeric characters, \'-\', \'_\' or \'.\' ([-._a-zA-Z0-9]+)',
            '`data["."]`: Invalid value: ".": a ConfigMap key may not be "." or ".."',
            `\`binaryData.${"k".repeat(254)}\`: Invalid value: "${"k".repeat(40)}"… (254 characters): a ConfigMap key is at most 253 characters`,
            '`overrides.clusters["eu-west-1"].data["a/b"]` (cluster "eu-west-1"): Invalid value: "a/b": a valid ConfigMap key consists of alphanumeric characters, \'-\', \'_\' or \'.\' ([-._a-zA-Z0-9]+)',
            '`overrides.clusters["eu-west-1"].remove[0]` (cluster "eu-west-1"): Invalid value: "..": a ConfigMap key may not be "." or ".."',
        ]);
    });

    it("refuse a key in both data and binaryData", () => {
        const problems = configMapArgsProblems({ fleet, data: { logo: "x" }, binaryData: { logo: "AA==" } }, clusters, STRATEGY_CHECKS);
        assert.deepStrictEqual(lines(problems), ["`binaryData.logo`: key \"logo\" is in both `data` and `binaryData`; a ConfigMap key may appear in only one"]);
    });

    it("refuse overrides for a region or cluster the fleet does not have", () => {
        const problems = configMapArgsProblems({ fleet, overrides: { regions: { europe: {} }, clusters: { "us-east-2": {} } } }, clusters, STRATEGY_CHECKS);
        assert.deepStrictEqual(lines(problems), [
            '`overrides.regions.europe`: the fleet has no region "europe"; its regions are "us", "eu"',
            '`overrides.clusters["us-east-2"]`: the fleet has no cluster "us-east-2"; its clusters are "us-east-1", "eu-west-1", "eu-central-1"',
        ]);
    });

    it("refuse values that are not strings, and unknown fields", () => {
        const problems = configMapArgsProblems({ fleet, data: { PORT: 8080 }, overides: {} }, clusters, STRATEGY_CHECKS);
        assert.deepStrictEqual(lines(problems), [
            '`data.PORT`: must be a string or a pulumi.Input<string> (ConfigMap values are strings: write "8080", not 8080)',
            "`overides`: is not a known field (`overides`)",
        ]);
    });
});

describe("content limits", () => {
    it("count UTF-8 bytes of data and decoded bytes of binaryData", () => {
        assert.strictEqual(entryBytes({ kind: "data", value: "é" }), 2);
        assert.strictEqual(entryBytes({ kind: "binaryData", value: "AAAA" }), 3);
        assert.strictEqual(entryBytes({ kind: "binaryData", value: "AA==" }), 1);
        assert.strictEqual(entryBytes({ kind: "binaryData", value: "AAA=" }), 2);
    });

    it("allow exactly 1 MiB and refuse one byte more, naming the cluster, field and limit", () => {
        const entry = (value: string) => [{ kind: "data" as const, key: "BLOB", value, field: "overrides.regions.eu.data.BLOB" }];
        assert.deepStrictEqual(contentProblems("eu-west-1", entry("x".repeat(MAX_CONFIGMAP_BYTES))), []);
        assert.deepStrictEqual(lines(contentProblems("eu-west-1", entry("x".repeat(MAX_CONFIGMAP_BYTES + 1)))), [
            '`overrides.regions.eu.data.BLOB` (cluster "eu-west-1"): the effective ConfigMap holds 1,048,577 bytes of values, over the limit of 1,048,576 bytes (1 MiB); largest: `overrides.regions.eu.data.BLOB` 1,048,577 bytes. No ConfigMap holds a value that large (`strategy: "split"` spreads keys, not values): it belongs in object storage, fetched by the workload',
        ]);
    });

    it("point a config over 1 MiB made of smaller values to the split strategy", () => {
        const entries = ["a", "b"].map((key) => ({ kind: "data" as const, key, value: "x".repeat(600_000), field: `data.${key}` }));
        assert.deepStrictEqual(lines(contentProblems("us-east-1", entries)), [
            '`data.a` (cluster "us-east-1"): the effective ConfigMap holds 1,200,000 bytes of values, over the limit of 1,048,576 bytes (1 MiB); largest: `data.a` 600,000 bytes, `data.b` 600,000 bytes. For file-shaped data (many keys, each a file), `strategy: "split"` spreads it over several ConfigMaps mounted as one volume',
        ]);
    });

    it("refuse binaryData that is not base64", () => {
        const problems = contentProblems("us-east-1", [{ kind: "binaryData", key: "logo", value: "not base64!", field: "binaryData.logo" }]);
        assert.deepStrictEqual(lines(problems), ['`binaryData.logo` (cluster "us-east-1"): is not valid base64 (standard alphabet, padded); binaryData values are base64-encoded bytes']);
    });

    it("keep key checks in line with the API server", () => {
        assert.strictEqual(keyProblem("app.properties"), undefined);
        assert.strictEqual(keyProblem("-_.A9"), undefined);
        assert.strictEqual(keyProblem("k".repeat(253)), undefined);
        assert.notStrictEqual(keyProblem(""), undefined);
    });
});
