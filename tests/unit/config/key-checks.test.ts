import * as assert from "assert";
import { planClusters } from "../../../lib/config/effective-config";
import { missingKeyMessage, missingKeys, whyMissing, workloadSubject } from "../../../lib/config/key-checks";

const source = {
    data: { LOG_LEVEL: "info", FEATURE_X: "on" },
    binaryData: { "logo.png": "AA==" },
    overrides: {
        regions: { eu: { remove: ["logo.png"] } },
        clusters: { "eu-central-1": { remove: ["FEATURE_X"] }, "eu-west-1": { remove: ["FEATURE_X"], data: { FEATURE_X: "off" } } },
    },
};
// The same layering the cluster's provenance is made of.
const [euCentral, usEast] = planClusters(
    [
        { name: "eu-central-1", region: "eu" },
        { name: "us-east-1", region: "us" },
    ],
    source,
);

describe("per-cluster key checks", () => {
    it("name the override that removed a key", () => {
        assert.strictEqual(whyMissing(euCentral.layering, "FEATURE_X"), '`overrides.clusters["eu-central-1"].remove[0]` removes it');
        assert.strictEqual(whyMissing(euCentral.layering, "logo.png"), "`overrides.regions.eu.remove[0]` removes it");
    });

    it("say when a key never existed in the cluster, listing the layers looked at", () => {
        assert.strictEqual(
            whyMissing(euCentral.layering, "LOG_LEVLE"),
            'no layer of this cluster sets it (checked `data`, `binaryData`, `overrides.regions.eu`, `overrides.clusters["eu-central-1"]`); the key "LOG_LEVLE" never existed here',
        );
        assert.match(whyMissing(usEast.layering, "LOG_LEVLE"), /checked `data`, `binaryData`\); the key "LOG_LEVLE" never existed here/);
    });

    it("say a key never existed when the only `remove` naming it found nothing to remove", () => {
        const [plan] = planClusters([{ name: "eu-central-1", region: "eu" }], { data: { A: "1" }, overrides: { regions: { eu: { remove: ["B"] } } } });
        assert.match(whyMissing(plan.layering, "B"), /no layer of this cluster sets it \(checked `data`, `binaryData`, `overrides.regions.eu`\); the key "B" never existed here/);
    });

    it("report only required keys the cluster lacks", () => {
        const has = (key: string) => ["LOG_LEVEL"].includes(key);
        const reads = [
            { key: "LOG_LEVEL", required: true, path: "a" },
            { key: "FEATURE_X", required: true, path: "spec.template.spec.containers[0].env[1].valueFrom.configMapKeyRef" },
            { key: "logo.png", required: false, path: "c" },
        ];
        assert.deepStrictEqual(missingKeys(euCentral, has, reads), [
            {
                cluster: "eu-central-1",
                key: "FEATURE_X",
                path: "spec.template.spec.containers[0].env[1].valueFrom.configMapKeyRef",
                why: '`overrides.clusters["eu-central-1"].remove[0]` removes it',
            },
        ]);
        assert.deepStrictEqual(missingKeys(euCentral, () => true, reads), []);
    });

    it("write one message naming the cluster, the workload, the key, where it is read and why it is missing", () => {
        const message = missingKeyMessage(workloadSubject({ kind: "StatefulSet", name: "db-eu-central-1" }), "shop/app-config", [
            { cluster: "eu-central-1", key: "FEATURE_X", path: "spec.template.spec.containers[0].env[1].valueFrom.configMapKeyRef", why: "`x` removes it" },
        ]);
        assert.match(message, /^StatefulSet "db-eu-central-1" reads keys of ConfigMap shop\/app-config that are missing/);
        assert.match(message, /cluster "eu-central-1": StatefulSet "db-eu-central-1" reads key "FEATURE_X" \(`spec\.template\.spec\.containers\[0\]\.env\[1\]\.valueFrom\.configMapKeyRef`\), which that cluster's effective config does not have: `x` removes it/);
        assert.match(message, /mark the reference `optional: true`/);
    });
});
