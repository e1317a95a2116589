/**
 * The component provider the compiled component package serves (`dist/component`, started by
 * `plugin.ts`): the same answers as the SDK's own `ComponentProvider`, without its costs at every start.
 *
 * The SDK's `ComponentProvider` infers the schema from the TypeScript types with a TypeScript program of
 * its own (the analyzer) at the first `getSchema` or `construct`, and the SDK's plugin runner serves it only
 * from TypeScript sources, which it type-checks: about 10 s before a YAML program's first resource. Here the
 * schema is the committed `schema.json`, which the unit tests prove equal to what the analyzer infers from
 * the types, and the component is the compiled class; so a start costs loading the JavaScript.
 *
 * The decisions are pure functions ({@link componentClass}, {@link componentOutputs}); the class only holds
 * what they need and answers the engine; {@link servedFrom} reads its folder.
 */
import * as pulumi from "@pulumi/pulumi";
import type * as provider from "@pulumi/pulumi/provider";
import * as fs from "fs";
import * as path from "path";
import { staleBuildRefusal } from "../compiled-build/refuse-stale-build";

/** The part of a Pulumi package schema this provider reads: the package's name and version, and each component's outputs. */
export interface ServedSchema {
    /** The package's name, the first part of every type token (`fleet-configmap`). */
    readonly name: string;
    /** The package's version, which the engine records for its resources. */
    readonly version: string;
    /** Each resource by type token; the provider reads the names of its output properties. */
    readonly resources: { readonly [token: string]: { readonly properties?: { readonly [output: string]: unknown } } };
}

/** A component class, as the provider constructs it: the engine's name, inputs and options. */
export type ComponentClass = new (name: string, args: any, opts?: pulumi.ComponentResourceOptions) => pulumi.ComponentResource;

/**
 * The class that a `construct` request's type token names, among `components` (by class name, as the
 * schema's tokens name them), with the schema's token for it, or an error that says why not. The same checks as the SDK's
 * `ComponentProvider`: the token is `<package>:index:<Name>` (or `<package>::<Name>`) of this package, and
 * its component is both in the schema and served.
 */
export function componentClass(schema: ServedSchema, components: { readonly [name: string]: ComponentClass }, type: string): { token: string; component: ComponentClass } {
    const parts = type.split(":");
    if (parts.length !== 3 || parts[2] === "") throw new Error(`Invalid resource type ${type}`);
    if (parts[0] !== schema.name) throw new Error(`Invalid package name ${parts[0]}, expected '${schema.name}'`);
    if (parts[1] !== "index" && parts[1] !== "") throw new Error(`Invalid module '${parts[1]}' in resource type '${type}', expected 'index' or empty string`);
    const token = `${schema.name}:index:${parts[2]}`;
    const component = Object.prototype.hasOwnProperty.call(components, parts[2]) ? components[parts[2]] : undefined;
    // Both, because the engine checks a program's inputs against the schema and the outputs come from it.
    if (!component || !schema.resources[token]) throw new Error(`Component class not found for '${parts[2]}'`);
    return { token, component };
}

/**
 * The state a `construct` returns: every output the schema names for the component `token`, read from the
 * constructed instance (Outputs, which the provider server resolves and serializes). An output the schema
 * names and the class does not have is a schema that does not match the build: an error, not an absent
 * output, since a program that reads it would otherwise get nothing silently.
 */
export function componentOutputs(schema: ServedSchema, token: string, instance: object): Record<string, unknown> {
    const outputs = Object.keys(schema.resources[token]?.properties ?? {});
    const missing = outputs.filter((name) => !(name in instance));
    if (missing.length > 0) throw new Error(`${token} has no output ${missing.map((m) => `\`${m}\``).join(", ")} that its schema names: the schema and the build do not match; run \`npm run build\``);
    return Object.fromEntries(outputs.map((name) => [name, (instance as Record<string, unknown>)[name]]));
}

/**
 * A component provider over a committed schema and compiled component classes. With `refusal` set (the
 * build is stale, say), it serves nothing: `getSchema` and `construct` fail with that message, which the
 * engine shows the user; an error thrown at start would instead reach them as a plugin that did not start.
 */
export class CompiledComponentProvider implements provider.Provider {
    /** The package's version, from the schema. */
    public readonly version: string;
    private readonly served: ServedSchema;

    /**
     * @param schemaText The package's schema, as `getSchema` returns it (JSON).
     * @param components The component classes by class name.
     * @param refusal Why the provider must not serve (shown as is), or undefined.
     */
    constructor(
        private readonly schemaText: string,
        private readonly components: { readonly [name: string]: ComponentClass },
        private readonly refusal?: string,
    ) {
        this.served = JSON.parse(schemaText) as ServedSchema;
        this.version = this.served.version;
    }

    /** The committed schema, as it is. */
    async getSchema(): Promise<string> {
        if (this.refusal) throw new pulumi.RunError(this.refusal);
        return this.schemaText;
    }

    /** Constructs the component the type token names, and returns its URN and its outputs. */
    async construct(name: string, type: string, inputs: pulumi.Inputs, options: pulumi.ComponentResourceOptions): Promise<provider.ConstructResult> {
        if (this.refusal) throw new pulumi.RunError(this.refusal);
        const { token, component } = componentClass(this.served, this.components, type);
        const instance = new component(name, inputs, options);
        return { urn: instance.urn, state: componentOutputs(this.served, token, instance) };
    }
}

/**
 * The provider of the compiled component package in `dir` (`dist/component`): its `schema.json`, and the
 * refusal to serve while the build is stale in a checkout ({@link staleBuildRefusal}).
 */
export function servedFrom(dir: string, components: { readonly [name: string]: ComponentClass }): CompiledComponentProvider {
    return new CompiledComponentProvider(fs.readFileSync(path.join(dir, "schema.json"), "utf8"), components, staleBuildRefusal(dir));
}
