import { boundedList } from "../../errors/bounded-list";
import { atMost } from "../run/at-most";
import { ClusterAccess } from "../cluster-api/cluster-access";
import { AccessQuestion, ClusterApi, ClusterApiError, describeQuestion } from "../cluster-api/cluster-api";

/** The checks of a preflight, in the order they run on each cluster. */
export type PreflightCheck = "api" | "kinds" | "namespace" | "access";

/** One check on one cluster: whether it passed, what was found, and how to fix it when it failed. */
export interface PreflightFinding {
    /** The cluster. */
    readonly cluster: string;
    /** The check. */
    readonly check: PreflightCheck;
    /** Whether it passed. */
    readonly ok: boolean;
    /** What was found: on failure, what is wrong, in the API server's or kubectl's words where they help. */
    readonly detail: string;
    /** How to fix it. @default absent when it passed */
    readonly fix?: string;
}

/** What a cluster's preflight must check, beyond the API and the kinds. */
export interface PreflightNeeds {
    /** The namespaces the program writes in (the fleet file's `namespaces`). @default absent: rights are checked in every namespace */
    readonly namespaces?: readonly string[];
    /** Whether a soak will watch the cluster, which needs `list` on the workloads and their pods. */
    readonly soak: boolean;
}

/** The resources the package writes (ConfigMaps) and rolls (the wired workload kinds), by API group and version. */
export const NEEDED_KINDS: readonly { readonly groupVersion: string; readonly path: string; readonly resources: readonly string[] }[] = [
    { groupVersion: "v1", path: "/api/v1", resources: ["configmaps"] },
    { groupVersion: "apps/v1", path: "/apis/apps/v1", resources: ["deployments", "statefulsets", "daemonsets"] },
];

/**
 * Checks every cluster, `concurrency` at a time, and returns every finding, clusters in the given
 * order. Each cluster's checks: the API answers (`GET /version`); it serves core/v1 ConfigMaps and
 * apps/v1 Deployments, StatefulSets and DaemonSets; each of `namespaces` exists, or the credentials
 * may create it; the credentials may get and patch ConfigMaps and those workloads (and list them and
 * pods where a soak watches), asked with SelfSubjectAccessReviews. A cluster whose API does not
 * answer gets that finding only.
 *
 * The preflight knows what the package needs, not what the program does: the kinds of the program's
 * own resources and the namespaces it creates are not known without running it.
 */
export async function preflight(
    clusters: readonly ClusterAccess[],
    api: ClusterApi,
    needsOf: (cluster: ClusterAccess) => PreflightNeeds,
    concurrency: number,
    onCluster: (cluster: ClusterAccess, findings: readonly PreflightFinding[]) => void = () => undefined,
): Promise<PreflightFinding[]> {
    const byCluster = new Map<string, PreflightFinding[]>();
    await atMost(concurrency, clusters, async (cluster) => {
        const findings = await checkCluster(cluster, api, needsOf(cluster));
        byCluster.set(cluster.name, findings);
        onCluster(cluster, findings);
    });
    return clusters.flatMap((c) => byCluster.get(c.name) ?? []);
}

