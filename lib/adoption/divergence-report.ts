/**
 * How a fleet's copies of one ConfigMap differ, key by key, in the terms of the derived layering: how
 * many clusters hold the base value, each region's own value, each exception, and the clusters that
 * lack the key; then the clusters without the ConfigMap and those that could not be read. Plain data:
 * the command prints it as text (bounded lists) or JSON (whole).
 */
import { ExternalConsumers } from "../external-consumers/external-consumer";
import { DerivedLayering } from "./derive-layering";
import { managerSummaries, ManagerSummary } from "./field-managers";
import { decodeValue, HeldValue } from "./key-layering";
import { FleetObservation, UnreadableCluster } from "./observed-config-map";

/** A value as the report gives it: the map it is in and the string, or absent. */
export interface ReportedValue {
    /** `data`, `binaryData`, or `absent` for a removal. */
    readonly kind: "data" | "binaryData" | "absent";
    /** The string (base64 for `binaryData`); absent for a removal, and for a value withheld. */
    readonly value?: string;
    /** True when the value is left out because its key looks like a credential. @default absent */
    readonly withheld?: true;
}

/** One key across the fleet. */
export interface KeyDivergence {
    /** The key. */
    readonly key: string;
    /** The base value, or `{ kind: "absent" }` when the base lacks the key. */
    readonly base: ReportedValue;
    /** How many clusters hold the base value. */
    readonly baseClusters: number;
    /** Each region with a value of its own: the value (or a removal) and how many of its clusters hold it. Regions sorted. */
    readonly regions: readonly { readonly region: string; readonly value: ReportedValue; readonly clusters: number }[];
    /** The exceptions, each cluster with its value (or a removal), in fleet order. */
    readonly exceptions: readonly { readonly cluster: string; readonly value: ReportedValue }[];
    /** The clusters that lack the key, however the layering says so, in fleet order. */
    readonly lacking: readonly string[];
}

/** The whole report. */
export interface DivergenceReport {
    /** The ConfigMap, `namespace/name`. */
    readonly configMap: string;
    /** How many clusters the fleet has. */
    readonly clusters: number;
    /** How many have the ConfigMap. */
    readonly found: number;
    /** Override entries the derived definition takes: the fewest that reproduce every cluster. */
    readonly entries: number;
    /** Keys every cluster holds with the same value: no override. Sorted. */
    readonly uniform: readonly string[];
    /** Keys that differ somewhere, sorted. */
    readonly divergent: readonly KeyDivergence[];
    /** Clusters without the ConfigMap: the first `up` creates it there, from the base and their region's values. */
    readonly missing: readonly string[];
    /** Clusters that could not be read, with why. */
    readonly unreadable: readonly UnreadableCluster[];
    /** Field managers other than Pulumi's that own keys (kubectl, Helm), with their clusters and keys. */
    readonly managers: readonly ManagerSummary[];
    /** The workloads whose pods read the ConfigMap, as the `externalConsumers` that name them. @default absent: none found, or not looked for */
    readonly consumers?: ExternalConsumers;
    /** Clusters whose pods could not be listed, with why: no consumer is proposed there. */
    readonly podsUnlisted: readonly { readonly cluster: string; readonly reason: string }[];
}

/** The report of a fleet's observation and the layering derived from it. */
export function divergenceReport(observation: FleetObservation, layering: DerivedLayering, clusterCount: number, consumers?: ExternalConsumers): DivergenceReport {
    const order = observation.found.map((cm) => cm.cluster);
    const regionOf = new Map(observation.found.map((cm) => [cm.cluster, cm.region]));
    const uniform: string[] = [];
    const divergent: KeyDivergence[] = [];
    for (const [key, choice] of layering.keys) {
        const lacking = observation.found.filter((cm) => !has(cm.data, key) && !has(cm.binaryData, key)).map((cm) => cm.cluster);
        if (choice.entries === 0 && lacking.length === 0) {
            uniform.push(key);
            continue;
        }
        const effectiveRegion = (cluster: string) => {
            const region = regionOf.get(cluster)!;
            return choice.regions.has(region) ? choice.regions.get(region)! : choice.base;
        };
        const holds = (cluster: string, value: HeldValue) => (choice.clusters.has(cluster) ? choice.clusters.get(cluster)! : effectiveRegion(cluster)) === value;
        const baseClusters = order.filter((c) => !choice.regions.has(regionOf.get(c)!) && !choice.clusters.has(c) && choice.base !== null).length;
        divergent.push({
            key,
            base: reported(choice.base),
            baseClusters,
            regions: [...choice.regions]
                .sort(([a], [b]) => (a < b ? -1 : 1))
                .map(([region, value]) => ({ region, value: reported(value), clusters: order.filter((c) => regionOf.get(c) === region && !choice.clusters.has(c) && holds(c, value)).length })),
            exceptions: order.filter((c) => choice.clusters.has(c)).map((cluster) => ({ cluster, value: reported(choice.clusters.get(cluster)!) })),
            lacking,
        });
    }
    return {
        configMap: `${observation.namespace}/${observation.name}`,
        clusters: clusterCount,
        found: observation.found.length,
        entries: layering.entries,
        uniform,
        divergent,
        missing: observation.missing.map((m) => m.cluster),
        unreadable: observation.unreadable,
        managers: managerSummaries(observation.found),
        ...(consumers ? { consumers } : {}),
        podsUnlisted: observation.found.filter((cm) => cm.podsUnlisted !== undefined).map((cm) => ({ cluster: cm.cluster, reason: cm.podsUnlisted! })),
    };
}

/**
 * The report with the values of `keys` left out (`withheld: true`), for keys that look like
 * credentials: neither the text nor the JSON shows them.
 */
export function withholdValues(report: DivergenceReport, keys: ReadonlySet<string>): DivergenceReport {
    if (keys.size === 0) return report;
    const hide = (v: ReportedValue): ReportedValue => (v.kind === "absent" ? v : { kind: v.kind, withheld: true });
    return {
        ...report,
        divergent: report.divergent.map((k) =>
            !keys.has(k.key)
                ? k
                : {
                      ...k,
                      base: hide(k.base),
                      regions: k.regions.map((r) => ({ ...r, value: hide(r.value) })),
                      exceptions: k.exceptions.map((e) => ({ ...e, value: hide(e.value) })),
                  },
        ),
    };
}

function reported(value: HeldValue): ReportedValue {
    if (value === null) return { kind: "absent" };
    return decodeValue(value);
}

function has(record: Readonly<Record<string, string>>, key: string): boolean {
    return Object.prototype.hasOwnProperty.call(record, key);
}
