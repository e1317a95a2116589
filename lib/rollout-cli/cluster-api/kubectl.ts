import { spawn } from "child_process";
import { ClusterAccess } from "./cluster-access";
import { AccessAnswer, AccessQuestion, ClusterApi, ClusterApiError, ClusterApiFailure, KubeObject } from "./cluster-api";

/**
 * The {@link ClusterApi} through `kubectl` on `PATH` (the toolchain's, under `scripts/pulumi-env.sh`).
 *
 * Why `kubectl` rather than an HTTP client in the process: it authenticates exactly as the user's own
 * `kubectl` and the cluster's gate scripts do, with every kubeconfig form (client certificates,
 * tokens, and the `exec` credential plugins of managed clusters), which hand-written code would
 * have to re-implement; and the package takes no new dependency. The cost is a process per request,
 * about 0.15 s of CPU: a preflight makes four or five per cluster and a soak one per cluster and
 * namespace per look, both bounded by `--concurrency`. `@kubernetes/client-node` could implement the
 * same interface in the process if that cost matters at a thousand clusters.
 */
export class KubectlClusterApi implements ClusterApi {
    /**
     * @param command The kubectl executable. @default `kubectl`, found on `PATH`
     * @param requestTimeout How long one request may take, as kubectl's `--request-timeout`. @default `10s`
     */
    constructor(
        private readonly command = "kubectl",
        private readonly requestTimeout = "10s",
    ) {}

    async getRaw(cluster: ClusterAccess, path: string, signal?: AbortSignal): Promise<unknown> {
        return parseJson(await this.run(cluster, ["get", "--raw", path], undefined, signal), `GET ${path}`);
    }

    async list(cluster: ClusterAccess, resources: readonly string[], namespace?: string, signal?: AbortSignal): Promise<KubeObject[]> {
        const where = namespace === undefined ? ["--all-namespaces"] : ["--namespace", namespace];
        const body = parseJson(await this.run(cluster, ["get", resources.join(","), ...where, "--output", "json"], undefined, signal), `list ${resources.join(",")}`);
        return itemsOf(body) as KubeObject[];
    }

    async mayI(cluster: ClusterAccess, questions: readonly AccessQuestion[], signal?: AbortSignal): Promise<AccessAnswer[]> {
        if (questions.length === 0) return [];
        // No client-side validation: the reviews are built here, and validating them would download the server's OpenAPI document.
        const out = await this.run(cluster, ["create", "--validate=false", "--filename", "-", "--output", "json"], JSON.stringify(accessReviews(questions)), signal);
        return accessAnswers(jsonValues(out, "SelfSubjectAccessReview"), questions.length);
    }

    private run(cluster: ClusterAccess, args: readonly string[], input: string | undefined, signal: AbortSignal | undefined): Promise<string> {
        return new Promise((resolve, reject) => {
            const child = spawn(this.command, [...kubectlTarget(cluster, this.requestTimeout), ...args], { stdio: ["pipe", "pipe", "pipe"], signal });
            const out: Buffer[] = [];
            const err: Buffer[] = [];
            child.stdout.on("data", (chunk: Buffer) => out.push(chunk));
            child.stderr.on("data", (chunk: Buffer) => err.push(chunk));
            child.on("error", (e: NodeJS.ErrnoException) =>
                reject(e.code === "ENOENT" ? new ClusterApiError("no kubectl", `${this.command} was not found on PATH`) : new ClusterApiError("other", e.message)),
            );
            child.on("close", (code) => {
                if (code === 0) resolve(Buffer.concat(out).toString("utf8"));
                else {
                    const failure = kubectlFailure(Buffer.concat(err).toString("utf8"));
                    reject(new ClusterApiError(failure.reason, failure.message));
                }
            });
            child.stdin.on("error", () => undefined); // kubectl may exit before reading its input; its exit says why
            child.stdin.end(input ?? "");
        });
    }
}

