/**
 * Durations as a fleet file and the command line write them: `90s`, `10m`, `2h`, `1h30m`. Hours,
 * minutes and seconds, each at most once and in that order, as Go's and kubectl's durations read,
 * without fractions or days: a wave's soak or timeout is minutes to hours, and one spelling of each
 * value keeps reviews of the fleet file simple.
 */

const DURATION = /^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$/;

/** How a duration is written, for messages. */
export const DURATION_FORMAT = "hours, minutes and seconds such as 90s, 10m or 1h30m";

/**
 * The duration `text` in milliseconds, or `undefined` when it is not one (an empty string, a bare
 * number, a fraction, a unit out of order or repeated).
 *
 * @example
 * parseDuration("1h30m") === 5_400_000
 * parseDuration("10") === undefined // a bare number: seconds or minutes? Say which.
 */
export function parseDuration(text: string): number | undefined {
    const match = DURATION.exec(text);
    if (!match || text === "") return undefined;
    const [, h = "0", m = "0", s = "0"] = match;
    return ((Number(h) * 60 + Number(m)) * 60 + Number(s)) * 1000;
}

/**
 * Milliseconds as the shortest duration text that {@link parseDuration} reads back, rounded down to
 * the second: `5400000` is `1h30m`, `0` is `0s`. Progress and messages show durations this way, the
 * way the user wrote them.
 */
export function formatDuration(ms: number): string {
    const total = Math.max(0, Math.floor(ms / 1000));
    const h = Math.floor(total / 3600);
    const m = Math.floor((total % 3600) / 60);
    const s = total % 60;
    const text = `${h ? `${h}h` : ""}${m ? `${m}m` : ""}${s ? `${s}s` : ""}`;
    return text || "0s";
}
