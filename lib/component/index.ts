/**
 * The entry point of the component package in this folder (its `package.json` names it as `main`). The
 * Node.js language host's plugin runner loads it and serves every component it exports, with a schema
 * inferred from their TypeScript types, to Pulumi programs in any language.
 */
export { Cluster, ConfigPatch, FleetConfigMap, FleetConfigMapArgs, Metadata, Overrides, Strategy } from "./fleet-config-map";