/** The flags that point kubectl at one cluster, with a bound on each request. */
export function kubectlTarget(cluster: ClusterAccess, requestTimeout: string): string[] {
    return ["--kubeconfig", cluster.kubeconfig, ...(cluster.context ? ["--context", cluster.context] : []), `--request-timeout=${requestTimeout}`];
}

/** A `List` of one SelfSubjectAccessReview per question, for one `kubectl create`. */
export function accessReviews(questions: readonly AccessQuestion[]): object {
    return {
        apiVersion: "v1",
        kind: "List",
        items: questions.map((q) => ({
            apiVersion: "authorization.k8s.io/v1",
            kind: "SelfSubjectAccessReview",
            spec: { resourceAttributes: { verb: q.verb, group: q.group, resource: q.resource, ...(q.namespace !== undefined ? { namespace: q.namespace } : {}) } },
        })),
    };
}

/**
 * The answers in `kubectl create -o json`'s output, which prints each object it created as its own JSON
 * document, one after the other (a `List` in is not a `List` out).
 */
export function accessAnswers(reviews: readonly unknown[], expected: number): AccessAnswer[] {
    if (reviews.length !== expected) throw new ClusterApiError("other", `expected ${expected} SelfSubjectAccessReview answers, got ${reviews.length}`);
    return reviews.map((r) => {
        const status = (r as { status?: { allowed?: boolean; reason?: string } }).status ?? {};
        return { allowed: status.allowed === true, ...(status.reason ? { reason: status.reason } : {}) };
    });
}

/**
 * Why kubectl failed, from its standard error: the reason that decides the fix, and its last line as
 * the message (kubectl puts the server's words there).
 */
export function kubectlFailure(stderr: string): { reason: ClusterApiFailure; message: string } {
    const lines = stderr.split("\n").map((l) => l.trim()).filter(Boolean);
    const message = (lines[lines.length - 1] ?? "kubectl failed and said nothing").slice(0, 300);
    const reasons: [ClusterApiFailure, RegExp][] = [
        ["kubeconfig", /error loading config file|stat .*: no such file or directory|context ".*" does not exist|invalid configuration|no configuration has been provided/i],
        ["unauthorized", /\(Unauthorized\)|You must be logged in to the server|getting credentials: exec/i],
        ["forbidden", /\(Forbidden\)|is forbidden/i],
        ["not found", /\(NotFound\)|could not find the requested resource|not found/i],
        ["unreachable", /Unable to connect to the server|connection refused|was refused|i\/o timeout|no such host|deadline exceeded|Client\.Timeout|TLS handshake timeout|connection reset|no route to host|EOF$/i],
    ];
    const reason = reasons.find(([, pattern]) => pattern.test(stderr))?.[0] ?? "other";
    return { reason, message };
}

function itemsOf(body: unknown): unknown[] {
    const object = body as { kind?: string; items?: unknown[] };
    if (Array.isArray(object?.items)) return object.items;
    return body === undefined || body === null ? [] : [body];
}

/** The JSON documents of `text`, written one after the other as kubectl prints several objects. */
export function jsonValues(text: string, what: string): unknown[] {
    const values: unknown[] = [];
    let depth = 0;
    let start = -1;
    let inString = false;
    for (let i = 0; i < text.length; i++) {
        const ch = text[i];
        if (inString) {
            if (ch === "\\") i++;
            else if (ch === '"') inString = false;
        } else if (ch === '"') inString = true;
        else if (ch === "{" || ch === "[") {
            if (depth++ === 0) start = i;
        } else if (ch === "}" || ch === "]") {
            if (--depth === 0) values.push(parseJson(text.slice(start, i + 1), what));
        }
    }
    if (depth !== 0 || (values.length === 0 && text.trim() !== "")) throw new ClusterApiError("other", `${what}: kubectl printed no JSON: ${text.slice(0, 200)}`);
    return values;
}

function parseJson(text: string, what: string): unknown {
    try {
        return JSON.parse(text);
    } catch {
        throw new ClusterApiError("other", `${what}: kubectl printed no JSON: ${text.slice(0, 200)}`);
    }
}
