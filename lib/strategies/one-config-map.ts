/**
 * The in-place and immutable strategies write one ConfigMap per cluster: named `metadata.name` and
 * updated in place, or named after its content (`immutable.ts`) and replaced create-before-delete.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ConfigMapContent } from "../config/hash";
import { childMetadata, ClusterConfigMaps, ConfigMapChildren, mapInput, nonEmpty } from "./children";
import { movedAliases } from "../fleet/moved-aliases";
import { immutableName } from "./immutable";

/** The one ConfigMap of `cluster`, a child named `<resourceName>-<cluster>`. */
export function oneConfigMap(children: ConfigMapChildren, cluster: string, content: pulumi.Input<ConfigMapContent>, immutable: boolean): ClusterConfigMaps {
    const name = immutable ? mapInput(content, (c) => immutableName(children.configMapName, c)) : children.configMapName;
    const configMap = new k8s.core.v1.ConfigMap(
        `${children.resourceName}-${cluster}`,
        {
            metadata: childMetadata(children, name),
            immutable: immutable ? true : undefined,
            data: mapInput(content, (c) => nonEmpty(c.data)) as pulumi.Input<Record<string, string>>,
            binaryData: mapInput(content, (c) => nonEmpty(c.binaryData)) as pulumi.Input<Record<string, string>>,
        },
        // A new content-named ConfigMap is created before the old one is deleted (Pulumi's default for a replacement).
        {
            parent: children.parent,
            provider: children.provider(cluster),
            dependsOn: children.dependsOn,
            deleteBeforeReplace: immutable ? false : undefined,
            // An adopted ConfigMap is read into the state as it is (`= import`), not created over.
            import: immutable ? undefined : children.importId?.(cluster),
            aliases: movedAliases(`${children.resourceName}-${cluster}`, children.formerNames(cluster), (old) => `${children.resourceName}-${old}`),
        },
    );
    return { all: [configMap], name };
}
