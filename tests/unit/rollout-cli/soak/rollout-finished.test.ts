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
    /** What `kubectl rollout status --watch=false` said of the object when it was captured (of one not yet observed: its source's words). @default absent for a derived row */
    readonly kubectl?: string;
    /** Changes a row makes to its fixture, for a state the API server never returns (said in `what`). */
    readonly derive?: (o: KubeObject) => KubeObject;
}

const verdict = (s: RolloutStatus) => (s.finished ? "finished" : `unfinished: ${s.reason}`);

/** kubectl's verdict, from its words; none for OnDelete, which it refuses to judge (the soak's own rule then). */
function kubectlFinished(said: string): boolean | undefined {
    if (/only available for RollingUpdate/.test(said)) return undefined;
    return /successfully rolled out|roll out complete|rolling update complete/.test(said);
}

const TABLE: Record<string, { judge: (o: never) => RolloutStatus; rows: Row[] }> = {
    Deployment: {
        judge: deploymentRolloutStatus,
        rows: [
            { fixture: "deployment-finished.json", what: "a Deployment whose every replica is updated and available, no old one left", kubectl: 'deployment "web" successfully rolled out' },
            { fixture: "deployment-spec-not-observed.json", what: "a Deployment just changed, its controller not yet caught up", unfinished: "waiting for its spec update to be observed (generation 3, observed 2)", kubectl: "Waiting for deployment spec update to be observed..." },
            {
                fixture: "deployment-progress-deadline-exceeded.json",
                what: "a Deployment whose Progressing condition says ProgressDeadlineExceeded",
                unfinished: 'progress deadline exceeded: ReplicaSet "late-866c74b4d" has timed out progressing.',
                kubectl: 'error: deployment "late" exceeded its progress deadline',
            },
            { fixture: "deployment-new-replicas-not-updated.json", what: "a 2-replica Deployment with only 1 replica of its new template", unfinished: "1 out of 2 new replicas have been updated", kubectl: 'Waiting for deployment "web" rollout to finish: 1 out of 2 new replicas have been updated...' },
            {
                fixture: "deployment-one-replica-old-pending.json",
                what: "a 1-replica Deployment whose new pod is Pending while its old one serves (the updated count met)",
                unfinished: "1 old replica pending termination",
                kubectl: 'Waiting for deployment "solo" rollout to finish: 1 old replicas are pending termination...',
            },
            { fixture: "deployment-updated-not-available.json", what: "a Deployment whose updated replicas are not yet available", unfinished: "0 of 2 updated replicas are available", kubectl: 'Waiting for deployment "fresh" rollout to finish: 0 of 2 updated replicas are available...' },
        ],
    },
    StatefulSet: {
        judge: statefulSetRolloutStatus,
        rows: [
            { fixture: "statefulset-finished.json", what: "a StatefulSet whose every replica is ready and updated", kubectl: "partitioned roll out complete: 2 new pods have been updated..." },
            { fixture: "statefulset-spec-not-observed.json", what: "a StatefulSet just changed, its controller not yet caught up", unfinished: "waiting for its spec update to be observed (generation 3, observed 2)", kubectl: "Waiting for statefulset spec update to be observed..." },
            { fixture: "statefulset-pod-not-ready.json", what: "a StatefulSet whose new pod is Pending", unfinished: "waiting for 1 pod to be ready", kubectl: "Waiting for 1 pods to be ready..." },
            { fixture: "statefulset-partition-not-updated.json", what: "a StatefulSet with fewer pods updated than its partition asks", unfinished: "1 out of 2 new pods have been updated (partition 1)", kubectl: "Waiting for partitioned roll out to finish: 1 out of 2 new pods have been updated..." },
            { fixture: "statefulset-partition-finished.json", what: "a StatefulSet whose pods above its partition are updated, those below it old", kubectl: "partitioned roll out complete: 1 new pods have been updated..." },
            {
                fixture: "statefulset-partition-not-updated.json",
                what: "a StatefulSet without `rollingUpdate` (never so from the API server) whose update revision is not yet current",
                unfinished: "rolling update to revision slow-69cd88468f not complete: 1 pod at that revision",
                derive: (o) => ({ ...o, spec: { ...(o.spec as object), updateStrategy: { type: "RollingUpdate" } } }),
            },
            {
                fixture: "statefulset-finished.json",
                what: "a StatefulSet without `rollingUpdate` (never so from the API server) whose update revision is current",
                derive: (o) => ({ ...o, spec: { ...(o.spec as object), updateStrategy: { type: "RollingUpdate" } } }),
            },
            { fixture: "statefulset-ondelete-old-pods.json", what: "an OnDelete StatefulSet whose pods keep the old template, all ready", kubectl: "error: rollout status is only available for RollingUpdate strategy type" },
            { fixture: "statefulset-ondelete-pod-not-ready.json", what: "an OnDelete StatefulSet with a pod not ready", unfinished: "waiting for 1 pod to be ready", kubectl: "error: rollout status is only available for RollingUpdate strategy type" },
        ],
    },
    DaemonSet: {
        judge: daemonSetRolloutStatus,
        rows: [
            { fixture: "daemonset-finished.json", what: "a DaemonSet whose every node's pod is updated and available", kubectl: 'daemon set "agent" successfully rolled out' },
            { fixture: "daemonset-spec-not-observed.json", what: "a DaemonSet just changed, its controller not yet caught up", unfinished: "waiting for its spec update to be observed (generation 3, observed 2)", kubectl: "Waiting for daemon set spec update to be observed..." },
            { fixture: "daemonset-new-pods-not-updated.json", what: "a DaemonSet whose new pod is Pending on 1 of its 2 nodes", unfinished: "1 out of 2 new pods have been updated", kubectl: 'Waiting for daemon set "agent" rollout to finish: 1 out of 2 new pods have been updated...' },
            { fixture: "daemonset-updated-not-available.json", what: "a DaemonSet whose updated pods are not yet available", unfinished: "0 of 2 updated pods are available", kubectl: 'Waiting for daemon set "fresh-agent" rollout to finish: 0 of 2 updated pods are available...' },
            { fixture: "daemonset-ondelete-old-pods.json", what: "an OnDelete DaemonSet whose pods keep the old template, all available", kubectl: "error: rollout status is only available for RollingUpdate strategy type" },
            { fixture: "daemonset-ondelete-pod-not-available.json", what: "an OnDelete DaemonSet with a pod not available", unfinished: "1 of 2 pods are available", kubectl: "error: rollout status is only available for RollingUpdate strategy type" },
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
                    const kubectl = row.kubectl === undefined ? undefined : kubectlFinished(row.kubectl);
                    if (kubectl !== undefined) assert.strictEqual(row.unfinished === undefined, kubectl, `kubectl said: ${row.kubectl}`);
                    assert.deepStrictEqual(rolloutStatus(object), judge(object as never), "the dispatch by kind judges it the same");
                });
            }
        });
    }

    it("calls a kind without a rollout (a Pod) finished", () => {
        assert.deepStrictEqual(rolloutStatus({ kind: "Pod", metadata: { name: "p" } }), { finished: true });
    });
});
