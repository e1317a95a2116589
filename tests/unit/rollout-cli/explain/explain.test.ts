import * as assert from "assert";
import { mergeLayers } from "../../../../lib/config/deep-merge";
import { clusterProvenance, Layer, layerKeys, Origin } from "../../../../lib/config/provenance";
import { PlanError } from "../../../../lib/rollout-cli/plan/plan";
import {
    clusterProblems,
    DeployedCluster,
    deployedClusters,
    ExplainedCluster,
    explainCluster,
    explainFleet,
    renderClusterExplanation,
    renderFleetExplanation,
    showValue,
} from "../../../../lib/rollout-cli/explain/explain";

// The example's app-config (examples/fleet/index.ts): a base, an EU region override, and a cluster
// override for eu-central-1 that sets LOG_LEVEL and removes FEATURE_X. Provenance is computed by the
// package's own functions, as the component computes it; the content is each key's last value, as the
// cluster's ConfigMap in the state holds it.
const base: Layer<string> = { layer: "base", path: [], data: { LOG_LEVEL: "info", API_URL: "https://api.example.com", FEATURE_X: "on", "app.properties": "cache.ttl=300\nretries=3\n" } };
const eu: Layer<string> = { layer: "overrides.regions.eu", path: ["overrides", "regions", "eu"], data: { API_URL: "https://api.eu.example.com" } };
const central: Layer<string> = { layer: "overrides.clusters.eu-central-1", path: ["overrides", "clusters", "eu-central-1"], data: { LOG_LEVEL: "debug" }, remove: ["FEATURE_X"] };

function deployedOf(layers: Layer<string>[]): DeployedCluster {
    const layering = layerKeys(layers);
    const last = (record: Record<string, readonly { value: string }[]>) => Object.fromEntries(Object.entries(record).map(([k, sets]) => [k, sets[sets.length - 1].value]));
    return { provenance: clusterProvenance(layering), content: { data: last(layering.data), binaryData: last(layering.binaryData) } };
}

const CLUSTERS: ExplainedCluster[] = [
    { name: "us-east-1", region: "us", stack: "us" },
    { name: "eu-west-1", region: "eu", stack: "eu" },
    { name: "eu-central-1", region: "eu", stack: "eu" },
];
const DEPLOYED: Record<string, DeployedCluster> = {
    "us-east-1": deployedOf([base]),
    "eu-west-1": deployedOf([base, eu]),
    "eu-central-1": deployedOf([base, eu, central]),
};

