/**
 * The strategies a FleetConfigMap can use to write each cluster's config, one file each beside this one:
 * `immutable.ts`, `split.ts`; the in-place strategy is the default and needs no file of its own.
 */

/**
 * How a FleetConfigMap's ConfigMaps change: `"in-place"` updates one ConfigMap per cluster (same name,
 * same UID); `"immutable"` creates a content-named, `immutable: true` ConfigMap per content and deletes the
 * old one after consumers rolled; `"split"` spreads a config over 1 MiB across several in-place
 * ConfigMaps (parts) that consumers mount together as one projected volume.
 */
export type ConfigMapStrategy = "in-place" | "immutable" | "split";

/** The strategies, for validation. */
export const STRATEGIES: readonly ConfigMapStrategy[] = ["in-place", "immutable", "split"];
