import * as pulumi from "@pulumi/pulumi";
import { Refusal } from "./rollout-transform";

/** PLACEHOLDER: decided by probing the engine. */
export const refuseRegistration: Refusal = async (error) => {
    if (error) throw error;
    return new Promise<never>(() => undefined);
};
