/**
 * The split strategy's ConfigMaps: one per part of a cluster's config (`split.ts`), each an ordinary
 * in-place ConfigMap (same name and UID on update) with the metadata every strategy gives.
 *
 * A part no longer needed (the config shrank, or a bucket emptied) is simply not registered. Pulumi
 * deletes the resources a program no longer registers once the program has exited, after every create
 * and update of the run has finished: consumers have rolled (Pulumi waits for a Deployment's rollout)
 * onto a projected volume without that part before it goes.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { ConfigMapContent } from "../config/hash";
import { movedAliases } from "../fleet/moved-aliases";
import { childMetadata, ClusterConfigMaps, ConfigMapChildren, nonEmpty } from "./children";
import { partName, splitContent } from "./split";
import { splitLayout } from "./split-consumers";

/**
 * The parts of `cluster`'s config, each a child named `<resourceName>-<cluster>-part-<bucket + 1>`. A
 * part's resource name follows its bucket, as its ConfigMap's name does, so a part that keeps its bucket
 * is updated in place whatever happens to the others. `content` must be plain: the split strategy
 * refuses values not known when the program runs, because which parts exist depends on their sizes.
 */
export function splitConfigMaps(children: ConfigMapChildren, cluster: string, content: pulumi.Input<ConfigMapContent>): ClusterConfigMaps {
    if (pulumi.Output.isInstance(content) || content instanceof Promise) {
        throw new Error(`the split strategy needs cluster "${cluster}"'s values known when the program runs; the check stage should have refused them`);
    }
    const split = splitContent(content as ConfigMapContent);
    const all = split.parts.map(
        (part) =>
            new k8s.core.v1.ConfigMap(
                `${children.resourceName}-${cluster}-part-${part.bucket + 1}`,
                {
                    metadata: childMetadata(children, partName(children.configMapName, part.bucket)),
                    data: nonEmpty(part.content.data),
                    binaryData: nonEmpty(part.content.binaryData),
                },
                {
                    parent: children.parent,
                    provider: children.provider(cluster),
                    dependsOn: children.dependsOn,
                    aliases: movedAliases(`${children.resourceName}-${cluster}-part-${part.bucket + 1}`, children.formerNames(cluster), (old) => `${children.resourceName}-${old}-part-${part.bucket + 1}`),
                },
            ),
    );
    return { all, layout: splitLayout(children.configMapName, split) };
}
