import * as pulumi from "@pulumi/pulumi";

/** A resource the program registered, as the mock monitor saw it. */
export interface Registered {
    readonly type: string;
    readonly name: string;
    readonly inputs: any;
    readonly provider?: string;
    readonly custom?: boolean;
    /** The ID it is imported by (the `import` resource option); absent for a create. */
    readonly importId?: string;
    /** The ID it is read by, for a read (`Resource.get`); absent otherwise. */
    readonly readId?: string;
}

/**
 * Whether the SDK's mock monitor lets a test tell an import from a read. Since it passes `transforms`
 * to every registration (never to a read), a registration with an ID is an import; the floor's
 * @pulumi/pulumi 3.248 passes the same arguments for both, so there a test of imports cannot tell
 * what it asserts and is skipped (the engine's own import is proven end to end on the current SDK).
 */
export let mocksTellImportsFromReads = false;

/** What a read (`Resource.get`) gives, by type, name and ID; undefined gives `{}`. */
export type ReadState = (type: string, name: string, id: string) => object | undefined;

/** Every resource registered since the last {@link useMocks}. */
export const registered: Registered[] = [];

/**
 * Routes resource registrations to an in-memory record. Any provider function call is unexpected and
 * fails the test. With `preview`, the program runs as in `pulumi preview`.
 */
export async function useMocks(preview = false, reads?: ReadState): Promise<void> {
    registered.length = 0;
    await pulumi.runtime.setMocks(
        {
            newResource(args) {
                // The mock monitor gives transforms to a registration, never to a read.
                // Any registration passes an ID, "" when it imports nothing.
                if ("transforms" in args) mocksTellImportsFromReads = true;
                const read = !("transforms" in args) && !!args.id;
                registered.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider, custom: args.custom, ...(args.id ? (read ? { readId: args.id } : { importId: args.id }) : {}) });
                if (read) return { id: args.id, state: reads?.(args.type, args.name, args.id!) ?? args.inputs };
                return { id: args.custom ? `${args.name}-id` : undefined, state: args.inputs };
            },
            call(args) {
                throw new Error(`unexpected provider call ${args.token}`);
            },
        },
        "fleet-test",
        "unit",
        preview,
    );
}

/** The one registered resource of `type` called `name`; fails if there is none. */
export function findCreated(type: string, name: string): Registered {
    const found = registered.filter((r) => r.type === type && r.name === name);
    if (found.length !== 1) {
        throw new Error(`expected one ${type} "${name}", found ${found.length}; registered: ${registered.map((r) => `${r.type}:${r.name}`).join(", ")}`);
    }
    return found[0];
}

/** Every registered resource of `type`. */
export function allCreated(type: string): Registered[] {
    return registered.filter((r) => r.type === type);
}

/** The value of an Output, or undefined when it is unknown (preview). */
export function valueOf<T>(output: pulumi.Output<T>): Promise<T | undefined> {
    return (output as any).isKnown.then((known: boolean) => (known ? (output as any).promise() : undefined));
}

/** Waits until every registration the program started has reached the mock monitor. */
export async function settle(): Promise<void> {
    for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

/** How the mock monitor records a secret input: Pulumi's secret signature around the value. */
export function secretValue(value: unknown): object {
    return { "4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value };
}

/**
 * Collects the errors that make a Pulumi program fail asynchronously (an input that rejects surfaces as
 * an unhandled rejection under the mock monitor). `stop()` waits for them, detaches, and returns their messages.
 */
export function captureProgramFailures(): { stop(): Promise<string[]> } {
    const messages: string[] = [];
    const onRejection = (reason: unknown) => messages.push(reason instanceof Error ? reason.message : String(reason));
    const onHandled = () => undefined;
    process.on("unhandledRejection", onRejection);
    process.on("rejectionHandled", onHandled);
    return {
        async stop() {
            await settle();
            await new Promise((resolve) => setTimeout(resolve, 50));
            process.off("unhandledRejection", onRejection);
            process.off("rejectionHandled", onHandled);
            return messages;
        },
    };
}
