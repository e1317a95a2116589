import * as assert from "assert";
import { podConsumers, proposeConsumers } from "../../../lib/adoption/consumer-proposal";

const pod = (owner: { kind: string; name: string } | undefined, containers: object[], extra: { hash?: string; volumes?: object[] } = {}) => ({
    metadata: { name: "p", ...(extra.hash ? { labels: { "pod-template-hash": extra.hash } } : {}), ...(owner ? { ownerReferences: [{ ...owner, controller: true }] } : {}) },
    spec: { containers, ...(extra.volumes ? { volumes: extra.volumes } : {}) },
});

describe("adoption: consumers proposed from pods", () => {
    it("finds a Deployment through its ReplicaSet, and a StatefulSet or DaemonSet directly, with the keys each reads", () => {
        const found = podConsumers(
            [
                pod({ kind: "ReplicaSet", name: "web-5c7b8" }, [{ envFrom: [{ configMapRef: { name: "app-config" } }] }], { hash: "5c7b8" }),
                pod({ kind: "StatefulSet", name: "db" }, [{ env: [{ valueFrom: { configMapKeyRef: { name: "app-config", key: "DB_HOST" } } }] }]),
                pod({ kind: "StatefulSet", name: "db" }, [{ env: [{ valueFrom: { configMapKeyRef: { name: "app-config", key: "DB_PORT" } } }] }]),
                pod({ kind: "DaemonSet", name: "agent" }, [], { volumes: [{ name: "v", configMap: { name: "app-config" } }] }),
            ],
            "app-config",
        );
        assert.deepStrictEqual(found, [
            { kind: "DaemonSet", name: "agent" },
            { kind: "Deployment", name: "web" },
            { kind: "StatefulSet", name: "db", keys: ["DB_HOST", "DB_PORT"] },
        ]);
    });

    it("leaves out bare pods, Jobs' pods and pods that read another ConfigMap", () => {
        const found = podConsumers(
            [
                pod(undefined, [{ envFrom: [{ configMapRef: { name: "app-config" } }] }]),
                pod({ kind: "Job", name: "migrate" }, [{ envFrom: [{ configMapRef: { name: "app-config" } }] }]),
                pod({ kind: "StatefulSet", name: "db" }, [{ envFrom: [{ configMapRef: { name: "other" } }] }]),
            ],
            "app-config",
        );
        assert.deepStrictEqual(found, []);
    });

    it("names a workload once for the fleet, once per region whose every cluster runs it, and otherwise per cluster", () => {
        const web = { kind: "Deployment" as const, name: "web" };
        const agent = { kind: "DaemonSet" as const, name: "agent" };
        const cache = { kind: "StatefulSet" as const, name: "cache", keys: ["SIZE"] };
        const proposed = proposeConsumers([
            { cluster: "us-1", region: "us", consumers: [web, cache] },
            { cluster: "eu-1", region: "eu", consumers: [web, agent] },
            { cluster: "eu-2", region: "eu", consumers: [web, agent, cache] },
        ]);
        assert.deepStrictEqual(proposed, {
            fleet: [web],
            regions: { eu: [agent], us: [cache] },
            clusters: { "eu-2": [cache] },
        });
        assert.strictEqual(proposeConsumers([{ cluster: "a", region: "r" }]), undefined);
    });
});
