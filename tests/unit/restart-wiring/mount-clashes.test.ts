import * as assert from "assert";
import { mountClashes, mountClashMessage, normalizeMountPath } from "../../../lib/restart-wiring/mount-clashes";

const workload = (containers: object[], volumes: object[]) => ({ spec: { template: { spec: { containers, volumes } } } });
const fleetConfigMaps = new Set(["app-config"]);
const configVolume = { name: "config", configMap: { name: "app-config" } };

describe("mount clashes", () => {
    it("flag a FleetConfigMap volume mounted over a directory images fill", () => {
        for (const path of ["/", "/etc", "/etc/", "/usr", "/bin", "/lib", "/var", "/opt", "/root", "/home", "/usr/local/bin"]) {
            const clashes = mountClashes(workload([{ name: "app", volumeMounts: [{ name: "config", mountPath: path }] }], [configVolume]), fleetConfigMaps);
            assert.deepStrictEqual(clashes, [{ container: "app", path, volume: "config", configMap: "app-config", hides: { kind: "image-directory" } }], path);
        }
    });

    it("leave alone a directory of its own, a subPath mount, and volumes of other ConfigMaps", () => {
        const containers = [
            {
                name: "app",
                volumeMounts: [
                    { name: "config", mountPath: "/etc/app" },
                    { name: "config", mountPath: "/etc", subPath: "app.properties" },
                    { name: "other", mountPath: "/etc" },
                ],
            },
        ];
        assert.deepStrictEqual(mountClashes(workload(containers, [configVolume, { name: "other", configMap: { name: "not-ours" } }]), fleetConfigMaps), []);
    });

    it("flag two mounts on the same path of one container, and count projected sources", () => {
        const containers = [{ name: "app", volumeMounts: [{ name: "config", mountPath: "/srv/conf/" }, { name: "data", mountPath: "/srv/conf" }] }, { name: "side", volumeMounts: [{ name: "data", mountPath: "/srv/conf" }] }];
        const volumes = [{ name: "config", projected: { sources: [{ configMap: { name: "app-config" } }] } }, { name: "data", emptyDir: {} }];
        assert.deepStrictEqual(mountClashes(workload(containers, volumes), fleetConfigMaps), [
            { container: "app", path: "/srv/conf/", volume: "config", configMap: "app-config", hides: { kind: "mount", volume: "data" } },
        ]);
    });

    it("look at init containers too", () => {
        const props = { spec: { template: { spec: { initContainers: [{ name: "init", volumeMounts: [{ name: "config", mountPath: "/opt" }] }], volumes: [configVolume] } } } };
        assert.strictEqual(mountClashes(props, fleetConfigMaps).length, 1);
    });

    it("compare paths as the kubelet mounts them", () => {
        assert.strictEqual(normalizeMountPath("/etc//"), "/etc");
        assert.strictEqual(normalizeMountPath("/"), "/");
        assert.strictEqual(normalizeMountPath("//"), "/");
    });

    it("warn naming the cluster, the workload, the container and the path", () => {
        const message = mountClashMessage({ container: "worker", path: "/etc", volume: "config", configMap: "app-config", hides: { kind: "image-directory" } }, "eu-west-1", {
            kind: "Deployment",
            name: "worker-eu-west-1",
        });
        assert.match(message, /^cluster "eu-west-1": Deployment "worker-eu-west-1", container "worker", mounts ConfigMap "app-config" \(volume "config"\) on "\/etc" without `subPath`, which hides everything the image has in "\/etc"/);
        assert.match(message, /such as "\/etc\/app-config"/);
    });
});
