import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { KubeObject } from "../../../../lib/rollout-cli/cluster-api/cluster-api";
import { daemonSetRolloutStatus, deploymentRolloutStatus, RolloutStatus, rolloutStatus, statefulSetRolloutStatus } from "../../../../lib/rollout-cli/soak/rollout-finished";

/**
 * Every row is a real object as the API server of a local kwok cluster (scripts/fleet, fleet-1, 2 fake
 * nodes) returned it, stripped to what the judgement reads (managedFields, uids, times and the pod
 * template dropped), and what `kubectl rollout status` said of it. fixtures/capture.sh captured them
 * all, in the namespace capture-33: it creates each workload with `kubectl apply`, waits with
 * `kubectl rollout status`, changes it with `kubectl patch --type merge` (a node selector no node has,
 * or for a DaemonSet a CPU request no node has, keeps the new pod Pending; `progressDeadlineSeconds:
 * 10` lets a Deployment's deadline pass; a partition, `minReadySeconds: 60` and `updateStrategy:
 * OnDelete` hold a StatefulSet's update; `kubectl delete pod` makes an OnDelete controller recreate
 * one), waits for the state, then saves `kubectl get -o json`. A spec not yet observed is the answer
 * to the `kubectl patch … -o json` that changed it, before its controller acted.
 */
function fixture(name: string): KubeObject {
    return JSON.parse(fs.readFileSync(path.join(__dirname, "fixtures", name), "utf8"));
}

interface Row {
    /** The object's fixture. */
    readonly fixture: string;
    /** What the object is, as a sentence's subject. */
    readonly what: string;
    /** The judgement: undefined for finished, else the reason. */
    readonly unfinished?: string;
    /** Changes a row makes to its fixture, for a state the API server never returns (said in `what`). */
    readonly derive?: (o: KubeObject) => KubeObject;
}

const verdict = (s: RolloutStatus) => (s.finished ? "finished" : `unfinished: ${s.reason}`);

const TABLE: Record<string, { judge: (o: never) => RolloutStatus; rows: Row[] }> = {
    Deployment: {
        judge: deploymentRolloutStatus,
        rows: [
            { fixture: "deployment-finished.json", what: "a Deployment whose every replica is updated and available, no old one left" },
            { fixture: "deployment-spec-not-observed.json", what: "a Deployment just changed, its controller not yet caught up", unfinished: "waiting for its spec update to be observed (generation 3, observed 2)" },
            {
                fixture: "deployment-progress-deadline-exceeded.json",
                what: "a Deployment whose Progressing condition says ProgressDeadlineExceeded",
                unfinished: 'progress deadline exceeded: ReplicaSet "x" has timed out progressing.',
            },
            { fixture: "deployment-new-replicas-not-updated.json", what: "a 2-replica Deployment with only 1 replica of its new template", unfinished: "1 out of 2 new replicas have been updated" },
            {
                fixture: "deployment-one-replica-old-pending.json",
                what: "a 1-replica Deployment whose new pod is Pending while its old one serves (the updated count met)",
                unfinished: "1 old replica pending termination",
            },
            { fixture: "deployment-updated-not-available.json", what: "a Deployment whose updated replicas are not yet available", unfinished: "0 of 2 updated replicas are available" },
        ],
    },
    StatefulSet: {
        judge: statefulSetRolloutStatus,
        rows: [
            { fixture: "statefulset-finished.json", what: "a StatefulSet whose every replica is ready and updated" },
            { fixture: "statefulset-spec-not-observed.json", what: "a StatefulSet just changed, its controller not yet caught up", unfinished: "waiting for its spec update to be observed (generation 3, observed 2)" },
            { fixture: "statefulset-pod-not-ready.json", what: "a StatefulSet whose new pod is Pending", unfinished: "waiting for 1 pod to be ready" },
            { fixture: "statefulset-partition-not-updated.json", what: "a StatefulSet with fewer pods updated than its partition asks", unfinished: "1 out of 2 new pods have been updated (partition 1)" },
            { fixture: "statefulset-partition-finished.json", what: "a StatefulSet whose pods above its partition are updated, those below it old" },
            {
                fixture: "statefulset-partition-not-updated.json",
                what: "a StatefulSet without `rollingUpdate` (never so from the API server) whose update revision is not yet current",
                unfinished: "rolling update to revision db-2 not complete: 1 pod at that revision",
                derive: (o) => ({ ...o, spec: { ...(o.spec as object), updateStrategy: { type: "RollingUpdate" } } }),
            },
            {
                fixture: "statefulset-finished.json",
                what: "a StatefulSet without `rollingUpdate` (never so from the API server) whose update revision is current",
                derive: (o) => ({ ...o, spec: { ...(o.spec as object), updateStrategy: { type: "RollingUpdate" } } }),
            },
            { fixture: "statefulset-ondelete-old-pods.json", what: "an OnDelete StatefulSet whose pods keep the old template, all ready" },
            { fixture: "statefulset-ondelete-pod-not-ready.json", what: "an OnDelete StatefulSet with a pod not ready", unfinished: "waiting for 1 pod to be ready" },
        ],
    },
    DaemonSet: {
        judge: daemonSetRolloutStatus,
        rows: [
            { fixture: "daemonset-finished.json", what: "a DaemonSet whose every node's pod is updated and available" },
            { fixture: "daemonset-spec-not-observed.json", what: "a DaemonSet just changed, its controller not yet caught up", unfinished: "waiting for its spec update to be observed (generation 3, observed 2)" },
            { fixture: "daemonset-new-pods-not-updated.json", what: "a DaemonSet whose new pod is Pending on 1 of its 2 nodes", unfinished: "1 out of 2 new pods have been updated" },
            { fixture: "daemonset-updated-not-available.json", what: "a DaemonSet whose updated pods are not yet available", unfinished: "0 of 2 updated pods are available" },
            { fixture: "daemonset-ondelete-old-pods.json", what: "an OnDelete DaemonSet whose pods keep the old template, all available" },
            { fixture: "daemonset-ondelete-pod-not-available.json", what: "an OnDelete DaemonSet with a pod not available", unfinished: "1 of 2 pods are available" },
        ],
    },
};

describe("rollout finished, as kubectl rollout status judges it", () => {
    for (const [kind, { judge, rows }] of Object.entries(TABLE)) {
        describe(kind, () => {
            for (const row of rows) {
                const expected = row.unfinished === undefined ? "finished" : `unfinished: ${row.unfinished}`;
                it(`calls ${row.what} ${expected}`, () => {
                    const object = (row.derive ?? ((o) => o))(fixture(row.fixture));
                    assert.strictEqual(object.kind, kind, `${row.fixture} is a ${kind}`);
                    assert.strictEqual(verdict(judge(object as never)), expected);
                    assert.deepStrictEqual(rolloutStatus(object), judge(object as never), "the dispatch by kind judges it the same");
                });
            }
        });
    }

    it("calls a kind without a rollout (a Pod) finished", () => {
        assert.deepStrictEqual(rolloutStatus({ kind: "Pod", metadata: { name: "p" } }), { finished: true });
    });
});
