export { HASH_ANNOTATION_PREFIX, hashAnnotationKey } from "./annotations";
export { Fleet, FleetArgs, FleetCluster, FleetClusterArgs } from "./fleet";
export { FleetConfigMap, FleetConfigMapArgs, FleetConfigMapMetadata } from "./fleet-config-map";
export { canonicalContent, ConfigMapContent, contentHash } from "./hash";
export { MAX_CONFIGMAP_BYTES } from "./limits";
export { ConfigOverrides, ConfigPatch } from "./overrides";
export { referencedConfigMaps, WORKLOAD_TYPES } from "./workload-references";
export { FleetDefinition, FleetDefinitionCluster, FleetDefinitionError, fleetArgsFromDefinition, loadFleetDefinition, parseFleetDefinition, StackLayout, WaveDefinition } from "./fleet-definition";
export { FleetSelection, formatSelector, parseSelector, SELECTION_CONFIG_KEY, selectionFromConfig, shardOf, ShardSelection } from "./fleet-selection";
