// Before anything else is loaded: a compiled build older than its sources in a checkout is refused,
// never served (compiled-build/stale-build.ts). From source, and from an installed package, a no-op.
import { refuseStaleBuild } from "./compiled-build/refuse-stale-build";
refuseStaleBuild(__dirname);

export { HASH_ANNOTATION_PREFIX, hashAnnotationKey } from "./restart-wiring/annotations";
export { Fleet, FleetArgs, FleetCluster, FleetClusterArgs } from "./fleet/fleet";
export { FleetConfigMap, FleetConfigMapArgs, FleetConfigMapMetadata, PodAnnotationsOptions } from "./config/fleet-config-map";
export { canonicalContent, ConfigMapContent, contentHash, pickKeys } from "./config/hash";
export { MAX_CONFIGMAP_BYTES } from "./config/limits";
export { IMAGE_DIRECTORIES } from "./restart-wiring/mount-clashes";
export { ConfigOverrides, ConfigPatch } from "./config/overrides";
export { ClusterProvenance, FieldProvenance, FleetProvenance, KeyProvenance, LayerOrigin } from "./config/provenance";
export { renderValue } from "./config/render-value";
export { ConfigMapStrategy } from "./strategies/strategy";
export { MAX_SPLIT_PARTS, SPLIT_PART_BUDGET } from "./strategies/split";
export { ConfigSchema, ConfigValues, OptionalKeys, TypedConfigOverrides, TypedConfigPatch, TypedData, ValuePatch } from "./config/typed-config";
export { ConfigMapReads, configMapReads, hashedKeys, KeyRead, referencedConfigMaps, WORKLOAD_TYPES } from "./restart-wiring/workload-references";
export { FleetDefinition, FleetDefinitionCluster, FleetDefinitionError, fleetArgsFromDefinition, loadFleetDefinition, parseFleetDefinition, StackLayout, WaveDefinition } from "./fleet/fleet-definition";
export { FleetSelection, formatSelector, parseSelector, SELECTION_CONFIG_KEY, selectionFromConfig, ShardSelection } from "./fleet/fleet-selection";
export { assignShards, shardCapacity, shardOf } from "./fleet/shard-assignment";
export { AdoptedConfig, AdoptedConfigError, loadAdoptedConfig, parseAdoptedConfig } from "./adoption/adopted-config";
export { EXTERNAL_KINDS, ExternalConsumer, ExternalConsumers } from "./external-consumers/external-consumer";
