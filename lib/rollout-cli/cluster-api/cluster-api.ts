import { ClusterAccess } from "./cluster-access";

/**
 * What the rollout command asks of a cluster's API server, outside Pulumi: the preflight's checks and
 * the soak's looks at the workloads. An interface, so that the orchestration is tested with a fake;
 * `kubectl.ts` implements it.
 */
export interface ClusterApi {
    /**
     * `GET path` (`/version`, `/apis/apps/v1`), its JSON body. Throws a {@link ClusterApiError}.
     */
    getRaw(cluster: ClusterAccess, path: string, signal?: AbortSignal): Promise<unknown>;
    /**
     * Every object of these resources (`deployments.apps`, `pods`) in `namespace`, or in every
     * namespace when it is absent. Throws a {@link ClusterApiError}.
     */
    list(cluster: ClusterAccess, resources: readonly string[], namespace?: string, signal?: AbortSignal): Promise<KubeObject[]>;
    /**
     * Asks the API server, with one SelfSubjectAccessReview per question, whether the cluster's
     * credentials may do each thing; the answers are in the questions' order. Throws a {@link ClusterApiError}.
     */
    mayI(cluster: ClusterAccess, questions: readonly AccessQuestion[], signal?: AbortSignal): Promise<AccessAnswer[]>;
}

/** A Kubernetes object, as far as the rollout command reads it. */
export interface KubeObject {
    /** `Deployment`, `Pod`, … */
    readonly kind?: string;
    /** Name, namespace, labels, annotations. */
    readonly metadata: { readonly name: string; readonly namespace?: string; readonly labels?: Readonly<Record<string, string>>; readonly annotations?: Readonly<Record<string, string>> };
    /** The object's spec, unchecked. */
    readonly spec?: unknown;
    /** The object's status, unchecked. */
    readonly status?: unknown;
}

/** One SelfSubjectAccessReview: may these credentials `verb` the `resource` of API `group`? */
export interface AccessQuestion {
    /** `get`, `patch`, `list`, `create`. */
    readonly verb: string;
    /** The API group: `""` for core (ConfigMaps, pods, namespaces), `apps` for workloads. */
    readonly group: string;
    /** The resource, plural: `configmaps`, `deployments`. */
    readonly resource: string;
    /** The namespace. @default absent: every namespace, or a cluster-scoped resource */
    readonly namespace?: string;
}

/** The API server's answer to one {@link AccessQuestion}. */
export interface AccessAnswer {
    /** Whether the credentials may. */
    readonly allowed: boolean;
    /** The authorizer's reason, when it gave one. @default absent */
    readonly reason?: string;
}

/** Why a request to a cluster failed, as far as the fix depends on it. */
export type ClusterApiFailure = "no kubectl" | "kubeconfig" | "unreachable" | "unauthorized" | "forbidden" | "not found" | "other";

/** A request to a cluster's API server that failed; `reason` says how, `message` is the client's own words. */
export class ClusterApiError extends Error {
    constructor(
        readonly reason: ClusterApiFailure,
        message: string,
    ) {
        super(message);
        this.name = "ClusterApiError";
    }
}

/** `question` as a person reads it: `patch deployments.apps in namespace "shop"`. */
export function describeQuestion(question: AccessQuestion): string {
    const resource = question.group ? `${question.resource}.${question.group}` : question.resource;
    const where = question.namespace === undefined ? (question.resource === "namespaces" ? "" : " in every namespace") : ` in namespace "${question.namespace}"`;
    return `${question.verb} ${resource}${where}`;
}
