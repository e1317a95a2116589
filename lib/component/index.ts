/**
 * The component package's TypeScript exports (its `package.json` names this file as `main`): where the
 * SDK's analyzer starts when the unit tests infer the schema from the types, and what a TypeScript
 * program imports to construct the component in its own process (bench/yaml-twin). Programs in other
 * languages reach the component through the compiled package instead, whose entry is `plugin.ts`.
 */
export { Cluster, ConfigPatch, FleetConfigMap, FleetConfigMapArgs, Metadata, Overrides, Strategy } from "./fleet-config-map";
