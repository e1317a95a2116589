/**
 * How a typed value becomes a ConfigMap string. ConfigMap values are strings; with a schema, a value
 * may also be a number, a boolean, null, an array or a plain object, and this is the one rule that
 * turns it into the string the cluster stores and the hash covers:
 *
 * - a string is written as it is;
 * - anything else is written as canonical JSON (RFC 8785, JSON Canonicalization Scheme): object keys
 *   sorted, no whitespace, numbers in their shortest round-trip form (`8080`, `0.5`, `1e+21`),
 *   booleans `true`/`false`. So `8080` is written `8080` and `{ b: 1, a: [true] }` `{"a":[true],"b":1}`,
 *   whatever order the keys were written in, and the same content always has the same hash.
 *
 * Values JSON cannot represent faithfully (NaN, ±Infinity, undefined inside an array, functions, class
 * instances such as Date or Map, strings with lone surrogates) are refused by `valueProblems`
 * rather than silently changed.
 */
import canonicalize from "canonicalize";

/** A value written to a ConfigMap key, with the path inside it where it is not representable. */
export interface ValueProblem {
    /** The path inside the value, empty for the value itself, e.g. `["db", "port"]`. */
    readonly path: readonly (string | number)[];
    /** What is wrong with it. */
    readonly message: string;
}

/** The string a ConfigMap stores for `value`. Call `valueProblems` first: an unrepresentable value renders as `""`. */
export function renderValue(value: unknown): string {
    if (typeof value === "string") return value;
    try {
        return canonicalize(value) ?? "";
    } catch {
        return "";
    }
}

/** Every part of `value` that has no faithful canonical-JSON form, each with its path. */
export function valueProblems(value: unknown, path: readonly (string | number)[] = []): ValueProblem[] {
    switch (typeof value) {
        case "string":
            return isWellFormed(value) ? [] : [{ path, message: "is a string with a lone surrogate, which has no UTF-8 form" }];
        case "boolean":
            return [];
        case "number":
            return Number.isFinite(value) ? [] : [{ path, message: `is ${value}, which JSON cannot represent` }];
        case "object":
            if (value === null) return [];
            if (Array.isArray(value)) return value.flatMap((item, i) => valueProblems(item, [...path, i]));
            if (isPlainObject(value)) {
                return Object.entries(value).flatMap(([key, item]) => (item === undefined ? [] : valueProblems(item, [...path, key])));
            }
            return [{ path, message: `is a ${value.constructor?.name ?? "object"}; values are strings, numbers, booleans, null, arrays and plain objects` }];
        default:
            return [{ path, message: `is ${typeof value === "undefined" ? "undefined" : `a ${typeof value}`}; values are strings, numbers, booleans, null, arrays and plain objects` }];
    }
}

/** An object written as `{ ... }` (or with a null prototype), as opposed to an array or a class instance. */
export function isPlainObject(value: unknown): value is Record<string, unknown> {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return false;
    const proto = Object.getPrototypeOf(value);
    return proto === Object.prototype || proto === null;
}

// String.prototype.isWellFormed is ES2024; the package compiles against ES2022, and Node has it since 20.
function isWellFormed(text: string): boolean {
    return (text as unknown as { isWellFormed(): boolean }).isWellFormed();
}
