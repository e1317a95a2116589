import * as pulumi from "@pulumi/pulumi";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { FleetArgs, fleetArgsFromDefinition, loadFleetDefinition, selectionFromConfig } from "@fleet/configmap";

/** A cluster as written in stack config: `kubeconfig` is a path. */
interface ClusterConfig {
    name: string;
    region: string;
    kubeconfig: string;
    context?: string;
}

/**
 * The fleet and the part of it this stack manages. Stack config `clusters` names real clusters;
 * without it, the whole fleet is the one of `fleet.yaml`. Stack config `fleetSelection` (which the
 * rollout command sets on each shard stack) picks the clusters this stack manages; unset, all of them.
 */
export function fleetArgs(config: pulumi.Config): FleetArgs {
    const select = selectionFromConfig(config);
    const configured = config.getObject<ClusterConfig[]>("clusters");
    if (!configured) {
        // FLEET_STATE_DIR moves the local fleet (see scripts/fleet); fleet.yaml names its default place.
        const moved = process.env.FLEET_STATE_DIR && path.join(process.env.FLEET_STATE_DIR, "kubeconfigs");
        return fleetArgsFromDefinition(loadFleetDefinition(path.join(__dirname, "fleet.yaml")), select, moved || undefined);
    }
    return {
        select,
        clusters: configured.map((c) => ({
            name: c.name,
            region: c.region,
            context: c.context,
            // The contents, not the path, so the provider keeps working wherever the state is used.
            kubeconfig: fs.readFileSync(expandHome(c.kubeconfig), "utf8"),
        })),
    };
}

function expandHome(file: string): string {
    return file.startsWith("~/") ? path.join(os.homedir(), file.slice(2)) : file;
}
