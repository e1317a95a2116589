import * as assert from "assert";
import { formatDuration, parseDuration } from "../../../lib/fleet/durations";

describe("durations", () => {
    it("reads hours, minutes and seconds in that order, each at most once", () => {
        assert.strictEqual(parseDuration("90s"), 90_000);
        assert.strictEqual(parseDuration("10m"), 600_000);
        assert.strictEqual(parseDuration("2h"), 7_200_000);
        assert.strictEqual(parseDuration("1h30m"), 5_400_000);
        assert.strictEqual(parseDuration("1h0m5s"), 3_605_000);
        assert.strictEqual(parseDuration("0s"), 0);
    });

    it("refuses a bare number, a fraction, an unknown or repeated unit, units out of order and an empty text", () => {
        for (const text of ["10", "1.5m", "10d", "10ms", "5m5m", "30s1m", "", " 10m", "10 m", "-5m", "m"]) {
            assert.strictEqual(parseDuration(text), undefined, text);
        }
    });

    it("writes milliseconds back as the shortest text it reads, rounded down to the second", () => {
        assert.strictEqual(formatDuration(5_400_000), "1h30m");
        assert.strictEqual(formatDuration(600_000), "10m");
        assert.strictEqual(formatDuration(61_999), "1m1s");
        assert.strictEqual(formatDuration(999), "0s");
        assert.strictEqual(formatDuration(-5), "0s");
        for (const text of ["90s", "1h30m", "2h5s", "24h"]) assert.strictEqual(parseDuration(formatDuration(parseDuration(text)!)), parseDuration(text));
    });
});
