/**
 * A config over 1 MiB with `strategy: "split"` on the real engine and two local clusters: the parts,
 * the projected volume of the consumer, a change to one key, a consumer refused for reading it by
 * `envFrom`, and the parts deleted when the config shrinks.
 */
import { EngineEvent, LocalWorkspace } from "@pulumi/pulumi/automation";
import * as assert from "assert";
import * as path from "path";
import { Cluster, ensureFleet, EngineRun, kubectl, kubectlGet, revisionOf, Scenario, touched } from "./harness";

const PROGRAM = path.join(__dirname, "split-program");
const CLUSTERS: Cluster[] = ["us-east-1", "eu-west-1"];
const HASH_KEY = "checksum.fleet-configmap.dev/routes";
/** The split strategy's budget per part (1 MiB less 64 KiB). */
const PART_BUDGET = 983_040;

/** The parts of the config in a cluster, as kubectl sees them: name → ConfigMap. */
function partsIn(s: Scenario, cluster: Cluster): Map<string, any> {
    const items = JSON.parse(kubectl(cluster, "-n", s.namespace, "get", "configmaps", "-l", "app=routes", "-o", "json")).items;
    return new Map(items.map((cm: any) => [cm.metadata.name, cm]).sort(([a]: [string], [b]: [string]) => a.localeCompare(b)));
}

function sourcesOf(volumes: any[]): string[] {
    const routes = volumes.find((v) => v.name === "routes");
    assert.ok(routes?.projected, `the routes volume is projected: ${JSON.stringify(volumes)}`);
    return routes.projected.sources.map((source: any) => source.configMap.name);
}

/** The router's pod template and a running pod of it (kwok runs pods on fake nodes). */
function router(s: Scenario, cluster: Cluster) {
    const deployment = kubectlGet(cluster, s.namespace, "deployment", "router");
    const pods = JSON.parse(kubectl(cluster, "-n", s.namespace, "get", "pods", "-l", "app=router", "-o", "json")).items.filter((p: any) => !p.metadata.deletionTimestamp);
    return { deployment, template: deployment.spec.template, pods };
}

/** Runs `up`, recording the order in which the engine finished each step on the given resources. */
async function upInOrder(s: Scenario, names: RegExp): Promise<{ order: string[]; run: EngineRun }> {
    const order: string[] = [];
    const steps: EngineRun["steps"] = [];
    const result = await s.stack.up({
        onEvent: (e: EngineEvent) => {
            if (e.resourcePreEvent) steps.push(e.resourcePreEvent.metadata);
            const m = e.resOutputsEvent?.metadata;
            const name = m?.urn.split("::").pop();
            if (m && name && names.test(name) && m.op !== "same") order.push(`${m.op} ${name}`);
        },
    });
    assert.strictEqual(result.summary.result, "succeeded");
    return { order, run: { steps, diagnostics: [], stdout: result.stdout } };
}

