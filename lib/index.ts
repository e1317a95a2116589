export { HASH_ANNOTATION_PREFIX, hashAnnotationKey } from "./annotations";
export { Fleet, FleetArgs, FleetCluster, FleetClusterArgs } from "./fleet";
export { FleetConfigMap, FleetConfigMapArgs, FleetConfigMapMetadata, PodAnnotationsOptions } from "./fleet-config-map";
export { canonicalContent, ConfigMapContent, contentHash, pickKeys } from "./hash";
export { MAX_CONFIGMAP_BYTES } from "./limits";
export { IMAGE_DIRECTORIES } from "./mount-clashes";
export { ConfigOverrides, ConfigPatch } from "./overrides";
export { ConfigMapStrategy } from "./strategies/immutable";
export { ConfigMapReads, configMapReads, hashedKeys, KeyRead, referencedConfigMaps, WORKLOAD_TYPES } from "./workload-references";