/** Every check of one cluster, in order ({@link preflight}). */
export async function checkCluster(cluster: ClusterAccess, api: ClusterApi, needs: PreflightNeeds): Promise<PreflightFinding[]> {
    const found = (check: PreflightCheck, ok: boolean, detail: string, fix?: string): PreflightFinding => ({ cluster: cluster.name, check, ok, detail, ...(fix ? { fix } : {}) });
    let version: string;
    try {
        version = String(((await api.getRaw(cluster, "/version")) as { gitVersion?: string }).gitVersion ?? "of unknown version");
    } catch (err) {
        return [found("api", false, ...apiFailure(cluster, err))];
    }
    const findings = [found("api", true, `answers (Kubernetes ${version})`)];

    const missing: string[] = [];
    for (const kind of NEEDED_KINDS) {
        let served: string[] = [];
        try {
            served = (((await api.getRaw(cluster, kind.path)) as { resources?: { name: string }[] }).resources ?? []).map((r) => r.name);
        } catch (err) {
            if (!(err instanceof ClusterApiError && err.reason === "not found")) return [...findings, found("kinds", false, `could not be read: ${(err as Error).message}`, "retry; if it persists, check the API server's health")];
        }
        missing.push(...kind.resources.filter((r) => !served.includes(r)).map((r) => `${kind.groupVersion} ${r}`));
    }
    findings.push(
        missing.length === 0
            ? found("kinds", true, "serves ConfigMaps and apps/v1 Deployments, StatefulSets and DaemonSets")
            : found("kinds", false, `Kubernetes ${version} does not serve ${boundedList(missing)}`, "the package writes core/v1 ConfigMaps and rolls apps/v1 workloads: use Kubernetes 1.9 or later"),
    );

    // Namespaces: which exist, which do not, and which the credentials may not even read.
    const absent: string[] = [];
    const unreadable: string[] = [];
    for (const ns of needs.namespaces ?? []) {
        try {
            await api.getRaw(cluster, `/api/v1/namespaces/${encodeURIComponent(ns)}`);
        } catch (err) {
            if (err instanceof ClusterApiError && err.reason === "not found") absent.push(ns);
            else if (err instanceof ClusterApiError && err.reason === "forbidden") unreadable.push(ns);
            else return [...findings, found("namespace", false, `namespace "${ns}" could not be read: ${(err as Error).message}`, "retry; if it persists, check the API server's health")];
        }
    }

    const questions = accessQuestions(needs, absent);
    let answers;
    try {
        answers = await api.mayI(cluster, questions);
    } catch (err) {
        return [...findings, found("access", false, `could not be asked (SelfSubjectAccessReview): ${(err as Error).message}`, "the API server must serve authorization.k8s.io/v1 and let the credentials create SelfSubjectAccessReviews (every authenticated user may, by default)")];
    }
    const denied = questions.filter((q, i) => !answers[i].allowed);
    const mayCreate = !denied.some((q) => q.resource === "namespaces");

    if (needs.namespaces) {
        const quoted = (names: readonly string[]) => boundedList(names.map((n) => `"${n}"`));
        if (absent.length > 0 && !mayCreate) {
            findings.push(
                found(
                    "namespace",
                    false,
                    `${absent.length === 1 ? "namespace" : "namespaces"} ${quoted(absent)} ${absent.length === 1 ? "does" : "do"} not exist, and the credentials may not create namespaces`,
                    `create ${absent.length === 1 ? "it" : "them"} (kubectl create namespace ${absent[0]}), or let the credentials create namespaces if the program creates ${absent.length === 1 ? "it" : "them"}`,
                ),
            );
        } else {
            const notes = [
                ...(absent.length > 0 ? [`${quoted(absent)} not yet (the credentials may create namespaces)`] : []),
                ...(unreadable.length > 0 ? [`${quoted(unreadable)} not readable by the credentials (not checked)`] : []),
            ];
            findings.push(found("namespace", true, notes.length ? `exist, except ${notes.join("; ")}` : `${quoted(needs.namespaces)} exist`));
        }
    }
    const deniedRights = denied.filter((q) => q.resource !== "namespaces");
    findings.push(
        deniedRights.length === 0
            ? found("access", true, `may get and patch ConfigMaps, Deployments, StatefulSets and DaemonSets${needs.soak ? ", and list the workloads and pods" : ""}`)
            : found(
                  "access",
                  false,
                  `the credentials may not ${boundedList(deniedRights.map(describeQuestion))}`,
                  needs.namespaces
                      ? "grant them to the kubeconfig's user: a Role and RoleBinding in each namespace, or a ClusterRole and ClusterRoleBinding"
                      : "grant them to the kubeconfig's user (a ClusterRole and ClusterRoleBinding), or name the program's namespaces in the fleet file's `namespaces` to check the rights there only",
              ),
    );
    return findings;
}

/**
 * The SelfSubjectAccessReviews a cluster needs: get and patch ConfigMaps and the wired workload kinds
 * in each namespace (every namespace without them); list of those workloads and pods for a soak; and
 * create namespaces when one is missing.
 */
export function accessQuestions(needs: PreflightNeeds, absentNamespaces: readonly string[] = []): AccessQuestion[] {
    const targets = [
        { group: "", resource: "configmaps" },
        { group: "apps", resource: "deployments" },
        { group: "apps", resource: "statefulsets" },
        { group: "apps", resource: "daemonsets" },
    ];
    const watched = [...targets.slice(1), { group: "", resource: "pods" }];
    const questions: AccessQuestion[] = [];
    for (const namespace of needs.namespaces ?? [undefined]) {
        const at = namespace === undefined ? {} : { namespace };
        for (const verb of ["get", "patch"]) for (const t of targets) questions.push({ verb, ...t, ...at });
        if (needs.soak) for (const t of watched) questions.push({ verb: "list", ...t, ...at });
    }
    if (absentNamespaces.length > 0) questions.push({ verb: "create", group: "", resource: "namespaces" });
    return questions;
}

/** What a failed `GET /version` says, and its fix, by why it failed. */
function apiFailure(cluster: ClusterAccess, err: unknown): [string, string] {
    const message = (err as Error).message;
    const where = `${cluster.kubeconfig}${cluster.context ? ` (context ${cluster.context})` : ""}`;
    switch (err instanceof ClusterApiError ? err.reason : "other") {
        case "no kubectl":
            return ["kubectl was not found on PATH; the preflight and soaks use it", "install kubectl or put it on PATH (scripts/pulumi-env.sh puts the toolchain's there), or pass --skip-preflight"];
        case "kubeconfig":
            return [`the kubeconfig cannot be used: ${message}`, `correct ${where}, or the cluster's \`kubeconfig\`, \`context\` or \`kubeconfigDir\` in the fleet file`];
        case "unreachable":
            return [`the API server does not answer: ${message}`, `start the cluster, or correct the server address in ${where}`];
        case "unauthorized":
            return [`the credentials are refused: ${message}`, `renew the credentials in ${where}`];
        default:
            return [`GET /version failed: ${message}`, `check the cluster and ${where}`];
    }
}