describe("explain: where a FleetConfigMap's values come from", () => {
    it("lists every key of one cluster with its value and the layer and field that set it, and the keys removed with their remove entry", () => {
        const e = explainCluster("app-config", CLUSTERS[2], DEPLOYED["eu-central-1"]);
        assert.deepStrictEqual(
            e.keys.map((k) => [k.key, k.value, k.layer, k.field]),
            [
                ["API_URL", "https://api.eu.example.com", "overrides.regions.eu", "overrides.regions.eu.data.API_URL"],
                ["LOG_LEVEL", "debug", "overrides.clusters.eu-central-1", 'overrides.clusters["eu-central-1"].data.LOG_LEVEL'],
                ["app.properties", "cache.ttl=300\nretries=3\n", "base", 'data["app.properties"]'],
            ],
        );
        assert.deepStrictEqual(e.removed, [{ key: "FEATURE_X", layer: "overrides.clusters.eu-central-1", field: 'overrides.clusters["eu-central-1"].remove[0]' }]);
        const text = renderClusterExplanation(e);
        assert.match(text, /^app-config in cluster eu-central-1 \(region eu, stack eu\): 3 keys\n/);
        assert.match(text, /\nLOG_LEVEL +debug +overrides\.clusters\.eu-central-1 +overrides\.clusters\["eu-central-1"\]\.data\.LOG_LEVEL\n/);
        assert.match(text, /\napp\.properties +cache\.ttl=300\\nretries=3\\n +base/, "a newline in a value is shown escaped, on one line");
        assert.match(text, /\nFEATURE_X +overrides\.clusters\.eu-central-1 +overrides\.clusters\["eu-central-1"\]\.remove\[0\]\n/);
    });

    it("across clusters, shows only the keys whose value differs, one row per value with its layer and clusters", () => {
        const e = explainFleet("app-config", CLUSTERS, DEPLOYED);
        assert.deepStrictEqual(e.same, ["app.properties"]);
        assert.deepStrictEqual(
            e.differing.map((k) => [k.key, k.values.map((v) => [v.value ?? (v.removed ? "(removed)" : "(not set)"), v.layer, v.clusters.join(",")])]),
            [
                ["API_URL", [["https://api.example.com", "base", "us-east-1"], ["https://api.eu.example.com", "overrides.regions.eu", "eu-west-1,eu-central-1"]]],
                ["FEATURE_X", [["on", "base", "us-east-1,eu-west-1"], ["(removed)", "overrides.clusters.eu-central-1", "eu-central-1"]]],
                ["LOG_LEVEL", [["info", "base", "us-east-1,eu-west-1"], ["debug", "overrides.clusters.eu-central-1", "eu-central-1"]]],
            ],
        );
        const text = renderFleetExplanation(e);
        assert.match(text, /^app-config across 3 clusters \(stacks us, eu\)\n/);
        assert.match(text, /\n +\(removed\) +overrides\.clusters\.eu-central-1 +eu-central-1\n/);
        assert.match(text, /\nsame in every cluster: app\.properties\n$/);
    });

    it("tells apart the same value set by different layers, and a key only one cluster's override sets", () => {
        const onlyCentral: Layer<string> = { ...central, data: { LOG_LEVEL: "debug", CANARY: "true" } };
        const sameValue: Layer<string> = { ...eu, data: { LOG_LEVEL: "info" } };
        const e = explainFleet("app-config", CLUSTERS, { "us-east-1": deployedOf([base]), "eu-west-1": deployedOf([base, sameValue]), "eu-central-1": deployedOf([base, onlyCentral]) });
        const key = (k: string) => e.differing.find((d) => d.key === k)!;
        assert.deepStrictEqual(key("CANARY").values.map((v) => [v.value, v.layer, v.clusters]), [
            [undefined, undefined, ["us-east-1", "eu-west-1"]],
            ["true", "overrides.clusters.eu-central-1", ["eu-central-1"]],
        ]);
        assert.deepStrictEqual(key("LOG_LEVEL").values.map((v) => [v.value, v.layer]), [
            ["info", "base"],
            ["info", "overrides.regions.eu"],
            ["debug", "overrides.clusters.eu-central-1"],
        ]);
        assert.match(renderFleetExplanation(e), /\nCANARY +\(not set\) +- +us-east-1, eu-west-1\n/);
    });

    it("lists a key that every cluster lacks because a layer removed it, rather than calling it the same everywhere", () => {
        const euRemoves: Layer<string> = { ...eu, remove: ["FEATURE_X"] };
        const e = explainFleet("app-config", CLUSTERS.slice(1), { "eu-west-1": deployedOf([base, euRemoves]), "eu-central-1": deployedOf([base, euRemoves]) });
        assert.ok(!e.same.includes("FEATURE_X"));
        assert.deepStrictEqual(e.differing.find((k) => k.key === "FEATURE_X")!.values, [
            { removed: true, layer: "overrides.regions.eu", field: "overrides.regions.eu.remove[0]", clusters: ["eu-west-1", "eu-central-1"] },
        ]);
    });

    it("shows the fields a higher layer set inside a typed object value", () => {
        const mergedOrigin = (layer: string, path: PropertyKey[]): Origin => ({ layer, path });
        const settingsBase: Layer<unknown> = { layer: "base", path: [], data: { "settings.json": { currency: "USD", retries: 3 } } };
        const settingsEu: Layer<unknown> = { layer: "overrides.regions.eu", path: ["overrides", "regions", "eu"], data: { "settings.json": { currency: "EUR" } } };
        const layering = layerKeys([settingsBase, settingsEu]);
        const merged = mergeLayers(layering.data["settings.json"].map((s) => ({ value: s.value, origin: mergedOrigin(s.origin.layer, [...s.origin.path]) })));
        const p = { provenance: clusterProvenance(layering, { "settings.json": merged }), content: { data: { "settings.json": JSON.stringify(merged.value) }, binaryData: {} } };
        const e = explainCluster("shop-settings", CLUSTERS[1], p);
        assert.match(renderClusterExplanation(e), /\n {2}\.currency +overrides\.regions\.eu +overrides\.regions\.eu\.data\["settings\.json"\]\.currency\n/);
        const across = explainFleet("shop-settings", CLUSTERS.slice(0, 2), { "us-east-1": deployedOf([{ layer: "base", path: [], data: { "settings.json": '{"currency":"USD","retries":3}' } }]), "eu-west-1": p });
        assert.match(renderFleetExplanation(across), /base; \.currency: overrides\.regions\.eu +eu-west-1/);
    });

    it("shortens long values in text, escapes control characters and shows binary data by size; JSON keeps the whole value", () => {
        const long = "x".repeat(100);
        assert.strictEqual(showValue(long, "data", 20), `${"x".repeat(19)}… (100 chars)`);
        assert.strictEqual(showValue("a\tb\u0001"), "a\\tb\\u0001");
        assert.strictEqual(showValue("AAEC", "binaryData"), "(binary, 3 bytes)");
        const e = explainCluster("c", CLUSTERS[0], deployedOf([{ layer: "base", path: [], data: { LONG: long } }]));
        assert.strictEqual(e.keys[0].value, long);
    });
});

