/**
 * The file `fleet-rollout import` writes and a Pulumi program reads: one ConfigMap's name, namespace,
 * base `data` and `binaryData` and overrides, in YAML. A program spreads it into a FleetConfigMap:
 *
 * ```ts
 * const appConfig = new FleetConfigMap("app-config", { fleet, ...loadAdoptedConfig("adopted/app-config.yaml") });
 * ```
 *
 * Why a data file and not generated TypeScript: the values of a real fleet are long and many, and a
 * file the program reads keeps them out of the code, where a later edit (one region's value) is one
 * line of YAML. Values round-trip byte for byte: YAML strings are parsed back exactly, and a value
 * an editor could change without anyone seeing (trailing blanks, a carriage return) is written
 * double-quoted, with escapes.
 */
import * as fs from "fs";
import * as path from "path";
import { Document, isScalar, parse as parseYaml, visit } from "yaml";
import { z } from "zod";
import { fieldPath, FileProblemsError, Problem } from "../errors/problems";
import { externalConsumersSchema, ExternalConsumers } from "../external-consumers/external-consumer";
import { adoptSchema } from "./adopt-existing";
import { PlainPatch } from "./derive-layering";

/** One adopted ConfigMap: the arguments of a FleetConfigMap other than its fleet. */
export interface AdoptedConfig {
    /** The ConfigMap's name, namespace, labels and annotations, the same in every cluster. */
    readonly metadata: {
        /** The ConfigMap's name. */
        readonly name: string;
        /** Its namespace. */
        readonly namespace: string;
        /** The labels every cluster's copy had, kept by the first `up` (see derive-metadata.ts). @default absent: none */
        readonly labels?: Record<string, string>;
        /**
         * The annotations every cluster's copy had, less kubectl's `last-applied-configuration` (see
         * derive-metadata.ts), kept by the first `up`. @default absent: none
         */
        readonly annotations?: Record<string, string>;
    };
    /** The base `data`. */
    readonly data: Record<string, string>;
    /** The base `binaryData`, base64. */
    readonly binaryData: Record<string, string>;
    /** Region and cluster patches. */
    readonly overrides: {
        /** The patch of each region, by region name. */
        readonly regions: Record<string, PlainPatch>;
        /** The patch of each cluster, by cluster name, applied after its region's. */
        readonly clusters: Record<string, PlainPatch>;
    };
    /** Workloads the program does not manage that read the ConfigMap. @default absent: none */
    readonly externalConsumers?: ExternalConsumers;
    /**
     * The clusters the ConfigMap was found in, which the FleetConfigMap takes over with Pulumi's
     * `import` instead of creating it (see adopt-existing.ts). @default absent: none
     */
    readonly adopt?: readonly string[];
    /**
     * The field managers whose keys the first `up` may take (`import --take-ownership` writes those it
     * found; see ownership-clashes.ts). @default absent: none
     */
    readonly takeOwnershipFrom?: readonly string[];
}

const strings = z.record(z.string(), z.string("must be a string (quote it in YAML)"), "must be a map of keys to strings");
const patch = z.strictObject({
    data: strings.optional(),
    binaryData: strings.optional(),
    remove: z.array(z.string("must be a key name"), "must be a list of key names").optional(),
});
const adoptedSchema = z.strictObject({
    metadata: z.strictObject(
        { name: z.string("must be a string"), namespace: z.string("must be a string"), labels: strings.optional(), annotations: strings.optional() },
        "must give `name` and `namespace`",
    ),
    adopt: adoptSchema.optional(),
    takeOwnershipFrom: z.array(z.string("must be a field manager's name"), "must be a list of field managers' names").optional(),
    data: strings.optional(),
    binaryData: strings.optional(),
    overrides: z
        .strictObject({
            regions: z.record(z.string(), patch, "must be a map of regions to patches").optional(),
            clusters: z.record(z.string(), patch, "must be a map of clusters to patches").optional(),
        })
        .optional(),
    externalConsumers: externalConsumersSchema.optional(),
});

/** An adopted-config file that cannot be used; its message names the file and every field at fault. */
export class AdoptedConfigError extends FileProblemsError {
    constructor(file: string, problems: readonly Problem[]) {
        super("adopted config", file, problems);
        this.name = "AdoptedConfigError";
    }
}

