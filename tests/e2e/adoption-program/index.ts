import * as pulumi from "@pulumi/pulumi";
import { Fleet, fleetArgsFromDefinition, FleetConfigMap, loadAdoptedConfig, loadFleetDefinition, selectionFromConfig } from "@fleet/configmap";

// An adopted fleet, as docs/ADOPTION.md sets it up: the clusters from the fleet file, and the
// ConfigMap's base, regional values and exceptions from the file `fleet-rollout import` wrote. The
// namespace and the ConfigMaps exist already (made with kubectl); the first `up` takes them over.
const config = new pulumi.Config();
const definition = loadFleetDefinition(config.require("fleetFile"));
const fleet = new Fleet("adopt", fleetArgsFromDefinition(definition, selectionFromConfig(config)));
pulumi.runtime.registerResourceTransform(fleet.rolloutTransform);

const appConfig = new FleetConfigMap("app-config", { fleet, ...loadAdoptedConfig(config.require("adoptedFile")) });

/** Each cluster's content hash. */
export const hashes = appConfig.hashes;
