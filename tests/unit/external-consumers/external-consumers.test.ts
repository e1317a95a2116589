import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { contentHash, Fleet, FleetConfigMap } from "../../../lib";
import { ExternalConsumers } from "../../../lib/external-consumers/external-consumer";
import { pickKeys } from "../../../lib/config/hash";
import { threeClusterFleet } from "../fixtures";
import { allCreated, findCreated, settle, useMocks, valueOf } from "../mocks";

const DEPLOYMENT_PATCH = "kubernetes:apps/v1:DeploymentPatch";

function appConfig(fleet: Fleet, externalConsumers?: ExternalConsumers, strategy?: "immutable") {
    return new FleetConfigMap("app-config", {
        fleet,
        metadata: { namespace: "shop" },
        data: { LOG_LEVEL: "info", API_URL: "https://api.example.com" },
        overrides: { regions: { eu: { data: { API_URL: "https://api.eu.example.com" } } } },
        externalConsumers,
        strategy,
    });
}

const EU = { data: { API_URL: "https://api.eu.example.com", LOG_LEVEL: "info" }, binaryData: {} };

describe("FleetConfigMap external consumers", () => {
    beforeEach(() => useMocks());

    it("patch only the pod template's hash annotation of a fleet-wide consumer, in every cluster, through that cluster's provider", async () => {
        const app = appConfig(threeClusterFleet(), { fleet: [{ kind: "Deployment", name: "legacy-web" }] });
        await settle();
        assert.deepStrictEqual(allCreated(DEPLOYMENT_PATCH).map((p) => p.name), [
            "app-config-us-east-1-deployment-shop-legacy-web",
            "app-config-eu-west-1-deployment-shop-legacy-web",
            "app-config-eu-central-1-deployment-shop-legacy-web",
        ]);
        const euWest = findCreated(DEPLOYMENT_PATCH, "app-config-eu-west-1-deployment-shop-legacy-web");
        assert.deepStrictEqual(euWest.inputs, {
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: { name: "legacy-web", namespace: "shop" },
            spec: { template: { metadata: { annotations: { "checksum.fleet-configmap.dev/app-config": contentHash(EU) } } } },
        });
        assert.match(euWest.provider!, /::prod-eu-west-1::/);
        assert.match((await valueOf(app.externalPatches["eu-west-1"][0].urn))!, /fleet:index:FleetConfigMap\$kubernetes:apps\/v1:DeploymentPatch::/);
    });

    it("read each named workload from its own cluster, in a resource named after that cluster (a name not there fails the preview: tests/e2e/adoption.test.ts)", async () => {
        appConfig(threeClusterFleet(), { clusters: { "us-east-1": [{ kind: "StatefulSet", namespace: "data", name: "db" }] } });
        await settle();
        const reads = allCreated("kubernetes:apps/v1:StatefulSet");
        assert.deepStrictEqual(reads.map((r) => r.name), ["app-config-us-east-1-statefulset-data-db-live"]);
    });

    it("give each cluster the fleet's, its region's and its own consumers, once each, in the ConfigMap's namespace unless named", async () => {
        appConfig(threeClusterFleet(), {
            fleet: [{ kind: "Deployment", name: "legacy-web" }],
            regions: { eu: [{ kind: "DaemonSet", name: "gdpr-agent", namespace: "kube-system" }, { kind: "Deployment", name: "legacy-web" }] },
            clusters: { "eu-central-1": [{ kind: "StatefulSet", name: "cache" }] },
        });
        await settle();
        const names = (type: string) => allCreated(type).map((r) => r.name);
        assert.deepStrictEqual(names(DEPLOYMENT_PATCH).length, 3);
        assert.deepStrictEqual(names("kubernetes:apps/v1:DaemonSetPatch"), ["app-config-eu-west-1-daemonset-kube-system-gdpr-agent", "app-config-eu-central-1-daemonset-kube-system-gdpr-agent"]);
        assert.deepStrictEqual(names("kubernetes:apps/v1:StatefulSetPatch"), ["app-config-eu-central-1-statefulset-shop-cache"]);
    });

    it("hash only the keys a consumer reads, so it rolls only when one of them changes", async () => {
        appConfig(threeClusterFleet(), { fleet: [{ kind: "Deployment", name: "logger", keys: ["LOG_LEVEL"] }] });
        await settle();
        const us = findCreated(DEPLOYMENT_PATCH, "app-config-us-east-1-deployment-shop-logger");
        const eu = findCreated(DEPLOYMENT_PATCH, "app-config-eu-west-1-deployment-shop-logger");
        const hash = (p: typeof us) => p.inputs.spec.template.metadata.annotations["checksum.fleet-configmap.dev/app-config"];
        assert.strictEqual(hash(us), contentHash(pickKeys(EU, ["LOG_LEVEL"])));
        assert.strictEqual(hash(us), hash(eu), "API_URL differs between the regions, LOG_LEVEL does not");
    });

    describe("refuse before anything is registered", () => {
        const refused = (consumers: unknown, pattern: RegExp, strategy?: "immutable") => {
            assert.throws(() => appConfig(threeClusterFleet(), consumers as ExternalConsumers, strategy), pattern);
            assert.deepStrictEqual(allCreated(DEPLOYMENT_PATCH), []);
        };

        it("a region or cluster the fleet does not have", () => {
            refused({ regions: { asia: [{ kind: "Deployment", name: "x" }] } }, /`externalConsumers\.regions\.asia`: the fleet has no region "asia"; its regions are "us", "eu"/);
            refused({ clusters: { "eu-north-1": [{ kind: "Deployment", name: "x" }] } }, /`externalConsumers\.clusters\["eu-north-1"\]`: the fleet has no cluster "eu-north-1"/);
        });

        it("a kind that has no pod template to annotate, or a name Kubernetes would refuse", () => {
            refused({ fleet: [{ kind: "Job", name: "x" }] }, /`externalConsumers\.fleet\[0\]\.kind`: must be one of "Deployment", "StatefulSet", "DaemonSet"/);
            refused({ fleet: [{ kind: "Deployment", name: "Legacy_Web" }] }, /`externalConsumers\.fleet\[0\]\.name`: Invalid value: "Legacy_Web": must be a DNS-1123 subdomain/);
        });

        it("a key a consumer reads that its cluster's config does not have, naming the cluster", () => {
            refused({ clusters: { "eu-west-1": [{ kind: "Deployment", name: "x", keys: ["NOPE"] }] } }, /cluster "eu-west-1": an external consumer of FleetConfigMap "app-config" reads key "NOPE" \(`externalConsumers\.clusters\["eu-west-1"\]\[0\]\.keys\[0\]`\)/);
        });

        it("external consumers with a strategy that renames the ConfigMap", () => {
            refused({ fleet: [{ kind: "Deployment", name: "x" }] }, /`externalConsumers`: applies only with `strategy: "in-place"`/, "immutable");
        });
    });

    it("alias each patch like the ConfigMaps: with no parent (where a state move leaves it), and under the cluster's former names, so a moved or renamed cluster keeps its patches", async () => {
        const fleet = new Fleet("prod", { clusters: [{ name: "eu-west-1c", region: "eu", kubeconfig: "k", formerNames: ["eu-west-1"] }] });
        const app = appConfig(fleet, { fleet: [{ kind: "Deployment", name: "legacy-web" }] });
        await settle();
        const patch = app.externalPatches["eu-west-1c"][0] as unknown as { __aliases: pulumi.Input<string>[] };
        const aliases = await Promise.all(patch.__aliases.map((a) => valueOf(pulumi.output(a))));
        const type = "kubernetes:apps/v1:DeploymentPatch";
        // The Kubernetes package adds its own aliases (the kind under its older API versions) after ours.
        assert.deepStrictEqual(
            aliases.slice(0, 3).map((urn) => urn!.split("::").slice(2).join("::")),
            [
                `${type}::app-config-eu-west-1c-deployment-shop-legacy-web`,
                `fleet:index:FleetConfigMap$${type}::app-config-eu-west-1-deployment-shop-legacy-web`,
                `${type}::app-config-eu-west-1-deployment-shop-legacy-web`,
            ],
        );
    });
});
