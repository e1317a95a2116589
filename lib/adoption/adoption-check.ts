/**
 * Whether an adopted-config file still gives every cluster exactly what it runs: the check to make
 * before the first `up` when time has passed since the import (someone may have edited a cluster, or
 * the file). Pure: the file's rendering per cluster (the FleetConfigMap's own layering) against what
 * was read.
 */
import { planClusters, plainEntries, toContent } from "../effective-config";
import { AdoptedConfig } from "./adopted-config";
import { ObservedConfigMap } from "./observed-config-map";

/** One key a cluster's copy holds differently from what the file gives it. */
export interface KeyMismatch {
    /** The key. */
    readonly key: string;
    /** `changed` (another value, or the other map), `added` by the file, or `removed` by it. */
    readonly change: "changed" | "added" | "removed";
}

/** A cluster whose copy the first `up` would change, with the keys. */
export interface ClusterMismatch {
    /** The cluster. */
    readonly cluster: string;
    /** The keys, sorted. */
    readonly keys: readonly KeyMismatch[];
}

/** The clusters whose copy differs from what `config` gives them, in the order given; empty when none does. */
export function adoptionMismatches(config: AdoptedConfig, found: readonly ObservedConfigMap[]): ClusterMismatch[] {
    const plans = planClusters(
        found.map((cm) => ({ name: cm.cluster, region: cm.region })),
        config,
    );
    const mismatches: ClusterMismatch[] = [];
    plans.forEach((plan, i) => {
        const content = toContent(plainEntries(plan.layout)!);
        const held = found[i];
        const keys = new Set([...Object.keys(content.data), ...Object.keys(content.binaryData), ...Object.keys(held.data), ...Object.keys(held.binaryData)]);
        const out: KeyMismatch[] = [];
        for (const key of [...keys].sort()) {
            const want = lookup(content, key);
            const have = lookup(held, key);
            if (want === undefined && have !== undefined) out.push({ key, change: "removed" });
            else if (want !== undefined && have === undefined) out.push({ key, change: "added" });
            else if (want !== undefined && have !== undefined && (want.kind !== have.kind || want.value !== have.value)) out.push({ key, change: "changed" });
        }
        if (out.length > 0) mismatches.push({ cluster: held.cluster, keys: out });
    });
    return mismatches;
}

function lookup(content: { readonly data: Readonly<Record<string, string>>; readonly binaryData: Readonly<Record<string, string>> }, key: string) {
    if (Object.prototype.hasOwnProperty.call(content.data, key)) return { kind: "data", value: content.data[key] };
    if (Object.prototype.hasOwnProperty.call(content.binaryData, key)) return { kind: "binaryData", value: content.binaryData[key] };
    return undefined;
}
