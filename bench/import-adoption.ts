/**
 * One measured `fleet-rollout import` of a synthetic drifted fleet, reading mocked: every cluster's
 * ConfigMap comes from memory through the command's own reader (read-config-maps.ts), then the
 * command's own derivation, report, refusal checks and file text (`adopt`), and the text and JSON
 * report. Run in a process of its own so its memory is its own.
 *
 *   ts-node --transpile-only bench/import-adoption.ts CLUSTERS KEYS
 *
 * Prints one JSON line: `{ ms, readMs, deriveMs, entries, maxRssMiB }`.
 */
import { FleetObservation } from "../lib/adoption/observed-config-map";
import { ClusterAccess } from "../lib/rollout-cli/cluster-api/cluster-access";
import { ClusterApi, ClusterApiError } from "../lib/rollout-cli/cluster-api/cluster-api";
import { adopt } from "../lib/rollout-cli/import/import-command";
import { renderDivergence } from "../lib/rollout-cli/import/import-text";
import { configMapPath, readFleetConfigMaps } from "../lib/rollout-cli/import/read-config-maps";

const [clusters, keys] = [Number(process.argv[2] ?? 1000), Number(process.argv[3] ?? 50)];
const REGIONS = 20;

/**
 * A fleet as hand-editing leaves it: most keys the same everywhere, some set per region, one-off
 * values in a few clusters, keys missing here and there, a few clusters without the ConfigMap, and
 * file-shaped values of about 2 KiB.
 */
function drifted(index: number): { data: Record<string, string>; binaryData: Record<string, string> } | undefined {
    if (index % 97 === 13) return undefined;
    const region = index % REGIONS;
    const data: Record<string, string> = {};
    for (let k = 0; k < keys; k++) {
        const key = `KEY_${String(k).padStart(3, "0")}${k % 10 === 9 ? ".conf" : ""}`;
        if (k % 7 === 3 && (index * 31 + k) % 50 === 0) continue; // missing here
        let value = k % 10 === 9 ? `# file ${k}\n${"setting = value\n".repeat(128)}` : `value-${k}`;
        if (k % 5 === 1) value += `-region-${region}`; // a regional value
        if ((index * 17 + k * 13) % 211 === 0) value += `-one-off-${index}`; // an exception
        data[key] = value;
    }
    return { data, binaryData: index % 3 === 0 ? { "logo.png": "iVBORw0KGgo=" } : {} };
}

const accesses: ClusterAccess[] = Array.from({ length: clusters }, (_, i) => ({ name: `cluster-${String(i).padStart(4, "0")}`, region: `region-${i % REGIONS}`, stack: "s", kubeconfig: "/dev/null" }));
const bodies = new Map(accesses.map((a, i) => [a.name, drifted(i)]));
const path = configMapPath("shop", "app-config");
const api: ClusterApi = {
    getRaw: async (cluster, p) => {
        const body = p === path ? bodies.get(cluster.name) : undefined;
        if (body === undefined) throw new ClusterApiError("not found", "Error from server (NotFound)");
        return { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "app-config", namespace: "shop" }, ...body };
    },
    list: async () => [],
    mayI: async () => [],
};

async function main() {
    const start = process.hrtime.bigint();
    const observation: FleetObservation = await readFleetConfigMaps(api, accesses, "shop", "app-config", 16);
    const read = process.hrtime.bigint();
    const result = adopt(observation, clusters);
    const bytes = renderDivergence(result.report).length + JSON.stringify(result.report).length + result.text.length;
    const end = process.hrtime.bigint();
    if (result.problems.length > 0) throw new Error(`the synthetic fleet was refused: ${JSON.stringify(result.problems[0])}`);
    const ms = (a: bigint, b: bigint) => Number(b - a) / 1e6;
    const entries = result.text.split("\n").length;
    process.stdout.write(JSON.stringify({ ms: ms(start, end), readMs: ms(start, read), deriveMs: ms(read, end), bytes, lines: entries, divergentKeys: result.report.divergent.length, found: result.report.found, maxRssMiB: process.resourceUsage().maxRSS / 1024 }) + "\n");
}

main().catch((err) => {
    process.stderr.write(`${err.stack ?? err}\n`);
    process.exit(1);
});