/**
 * Reads an adopted-config file, relative to the working directory (a Pulumi program's is its project
 * directory). Throws an {@link AdoptedConfigError} naming the field at fault; the FleetConfigMap checks
 * the rest (keys, regions and clusters the fleet has) as it does for any arguments.
 */
export function loadAdoptedConfig(file: string): AdoptedConfig {
    const resolved = path.resolve(file);
    let text: string;
    try {
        text = fs.readFileSync(resolved, "utf8");
    } catch (err) {
        throw new AdoptedConfigError(file, [{ field: "file", message: `cannot be read: ${(err as Error).message}` }]);
    }
    return parseAdoptedConfig(text, file);
}

/** Parses an adopted-config file's text; throws an {@link AdoptedConfigError}. */
export function parseAdoptedConfig(text: string, file = "(adopted config)"): AdoptedConfig {
    let raw: unknown;
    try {
        raw = parseYaml(text);
    } catch (err) {
        throw new AdoptedConfigError(file, [{ field: "file", message: `is not YAML: ${(err as Error).message.split("\n")[0]}` }]);
    }
    const result = adoptedSchema.safeParse(raw);
    if (!result.success) {
        throw new AdoptedConfigError(
            file,
            result.error.issues.map((issue) => {
                const at = issue.code === "unrecognized_keys" ? [...issue.path, issue.keys[0]] : issue.path;
                return { field: at.length ? fieldPath(at) : "(top level)", message: issue.code === "unrecognized_keys" ? "is not a known field" : issue.message };
            }),
        );
    }
    const a = result.data;
    const { labels, annotations, ...where } = a.metadata;
    return {
        metadata: { ...where, ...(labels ? { labels } : {}), ...(annotations ? { annotations } : {}) },
        data: a.data ?? {},
        binaryData: a.binaryData ?? {},
        overrides: { regions: a.overrides?.regions ?? {}, clusters: a.overrides?.clusters ?? {} },
        ...(a.externalConsumers ? { externalConsumers: a.externalConsumers as ExternalConsumers } : {}),
        ...(a.adopt ? { adopt: a.adopt } : {}),
        ...(a.takeOwnershipFrom ? { takeOwnershipFrom: a.takeOwnershipFrom } : {}),
    };
}

/**
 * The file's text: a header saying where it came from and how a program reads it, then the config.
 * Empty parts are left out. Deterministic: the same config gives the same bytes.
 */
export function adoptedConfigText(config: AdoptedConfig, header: readonly string[] = []): string {
    const { labels, annotations, ...where } = config.metadata;
    const metadata: Record<string, unknown> = { ...where };
    if (labels && Object.keys(labels).length > 0) metadata.labels = labels;
    if (annotations && Object.keys(annotations).length > 0) metadata.annotations = annotations;
    const body: Record<string, unknown> = { metadata };
    if (config.adopt && config.adopt.length > 0) body.adopt = config.adopt;
    if (config.takeOwnershipFrom && config.takeOwnershipFrom.length > 0) body.takeOwnershipFrom = config.takeOwnershipFrom;
    if (Object.keys(config.data).length > 0) body.data = config.data;
    if (Object.keys(config.binaryData).length > 0) body.binaryData = config.binaryData;
    const overrides: Record<string, unknown> = {};
    if (Object.keys(config.overrides.regions).length > 0) overrides.regions = config.overrides.regions;
    if (Object.keys(config.overrides.clusters).length > 0) overrides.clusters = config.overrides.clusters;
    if (Object.keys(overrides).length > 0) body.overrides = overrides;
    if (config.externalConsumers) body.externalConsumers = config.externalConsumers;
    const doc = new Document(body);
    visit(doc, {
        Scalar(_, node) {
            // A value an editor would silently change (trailing blanks, CR, a tab) is written with escapes.
            if (isScalar(node) && typeof node.value === "string" && /[ \t]$|[ \t]\n|[\r\t]/.test(node.value)) node.type = "QUOTE_DOUBLE";
        },
    });
    const comments = header.map((line) => `# ${line}`.trimEnd()).join("\n");
    return (comments ? comments + "\n" : "") + doc.toString({ lineWidth: 0, blockQuote: "literal" });
}
