import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FleetClusterArgs } from "../../lib";

/** A cluster as written in stack config: `kubeconfig` is a path. */
interface ClusterConfig {
    name: string;
    region: string;
    kubeconfig: string;
    context?: string;
}

/**
 * The clusters to deploy to. Stack config `clusters` names real ones; without it, the program targets
 * the local fleet that `scripts/fleet up` starts (three kwok clusters standing in for two regions).
 */
export function fleetClusters(config: pulumi.Config): FleetClusterArgs[] {
    const configured = config.getObject<ClusterConfig[]>("clusters");
    const clusters = configured ?? localFleet();
    return clusters.map((c) => ({
        name: c.name,
        region: c.region,
        context: c.context,
        // The contents, not the path, so the provider keeps working wherever the state is used.
        kubeconfig: fs.readFileSync(expandHome(c.kubeconfig), "utf8"),
    }));
}

function localFleet(): ClusterConfig[] {
    const dir = path.join(process.env.FLEET_STATE_DIR ?? path.join(os.homedir(), ".cache", "fleet-configmap", "fleet"), "kubeconfigs");
    return [
        { name: "us-east-1", region: "us", kubeconfig: path.join(dir, "fleet-1.yaml") },
        { name: "eu-west-1", region: "eu", kubeconfig: path.join(dir, "fleet-2.yaml") },
        { name: "eu-central-1", region: "eu", kubeconfig: path.join(dir, "fleet-3.yaml") },
    ];
}

function expandHome(file: string): string {
    return file.startsWith("~/") ? path.join(os.homedir(), file.slice(2)) : file;
}