describe("explain: wrong arguments", () => {
    const planned = [
        { name: "us", clusters: [{ name: "us-east-1", region: "us" }] },
        { name: "eu", clusters: [{ name: "eu-west-1", region: "eu" }, { name: "eu-central-1", region: "eu" }] },
    ];
    const all = planned.flatMap((s) => s.clusters);

    it("names an unknown cluster and lists the fleet's clusters", () => {
        assert.deepStrictEqual(clusterProblems("eu-centrl-1", all, planned), [
            { field: "--cluster", cluster: "eu-centrl-1", message: 'the fleet has no cluster "eu-centrl-1"; its clusters are "us-east-1", "eu-west-1", "eu-central-1"' },
        ]);
        assert.deepStrictEqual(clusterProblems("eu-west-1", all, planned), []);
    });

    it("names a cluster that the stacks chosen with --stack do not manage", () => {
        const [problem] = clusterProblems("eu-west-1", all, [planned[0]]);
        assert.match(problem.message, /is not managed by the stacks selected with --stack \("us"\)/);
    });

    it("names a cluster whose stack state has no provenance for it (not yet rolled out there)", () => {
        const entry = (stack: string, cluster: string) => ({ stack, provenance: { [cluster]: DEPLOYED[cluster].provenance }, contents: { [cluster]: DEPLOYED[cluster].content } });
        assert.throws(
            () => deployedClusters("app-config", CLUSTERS, [entry("us", "us-east-1"), entry("eu", "eu-west-1")]),
            (err: unknown) => err instanceof PlanError && err.problems.length === 1 && err.problems[0].cluster === "eu-central-1" && /state of stack "eu" has no provenance/.test(err.problems[0].message),
        );
    });

    it("takes each value from the cluster's ConfigMap in the state, and names a key its provenance lists but the ConfigMap lacks", () => {
        const { provenance, content } = DEPLOYED["eu-central-1"];
        const one = [CLUSTERS[2]];
        const found = deployedClusters("app-config", one, [{ stack: "eu", provenance: { "eu-central-1": provenance }, contents: { "eu-central-1": content } }]);
        assert.strictEqual(explainCluster("app-config", CLUSTERS[2], found["eu-central-1"]).keys.find((k) => k.key === "LOG_LEVEL")!.value, "debug");
        const { LOG_LEVEL: _, ...rest } = content.data;
        assert.throws(
            () => deployedClusters("app-config", one, [{ stack: "eu", provenance: { "eu-central-1": provenance }, contents: { "eu-central-1": { data: rest, binaryData: {} } } }]),
            (err: unknown) => err instanceof PlanError && /provenance for key "LOG_LEVEL" but its ConfigMap lacks it/.test(err.problems[0].message),
        );
        assert.throws(
            () => deployedClusters("app-config", one, [{ stack: "eu", provenance: { "eu-central-1": provenance }, contents: {} }]),
            (err: unknown) => err instanceof PlanError && /state of stack "eu" has no ConfigMap for this cluster/.test(err.problems[0].message),
        );
    });
});
