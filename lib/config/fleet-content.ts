/**
 * All or nothing: every cluster's content of one FleetConfigMap comes from ONE fleet-wide checked value,
 * so that a value refused in one cluster stops the ConfigMaps, hashes and workloads of every cluster.
 */
import * as pulumi from "@pulumi/pulumi";
import { ClusterPlan, layoutEntries, plainEntries, toContent } from "./effective-config";
import { MergedValue } from "./deep-merge";
import { ConfigMapContent } from "./hash";
import { Problem } from "../errors/problems";
import { Origin } from "./provenance";
import { isKnown, valueOf } from "./output-state";
import { schemaProblems } from "./schema-check";
import { contentProblems, secretProblem } from "./validation";

/** How the fleet-wide check ended. It never rejects, so that it can be awaited where a rejection would be printed. */
export type FleetVerdict =
    /** Every cluster's values passed every check. */
    | { readonly state: "passed"; readonly contents: Readonly<Record<string, ConfigMapContent>> }
    /**
     * Some cluster's values are not known yet (preview): secrets and the known clusters passed, and
     * `contents` holds those clusters; the rest is checked once known.
     */
    | { readonly state: "unknown"; readonly contents: Readonly<Record<string, ConfigMapContent>> }
    /** Refused: the error lists every problem in every cluster. */
    | { readonly state: "refused"; readonly error: Error };

/** Every cluster's content of one FleetConfigMap, checked as one. */
export interface FleetContent {
    /**
     * Each cluster's content, by cluster name. Plain when every value is a literal (checked in the
     * constructor); otherwise every entry derives from one Output that rejects with the refusal, so no
     * cluster's ConfigMap is registered with data while any cluster's values are refused.
     */
    readonly byCluster: Readonly<Record<string, pulumi.Input<ConfigMapContent>>>;
    /** Settles when the check does; awaited by the rollout transform before it hands out any hash. */
    readonly verdict: Promise<FleetVerdict>;
}

/**
 * Resolves and checks every cluster's values together: secrets (at preview too, as soon as secretness is
 * known), base64, the 1 MiB limit and, with a schema, the schema (once values are known). `fail` builds the one error for all problems.
 */
export function checkedFleetContent(plans: readonly ClusterPlan[], fail: (problems: Problem[]) => Error): FleetContent {
    const plain = plans.map((plan) => plainEntries(plan.layout));
    if (plain.every((entries) => entries !== undefined)) {
        // Literal config was checked in the constructor: no Output, so a large literal fleet costs no more than hand-written maps.
        const contents = Object.fromEntries(plans.map((plan, i) => [plan.name, toContent(plain[i]!)]));
        return { byCluster: contents, verdict: Promise.resolve({ state: "passed", contents }) };
    }

    const clusters = plans.map((plan) => {
        const entries = layoutEntries(plan.layout);
        return { plan, entries, outputs: entries.map((e) => pulumi.output(e.value.value)) };
    });
    const verdict: Promise<FleetVerdict> = (async (): Promise<FleetVerdict> => {
        // Secretness is known even while a value is not, so a secret is refused at preview too.
        const problems: Problem[] = [];
        for (const { plan, entries, outputs } of clusters) {
            const secret = await Promise.all(outputs.map((o) => pulumi.isSecret(o)));
            problems.push(...entries.filter((_, i) => secret[i]).map((e) => secretProblem(e.value.field, plan.name)));
        }
        if (problems.length > 0) return { state: "refused", error: fail(problems) };
        // Each cluster whose values are all known is checked now; at preview the others wait for `up`.
        let unknown = false;
        const contents: Record<string, ConfigMapContent> = {};
        for (const { plan, entries, outputs } of clusters) {
            if (!(await Promise.all(outputs.map(isKnown))).every(Boolean)) {
                unknown = true;
                continue;
            }
            const values = await Promise.all(outputs.map(valueOf));
            const resolved = entries.map((e, i) => ({ kind: e.kind, key: e.key, value: values[i], field: e.value.field }));
            problems.push(...contentProblems(plan.name, resolved));
            if (plan.typed) {
                // The schema sees each typed key's merged value, not its rendering; it is known once the rendering is.
                const merged = await valueOf(pulumi.output(pulumi.all(plan.typed.merged)));
                problems.push(...schemaProblems(plan.name, plan.typed.schema, merged as Record<string, MergedValue<Origin>>, plan.layering.removed));
            }
            contents[plan.name] = toContent(resolved);
        }
        if (problems.length > 0) return { state: "refused", error: fail(problems) };
        return { state: unknown ? "unknown" : "passed", contents };
    })().catch((error: Error): FleetVerdict => ({ state: "refused", error }));

    // One gate for the whole fleet: it rejects with the one error object, so Pulumi prints it once, and every
    // cluster's content waits for it, literal or not.
    const gate = pulumi.output(
        verdict.then((v) => {
            if (v.state === "refused") throw v.error;
            return v.state;
        }),
    );
    // Joined per cluster with its own values, so each keeps their dependencies and is unknown only while they are.
    const byCluster = Object.fromEntries(
        clusters.map(({ plan, entries, outputs }) => [
            plan.name,
            pulumi.all([gate, pulumi.all(outputs)]).apply(([, values]) =>
                toContent(entries.map((e, i) => ({ kind: e.kind, key: e.key, value: values[i], field: e.value.field }))),
            ),
        ]),
    );
    return { byCluster, verdict };
}
