import { execFileSync } from "child_process";
import * as path from "path";
import { env, kubeconfigDir, ROOT, run } from "./harness";
import { startSpan, timed } from "./timing";

/**
 * The local fleet of 6 clusters in 3 regions that the rollout command's suites run on
 * (rollout.test.ts, reshard.test.ts): fleet-1 to fleet-6, the first three shared with the other
 * suites. The suites run one after another, never beside each other (`npm run test:e2e`): the 2 cores
 * are busy through an e2e run, so running suites side by side saves nothing, and every idle control
 * plane costs about a tenth of a core (docs/TESTING.md). So a suite starts the three others only when
 * it needs them, and deletes after it the ones it started.
 */
export const SIX_CLUSTERS = [
    { name: "us-east-1", region: "us", kwok: "fleet-1" },
    { name: "eu-west-1", region: "eu", kwok: "fleet-2" },
    { name: "eu-central-1", region: "eu", kwok: "fleet-3" },
    { name: "us-west-2", region: "us", kwok: "fleet-4" },
    { name: "ap-south-1", region: "ap", kwok: "fleet-5" },
    { name: "ap-northeast-1", region: "ap", kwok: "fleet-6" },
] as const;

/** The name of one of the {@link SIX_CLUSTERS}. */
export type SixClusterName = (typeof SIX_CLUSTERS)[number]["name"];

/** Runs kubectl against one of the six clusters; returns its stdout, or throws with its stderr. */
export function kubectlOn(cluster: SixClusterName, ...args: string[]): string {
    const kwok = SIX_CLUSTERS.find((c) => c.name === cluster)!.kwok;
    return run("kubectl", ["--kubeconfig", path.join(kubeconfigDir(), `${kwok}.yaml`), "--request-timeout=10s", ...args]);
}

/** Deletes a scenario's namespace that an earlier run left in any of the six clusters, and waits until it is gone. */
export function clearNamespace(namespace: string): void {
    timed("clear", "namespace left by an earlier run", () => {
        for (const c of SIX_CLUSTERS) kubectlOn(c.name, "delete", "namespace", namespace, "--ignore-not-found", "--wait=true", "--timeout=120s");
    });
}

/**
 * Starts deleting a scenario's namespace in every one of the six clusters, without waiting; a cluster
 * that cannot be reached (stopped by a scenario) is cleaned when the next scenario of that name starts
 * ({@link clearNamespace}).
 */
export function dropNamespace(namespace: string): void {
    const span = startSpan("clear", "namespace");
    for (const c of SIX_CLUSTERS) {
        try {
            kubectlOn(c.name, "delete", "namespace", namespace, "--ignore-not-found", "--wait=false");
        } catch {
            // Cleaned when the next scenario of this name starts.
        }
    }
    span.end();
}

/** The clusters every suite shares, which no suite deletes. */
const SHARED = ["fleet-1", "fleet-2", "fleet-3"];
const FLEET_SCRIPT = path.join(ROOT, "scripts/fleet");

/** The clusters beyond the shared three that this run started, and has not deleted yet. */
const started = new Set<string>();

/**
 * Starts the six clusters when one of them does not answer. A suite calls it before its tests and
 * every scenario again: a cluster lost during an earlier scenario (or by anything else on the machine)
 * is recreated by `scripts/fleet up`, and the scenario, which deploys from scratch on its own backend,
 * runs on the whole fleet.
 */
export function ensureSixClusters(): void {
    const answers = (kwok: string) => {
        try {
            return run("kubectl", ["--kubeconfig", path.join(kubeconfigDir(), `${kwok}.yaml`), "--request-timeout=5s", "get", "--raw", "/readyz"]).trim() === "ok";
        } catch {
            return false;
        }
    };
    const missing = SIX_CLUSTERS.filter((c) => !answers(c.kwok)).map((c) => c.kwok);
    if (missing.length === 0) return;
    console.log(`      (not answering: ${missing.join(", ")}; scripts/fleet up 6)`);
    for (const kwok of missing) if (!SHARED.includes(kwok)) started.add(kwok);
    timed("fleet", "up 6", () => execFileSync(FLEET_SCRIPT, ["up", "6"], { env: env(), stdio: ["ignore", "inherit", "inherit"] }));
}

/** Deletes the clusters this run started beyond the shared three: idle, each would cost the suites after it about a tenth of a core. */
function deleteStartedClusters(): void {
    if (started.size === 0) return;
    timed("fleet", "delete", () => execFileSync(FLEET_SCRIPT, ["delete", ...[...started].sort()], { env: env(), stdio: ["ignore", "inherit", "inherit"] }));
    started.clear();
}

/** The suites that run on the six clusters. */
const users = new Set<Mocha.Suite>();

/**
 * Says that `suite` (a `describe`'s `this`) runs on the six clusters, when mocha loads it: a suite
 * before it then leaves them up for it ({@link releaseSixClusters}).
 */
export function useSixClusters(suite: Mocha.Suite): void {
    users.add(suite);
}

/**
 * After `suite`: deletes the clusters this run started, unless the suite that runs next uses them too
 * (the re-sharding suite runs just before the rollout suite: deleting three control planes and
 * starting them again between the two would cost some 30 s for nothing).
 */
export function releaseSixClusters(suite: Mocha.Suite): void {
    const siblings = suite.parent?.suites ?? [];
    const next = siblings[siblings.indexOf(suite) + 1];
    if (!next || !users.has(next)) deleteStartedClusters();
}

// When the next suite keeps the clusters but runs none of its tests (a `--grep` that leaves it out),
// they are deleted when the run ends.
after(() => deleteStartedClusters());
