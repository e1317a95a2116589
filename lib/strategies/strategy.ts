/**
 * The strategies a FleetConfigMap can use to write each cluster's config, one file each beside this one:
 * `immutable.ts`, `split.ts`; the in-place strategy is the default and needs no file of its own.
 */
import type { StrategyChecks } from "../config/strategy-checks";
import { immutableChecks } from "./immutable";
import { splitChecks } from "./split";

/**
 * How a FleetConfigMap's ConfigMaps change: `"in-place"` updates one ConfigMap per cluster (same name,
 * same UID); `"immutable"` creates a content-named, `immutable: true` ConfigMap per content and deletes the
 * old one after consumers rolled; `"split"` spreads a config over 1 MiB across several in-place
 * ConfigMaps (parts) that consumers mount together as one projected volume.
 */
export type ConfigMapStrategy = "in-place" | "immutable" | "split";

/** The strategies, for validation. */
export const STRATEGIES: readonly ConfigMapStrategy[] = ["in-place", "immutable", "split"];

/**
 * Each strategy's own checks, by name, which the component hands to the check stage
 * (config/check-stage.ts); the in-place strategy adds none to the stage's own. A new strategy adds its
 * entry here, and the stage accepts its name.
 */
export const STRATEGY_CHECKS: Readonly<Record<ConfigMapStrategy, StrategyChecks>> = {
    "in-place": {},
    immutable: immutableChecks,
    split: splitChecks,
};