describe("a split config on the real engine (2 local clusters)", function () {
    this.timeout(20 * 60 * 1000);

    before(() => ensureFleet());

    it("mounts a 2.5 MiB config as one projected volume over its parts, rewrites only the part of a changed key and rolls the consumer, refuses an envFrom reader, and deletes the extra parts when it shrinks", async () => {
        const s = await Scenario.create("split-config", {}, PROGRAM);
        // `npm run typecheck` checks the program; each of the six engine runs need not type-check it again.
        const workspace = s.stack.workspace as LocalWorkspace;
        workspace.envVars = { ...workspace.envVars, PULUMI_NODEJS_TRANSPILE_ONLY: "true" };
        const started = Date.now();
        let lap = started;
        const timed = (what: string) => {
            s.report(`${what}: ${Math.round((Date.now() - lap) / 1000)} s`);
            lap = Date.now();
        };
        try {
            // 25 routing tables of 100 KiB: 2,560,000 bytes of values in each cluster. In place, refused, pointing to split.
            await s.setConfig("strategy", "in-place");
            const inPlace = await s.previewFailing();
            assert.match(inPlace.error, /FleetConfigMap "routes" has invalid arguments; nothing was changed/);
            assert.match(inPlace.error, /\(cluster "us-east-1"\): the effective ConfigMap holds 2,560,000 bytes of values, over the limit of 1,048,576 bytes \(1 MiB\);.* For file-shaped data \(many keys, each a file\), `strategy: "split"` spreads it over several ConfigMaps mounted as one volume/);
            s.report(`in place, refused at preview:\n${inPlace.error.split("\n").filter((l) => /invalid arguments|cluster "us-east-1"/.test(l)).join("\n")}`);
            timed("preview in place (refused)");
            await s.setConfig("strategy", undefined);
            await s.up();
            timed("first up");
            const outputs = await s.stack.outputs();
            const names = outputs.parts.value as Record<Cluster, string[]>;
            const hashes = outputs.hashes.value as Record<Cluster, string>;
            const holder: Record<string, string> = {};
            for (const cluster of CLUSTERS) {
                const parts = partsIn(s, cluster);
                assert.deepStrictEqual([...parts.keys()], [...names[cluster]].sort(), `the parts in ${cluster} are the ConfigMaps the program wrote`);
                assert.ok(parts.size >= 3, `2.5 MiB takes at least 3 parts of at most ${PART_BUDGET} bytes: ${[...parts.keys()]}`);
                const keys = [...parts.values()].flatMap((cm) => Object.keys(cm.data ?? {}));
                assert.strictEqual(keys.length, 25, "every file is in exactly one part");
                assert.strictEqual(new Set(keys).size, 25);
                for (const [name, cm] of parts) {
                    const size = Object.values(cm.data as Record<string, string>).reduce((sum, v) => sum + Buffer.byteLength(v), 0);
                    assert.ok(size <= PART_BUDGET, `${name} holds ${size} bytes`);
                    for (const key of Object.keys(cm.data)) holder[`${cluster}/${key}`] = name;
                }
                const { template, pods } = router(s, cluster);
                assert.deepStrictEqual(sourcesOf(template.spec.volumes), names[cluster], `the Deployment's volume in ${cluster} is projected over every part`);
                assert.ok(pods.length > 0, `a router pod runs in ${cluster}`);
                for (const pod of pods) assert.deepStrictEqual(sourcesOf(pod.spec.volumes), names[cluster], "and so is the pod's");
                assert.strictEqual(template.metadata.annotations[HASH_KEY], hashes[cluster], "the consumer carries the hash of the whole config");
                s.report(`${cluster}: parts ${[...parts].map(([name, cm]) => `${name} (${Object.keys(cm.data).length} files)`).join(", ")}; router's volume projected over all of them`);
            }

            // One file changes (same size): only the part that holds it is rewritten, in place, and the router rolls.
            const before = Object.fromEntries(CLUSTERS.map((c) => [c, { parts: partsIn(s, c), revision: revisionOf(c, s.namespace, "deployment", "router"), hash: router(s, c).template.metadata.annotations[HASH_KEY] }]));
            await s.setConfig("changed", "routes-07.txt");
            const change = await s.up();
            timed("up with one file changed");
            const expected = CLUSTERS.flatMap((c) => [`routes-${c}-part-${holder[`${c}/routes-07.txt`].split("-").pop()}`, `router-${c}`]).sort();
            assert.deepStrictEqual(touched(change), expected, "the engine changed the part holding routes-07.txt and the router, in each cluster, and nothing else");
            for (const cluster of CLUSTERS) {
                const after = partsIn(s, cluster);
                const changedPart = holder[`${cluster}/routes-07.txt`];
                for (const [name, cm] of after) {
                    const was = before[cluster].parts.get(name);
                    assert.strictEqual(cm.metadata.uid, was.metadata.uid, `${name} in ${cluster} kept its UID (updated in place, not replaced)`);
                    if (name === changedPart) assert.notStrictEqual(cm.metadata.resourceVersion, was.metadata.resourceVersion, `${name} was rewritten`);
                    else assert.strictEqual(cm.metadata.resourceVersion, was.metadata.resourceVersion, `${name} in ${cluster} was not touched`);
                }
                assert.match(after.get(changedPart).data["routes-07.txt"], /# routes-07\.txt v2\n/);
                assert.notStrictEqual(router(s, cluster).template.metadata.annotations[HASH_KEY], before[cluster].hash, "the whole-config hash moved");
                assert.notStrictEqual(revisionOf(cluster, s.namespace, "deployment", "router"), before[cluster].revision, `the router in ${cluster} rolled`);
                s.report(`${cluster}: routes-07.txt changed: ${changedPart} rewritten (resourceVersion ${before[cluster].parts.get(changedPart).metadata.resourceVersion} -> ${after.get(changedPart).metadata.resourceVersion}), the other ${after.size - 1} parts untouched; router revision ${before[cluster].revision} -> ${revisionOf(cluster, s.namespace, "deployment", "router")}`);
            }

            // A consumer that reads the config by envFrom is refused at preview, and nothing changes.
            await s.setConfig("envReader", "true");
            const state = await s.state();
            const refused = await s.previewFailing();
            timed("preview with an envFrom reader (refused)");
            const errors = refused.diagnostics.filter((d) => d.startsWith("error:"));
            // Each cluster's reader is refused by its own transform. The first refusal stops the program, but the
            // engine may already be transforming the other cluster's reader (earlier runs printed one error, a CI
            // run printed two), so either count is right so long as no refusal is printed twice.
            assert.ok(errors.length >= 1 && errors.length <= CLUSTERS.length, errors.join("\n"));
            const refusedIn = errors.map((e) => /Deployment "env-reader-([a-z0-9-]+)" in cluster "\1" reads ConfigMap e2e-split-config\/routes other than through a volume, which a split config cannot serve:/.exec(e)?.[1]);
            assert.ok(refusedIn.every((c) => c !== undefined && (CLUSTERS as string[]).includes(c)), `every error names a reader and its own cluster:\n${errors.join("\n")}`);
            assert.strictEqual(new Set(refusedIn).size, refusedIn.length, `no refusal printed twice:\n${errors.join("\n")}`);
            for (const error of errors) {
                assert.match(error, /`spec\.template\.spec\.containers\[0\]\.envFrom\[0\]\.configMapRef`: envFrom/);
                assert.match(error, /so a split config can only be mounted/);
            }
            assert.doesNotMatch(`${refused.error}\n${refused.stdout}`, /transform failed|unhandled exception|\n\s+at .+:\d+:\d+/, "no stack trace");
            assert.deepStrictEqual(await s.state(), state, "state unchanged");
            for (const cluster of CLUSTERS) assert.strictEqual(kubectlGet(cluster, s.namespace, "deployment", "env-reader"), undefined);
            s.report(`envFrom reader refused at preview:\n${errors[0].replace(/^error: \S* /, "")}`);
            await s.setConfig("envReader", undefined);

            // Shrinking to 5 files (500 KiB): one part is left; the others are deleted after the router rolled onto it.
            await s.setConfig("files", "5");
            const { order, run } = await upInOrder(s, /^(routes-.*-part-\d+|router-.*)$/);
            timed("up shrunk to 5 files");
            s.report(`shrink, engine order: ${order.join(" → ")}`);
            for (const cluster of CLUSTERS) {
                const parts = partsIn(s, cluster);
                assert.deepStrictEqual([...parts.keys()], ["routes-1"], `only the first part is left in ${cluster}`);
                assert.deepStrictEqual(Object.keys(parts.get("routes-1").data).sort(), ["routes-01.txt", "routes-02.txt", "routes-03.txt", "routes-04.txt", "routes-05.txt"]);
                assert.deepStrictEqual(sourcesOf(router(s, cluster).template.spec.volumes), ["routes-1"]);
                const deleted = order.filter((o) => o.startsWith("delete ") && o.includes(`-${cluster}-part-`));
                assert.strictEqual(deleted.length, names[cluster].length - 1, `the other parts in ${cluster} were deleted: ${order.join(", ")}`);
                const rolled = order.indexOf(`update router-${cluster}`);
                assert.ok(rolled >= 0 && deleted.every((d) => order.indexOf(d) > rolled), `the parts in ${cluster} were deleted after the router rolled: ${order.join(" → ")}`);
            }
            assert.ok(touched(run, "delete").length > 0);
            s.report(`shrunk to 500 KiB: one part per cluster left, ${touched(run, "delete").length} parts deleted after the routers rolled; scenario took ${Math.round((Date.now() - started) / 1000)} s`);
        } finally {
            await s.dispose();
            timed("destroy");
        }
    });
});
