/**
 * Small random fleets for the adoption tests: a seeded generator, so that a failure names a seed that
 * reproduces it.
 */
import { ObservedConfigMap } from "../../../lib/adoption/observed-config-map";

/** mulberry32: a small, seedable PRNG; the tests need repeatability, not quality. */
export function random(seed: number): () => number {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/** An integer in [lo, hi]. */
export function between(next: () => number, lo: number, hi: number): number {
    return lo + Math.floor(next() * (hi - lo + 1));
}

/** One of `items`. */
export function pick<T>(next: () => number, items: readonly T[]): T {
    return items[Math.floor(next() * items.length)];
}

/** Values that break naive round trips: multi-line, trailing spaces, CRLF, YAML look-alikes, unicode, empty. */
export const AWKWARD_VALUES = [
    "info",
    "debug",
    "",
    "line one\nline two\n",
    "no trailing newline\nat end",
    "  leading and trailing  \n\n",
    "crlf\r\nline\r\n",
    "tab\there",
    "yes",
    "0x1F",
    "- a list?\n- no",
    "key: value # not a comment",
    "ünïcödé ✓ 🚀",
    '"quoted" and \'single\'',
    "---\n...\n",
    "~",
    "null",
    "1e3",
    "@at *star &amp !bang %pct",
];

/** Base64 values, as `binaryData` holds them. */
export const BINARY_VALUES = ["AA==", "AAEC/w==", Buffer.from([0, 255, 10, 13, 128]).toString("base64"), ""];

/**
 * A random fleet of `clusters` clusters over `regions` regions, each with a copy of the ConfigMap
 * drawn from a few values per key, so that keys agree, diverge by region, have exceptions, are
 * missing, and move between `data` and `binaryData`.
 */
export function randomFleet(next: () => number, options: { clusters: number; regions: number; keys: number; values?: readonly string[] }): ObservedConfigMap[] {
    const values = options.values ?? AWKWARD_VALUES;
    const keyValues = Array.from({ length: options.keys }, () => {
        const n = between(next, 1, 3);
        return Array.from({ length: n }, () => (next() < 0.15 ? { kind: "binaryData" as const, value: pick(next, BINARY_VALUES) } : { kind: "data" as const, value: pick(next, values) }));
    });
    return Array.from({ length: options.clusters }, (_, i) => {
        const data: Record<string, string> = {};
        const binaryData: Record<string, string> = {};
        keyValues.forEach((choices, k) => {
            if (next() < 0.15) return; // the key is missing here
            const choice = pick(next, choices);
            (choice.kind === "data" ? data : binaryData)[`KEY_${k}`] = choice.value;
        });
        return { cluster: `c${i}`, region: `r${between(next, 0, options.regions - 1)}`, data, binaryData };
    });
}
