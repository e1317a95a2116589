/**
 * The layered definition of a whole ConfigMap, from every cluster's copy: each key's minimal layering
 * (key-layering.ts) written as the `data`, `binaryData` and `overrides` a FleetConfigMap takes.
 */
import { chooseLayering, ClusterHolding, decodeValue, encodeValue, HeldValue, KeyLayering } from "./key-layering";
import { ObservedConfigMap } from "./observed-config-map";

/** One override layer, in the plain shape `FleetConfigMap`'s `overrides` take. Keys sorted. */
export interface PlainPatch {
    /** Entries to set in `data`. */
    readonly data?: Record<string, string>;
    /** Entries to set in `binaryData` (base64). */
    readonly binaryData?: Record<string, string>;
    /** Keys to remove before setting (also a key whose value moves between `data` and `binaryData`). */
    readonly remove?: string[];
}

/** The `data`, `binaryData` and `overrides` that give every observed cluster exactly what it holds. */
export interface DerivedLayering {
    /** The base `data`. Keys sorted. */
    readonly data: Record<string, string>;
    /** The base `binaryData`. Keys sorted. */
    readonly binaryData: Record<string, string>;
    /** Region and cluster patches; only the layers with an entry are present. Names sorted. */
    readonly overrides: {
        readonly regions: Record<string, PlainPatch>;
        readonly clusters: Record<string, PlainPatch>;
    };
    /** Each key's layering, by key, sorted. */
    readonly keys: ReadonlyMap<string, KeyLayering>;
    /** Override entries in all (a layer setting or removing one key is one entry): the least the model allows. */
    readonly entries: number;
}

/**
 * Derives the layering of every key some cluster holds. Clusters are taken as given (their region
 * names the region layer); a cluster that is not in `observed` does not constrain anything.
 */
export function deriveLayering(observed: readonly ObservedConfigMap[]): DerivedLayering {
    const holdings = new Map<string, ClusterHolding[]>();
    const present = new Set<string>();
    for (const cm of observed) {
        for (const key of Object.keys(cm.data)) present.add(key);
        for (const key of Object.keys(cm.binaryData)) present.add(key);
    }
    const keys = [...present].sort();
    for (const key of keys) holdings.set(key, []);
    for (const cm of observed) {
        for (const key of keys) {
            const value = heldValue(cm, key);
            holdings.get(key)!.push({ cluster: cm.cluster, region: cm.region, value });
        }
    }

    const data: Record<string, string> = {};
    const binaryData: Record<string, string> = {};
    const regions = new Map<string, PatchBuilder>();
    const clusters = new Map<string, PatchBuilder>();
    const regionOf = new Map(observed.map((cm) => [cm.cluster, cm.region]));
    const layerings = new Map<string, KeyLayering>();
    let entries = 0;
    for (const key of keys) {
        const layering = chooseLayering(holdings.get(key)!);
        layerings.set(key, layering);
        entries += layering.entries;
        if (layering.base !== null) {
            const { kind, value } = decodeValue(layering.base);
            (kind === "data" ? data : binaryData)[key] = value;
        }
        for (const [region, value] of layering.regions) addEntry(builder(regions, region), key, value, layering.base);
        for (const [cluster, value] of layering.clusters) {
            const region = regionOf.get(cluster)!;
            const inherited = layering.regions.has(region) ? layering.regions.get(region)! : layering.base;
            addEntry(builder(clusters, cluster), key, value, inherited);
        }
    }
    return {
        data,
        binaryData,
        overrides: { regions: finish(regions), clusters: finish(clusters) },
        keys: layerings,
        entries,
    };
}

/** What `cm` holds for `key`, encoded. */
export function heldValue(cm: Pick<ObservedConfigMap, "data" | "binaryData">, key: string): HeldValue {
    if (Object.prototype.hasOwnProperty.call(cm.data, key)) return encodeValue("data", cm.data[key]);
    if (Object.prototype.hasOwnProperty.call(cm.binaryData, key)) return encodeValue("binaryData", cm.binaryData[key]);
    return null;
}

interface PatchBuilder {
    data: Record<string, string>;
    binaryData: Record<string, string>;
    remove: string[];
}

function builder(layers: Map<string, PatchBuilder>, name: string): PatchBuilder {
    let patch = layers.get(name);
    if (patch === undefined) layers.set(name, (patch = { data: {}, binaryData: {}, remove: [] }));
    return patch;
}

/**
 * One entry: remove the key, or set it. Setting a key inherited from the other map removes it first,
 * since a patch's entries would otherwise leave it in both.
 */
function addEntry(patch: PatchBuilder, key: string, value: HeldValue, inherited: HeldValue): void {
    if (value === null) {
        patch.remove.push(key);
        return;
    }
    const { kind, value: text } = decodeValue(value);
    if (inherited !== null && inherited[0] !== value[0]) patch.remove.push(key);
    (kind === "data" ? patch.data : patch.binaryData)[key] = text;
}

/** The layers with their empty parts left out, names sorted; keys are already added in sorted order. */
function finish(layers: Map<string, PatchBuilder>): Record<string, PlainPatch> {
    const out: Record<string, PlainPatch> = {};
    for (const name of [...layers.keys()].sort()) {
        const p = layers.get(name)!;
        out[name] = {
            ...(Object.keys(p.data).length > 0 && { data: p.data }),
            ...(Object.keys(p.binaryData).length > 0 && { binaryData: p.binaryData }),
            ...(p.remove.length > 0 && { remove: p.remove }),
        };
    }
    return out;
}
