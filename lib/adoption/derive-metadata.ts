/**
 * The labels and annotations an adopted ConfigMap keeps. A FleetConfigMap gives every cluster's copy
 * the same `metadata.labels` and `metadata.annotations`, and its first `up` removes any the program
 * does not name, so `import` writes those the live copies carry into the adopted file. One that is not
 * the same in every cluster that has the ConfigMap (another value, or absent in some) cannot be written
 * fleet-wide without changing some cluster, so it refuses the adoption, naming the key, the cluster
 * and the values (withheld where they look like a credential).
 *
 * Two annotations are not copied: `pulumi.com/patchForce`, which the package sets itself, and
 * `kubectl.kubernetes.io/last-applied-configuration`, kubectl's record of its last `kubectl apply`
 * (the whole manifest, so a different value in every cluster whose data differs). Adoption hands the
 * ConfigMap from kubectl to Pulumi (`--take-ownership`), and a record of kubectl's last apply kept
 * after Pulumi changes the data would be false: a later `kubectl apply` would diff against it. So the
 * first `up` removes it, and the import says so ({@link AdoptedMetadata.dropped}).
 */
import { boundedQuotedList } from "../errors/bounded-list";
import { fieldPath, Problem, quote } from "../errors/problems";
import { secretLikeReason } from "../config/secret-like";
import { ObservedConfigMap } from "./observed-config-map";

/** kubectl's record of the last `kubectl apply`, which the first `up` removes (see the file's comment). */
export const LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
/** The package's own annotation on every ConfigMap it writes. */
const PATCH_FORCE = "pulumi.com/patchForce";
const NOT_COPIED = new Set([LAST_APPLIED, PATCH_FORCE]);

/** What {@link deriveMetadata} found. */
export interface AdoptedMetadata {
    /** The labels every cluster's copy has, with the same value. */
    readonly labels: Record<string, string>;
    /** The annotations every cluster's copy has, with the same value, less those not copied. */
    readonly annotations: Record<string, string>;
    /** Annotations not copied that some copy has, which the first `up` removes: each with its clusters. */
    readonly dropped: readonly { readonly annotation: string; readonly clusters: readonly string[] }[];
    /** One per label or annotation whose value is not the same in every cluster. */
    readonly problems: readonly Problem[];
}

/** The fleet-wide labels and annotations of the observed copies, and why any cannot be. */
export function deriveMetadata(found: readonly ObservedConfigMap[]): AdoptedMetadata {
    const problems: Problem[] = [];
    const pick = (kind: "labels" | "annotations"): Record<string, string> => {
        const keys = [...new Set(found.flatMap((cm) => Object.keys(cm[kind] ?? {})))].filter((k) => kind === "labels" || !NOT_COPIED.has(k)).sort();
        const out: Record<string, string> = {};
        for (const key of keys) {
            const values = found.map((cm) => cm[kind]?.[key]);
            const first = values[0];
            const odd = values.findIndex((v) => v !== first);
            if (odd === -1) {
                out[key] = first!;
                continue;
            }
            const show = (v: string | undefined) => (v === undefined ? "absent" : secretLikeReason(key, v) ? "(withheld: it looks like a credential)" : quote(v));
            const agreeing = found.filter((cm) => cm[kind]?.[key] === first).map((cm) => cm.cluster);
            problems.push({
                field: fieldPath(["metadata", kind, key]),
                cluster: found[odd].cluster,
                message:
                    `is ${show(values[odd])} here but ${show(first)} in ${boundedQuotedList(agreeing)}. A FleetConfigMap gives every cluster the same ${kind}, ` +
                    `so adopting would change it in some cluster. Make it the same in every cluster that has the ConfigMap, or remove it (\`kubectl ${kind === "labels" ? "label" : "annotate"} configmap ...\`), then import again`,
            });
        }
        return out;
    };
    const labels = pick("labels");
    const annotations = pick("annotations");
    const dropped = [LAST_APPLIED]
        .map((annotation) => ({ annotation, clusters: found.filter((cm) => cm.annotations?.[annotation] !== undefined).map((cm) => cm.cluster) }))
        .filter((d) => d.clusters.length > 0);
    return { labels, annotations, dropped, problems };
}
