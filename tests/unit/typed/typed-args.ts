/**
 * A program that uses a typed FleetConfigMap right and wrong. `npm run typecheck` compiles it: every
 * line after `// @ts-expect-error` must be a compile error (or tsc fails on the unused directive), and
 * every other line must compile. tests/unit/typed-config-types.test.ts also checks each error's reason.
 */
import * as pulumi from "@pulumi/pulumi";
import { z } from "zod";
import { Fleet, FleetConfigMap, FleetConfigMapArgs } from "../../../lib";

export const appSchema = z.object({
    LOG_LEVEL: z.enum(["debug", "info", "warn"]),
    PORT: z.number().int().min(1).max(65535),
    API_URL: z.url(),
    FEATURE_X: z.boolean().optional(),
    "config.json": z.object({
        db: z.object({ host: z.string(), pool: z.number(), tls: z.boolean().optional() }),
        regions: z.array(z.string()),
    }),
});

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(): T => true as T;

export function programs(fleet: Fleet) {
    // Right: values of the schema's types, Outputs of them, field patches, removal of an optional key.
    const typed = new FleetConfigMap("typed", {
        fleet,
        schema: appSchema,
        data: {
            LOG_LEVEL: "info",
            PORT: 8080,
            API_URL: pulumi.output("https://api.example.com"),
            FEATURE_X: true,
            "config.json": { db: { host: "db.internal", pool: 10 }, regions: ["us", "eu"] },
        },
        binaryData: { "logo.png": "iVBORw0KGgo=" },
        overrides: {
            regions: { eu: { data: { "config.json": { db: { host: "db.eu.internal", tls: null } }, PORT: 8443 } } },
            clusters: { "eu-central-1": { data: { LOG_LEVEL: "debug" }, remove: ["FEATURE_X"] } },
        },
    });

    // Without a schema, the untyped API is unchanged: strings only, any key, any removal.
    const untyped = new FleetConfigMap("untyped", {
        fleet,
        data: { LOG_LEVEL: "info", ANY_KEY: pulumi.output("x") },
        overrides: { clusters: { "eu-central-1": { remove: ["LOG_LEVEL"] } } },
    });
    const args: FleetConfigMapArgs = { fleet, data: { A: "1" } };
    new FleetConfigMap("from-args", args);
    const asUntyped: FleetConfigMap = typed;

    // What TypeScript infers from the schema.
    type Data = NonNullable<FleetConfigMapArgs<typeof appSchema>["data"]>;
    assertType<Equal<Data["PORT"], pulumi.Input<number> | undefined>>();
    type Remove = NonNullable<NonNullable<NonNullable<FleetConfigMapArgs<typeof appSchema>["overrides"]>["regions"]>[string]["remove"]>;
    assertType<Equal<Remove, "FEATURE_X"[]>>();

    // Wrong: each is a compile error.
    new FleetConfigMap("typo-in-base", {
        fleet,
        schema: appSchema,
        // @ts-expect-error LOG_LEVLE is not a key of the schema
        data: { LOG_LEVLE: "info" },
    });
    new FleetConfigMap("typo-in-region", {
        fleet,
        schema: appSchema,
        // @ts-expect-error LOG_LEVLE is not a key of the schema, in an override too
        overrides: { regions: { eu: { data: { LOG_LEVLE: "debug" } } } },
    });
    new FleetConfigMap("string-port", {
        fleet,
        schema: appSchema,
        // @ts-expect-error PORT is a number, not a string
        data: { PORT: "8080" },
    });
    new FleetConfigMap("bad-enum", {
        fleet,
        schema: appSchema,
        // @ts-expect-error "verbose" is not one of the enum's values
        data: { LOG_LEVEL: "verbose" },
    });
    new FleetConfigMap("bad-field", {
        fleet,
        schema: appSchema,
        // @ts-expect-error pool is a number
        overrides: { regions: { eu: { data: { "config.json": { db: { pool: "ten" } } } } } },
    });
    new FleetConfigMap("unknown-field", {
        fleet,
        schema: appSchema,
        // @ts-expect-error hostname is not a field of db
        overrides: { regions: { eu: { data: { "config.json": { db: { hostname: "x" } } } } } },
    });
    new FleetConfigMap("null-required-field", {
        fleet,
        schema: appSchema,
        // @ts-expect-error host is required, so a patch cannot delete it with null
        overrides: { regions: { eu: { data: { "config.json": { db: { host: null } } } } } },
    });
    new FleetConfigMap("remove-required", {
        fleet,
        schema: appSchema,
        // @ts-expect-error PORT is required, so it cannot be removed
        overrides: { clusters: { "eu-central-1": { remove: ["PORT"] } } },
    });
    new FleetConfigMap("remove-unknown", {
        fleet,
        schema: appSchema,
        // @ts-expect-error NOT_A_KEY is not a key of the schema
        overrides: { clusters: { "eu-central-1": { remove: ["NOT_A_KEY"] } } },
    });
    new FleetConfigMap("output-of-wrong-type", {
        fleet,
        schema: appSchema,
        // @ts-expect-error an Output<string> where the schema wants a number
        data: { PORT: pulumi.output("8080") },
    });
    new FleetConfigMap("untyped-number", {
        fleet,
        // @ts-expect-error without a schema, values are strings, as before
        data: { PORT: 8080 },
    });

    return { typed, untyped, asUntyped };
}
