/**
 * Reads a cluster's identity (the UID of its `kube-system` namespace) with the same kubeconfig and context
 * the Fleet gives the cluster's provider, before the provider is registered: the identity decides whether
 * the provider may be registered at all (see `identity-gate.ts`), so it cannot be read through it.
 *
 * It speaks only what a kubeconfig can say about reaching one API server: the server's CA (inline or a
 * file), client certificates, bearer tokens, basic auth and exec credential plugins (`aws eks get-token`,
 * `gke-gcloud-auth-plugin`, `kubelogin`). Anything else (a legacy `auth-provider`, a proxy) gives an
 * "unreadable" result with the reason, and the check is skipped for that cluster with a warning.
 */
import { execFile } from "child_process";
import * as fs from "fs";
import * as https from "https";
import * as path from "path";
import { parse } from "yaml";
import { expandHome } from "../home-path";

/** What reading a cluster's identity gave. */
export type IdentityRead =
    /** The UID of the cluster's `kube-system` namespace. */
    | { readonly uid: string }
    /** Why it could not be read: the cluster did not answer, or refused, or the kubeconfig is not understood. */
    | { readonly unreadable: string };

/** How long one cluster may take to answer: an unreachable cluster must not hold the fleet for long. */
export const IDENTITY_READ_TIMEOUT_MS = 10_000;

/**
 * The UID of `kube-system` in the cluster that `kubeconfig` (file contents, or a path as the provider
 * accepts) reaches through `context` (default: its current context). Never throws.
 */
export async function readKubeSystemUid(kubeconfig: string, context: string | undefined, timeoutMs = IDENTITY_READ_TIMEOUT_MS): Promise<IdentityRead> {
    try {
        const target = await apiTarget(kubeconfig, context);
        const body = await get(target, "/api/v1/namespaces/kube-system", timeoutMs);
        const uid = JSON.parse(body)?.metadata?.uid;
        return typeof uid === "string" && uid !== "" ? { uid } : { unreadable: "the API server's kube-system namespace has no metadata.uid" };
    } catch (error) {
        return { unreadable: (error as Error).message };
    }
}

/** Where the API server is and how to authenticate to it. */
interface ApiTarget {
    readonly server: string;
    readonly tls: https.RequestOptions;
    readonly headers: Record<string, string>;
}

async function apiTarget(kubeconfig: string, context: string | undefined): Promise<ApiTarget> {
    // The provider takes either contents or a path; contents always span several lines.
    const isPath = !kubeconfig.includes("\n") && !kubeconfig.trimStart().startsWith("{");
    const file = isPath ? expandHome(kubeconfig) : undefined;
    const base = file ? path.dirname(file) : process.cwd();
    const config = parse(file ? fs.readFileSync(file, "utf8") : kubeconfig) ?? {};
    const contextName = context ?? config["current-context"];
    const ctx = named(config.contexts, contextName, "context")?.context ?? {};
    const cluster = named(config.clusters, ctx.cluster, "cluster")?.cluster ?? {};
    const user = named(config.users, ctx.user, "user", true)?.user ?? {};
    if (typeof cluster.server !== "string") throw new Error(`the kubeconfig's cluster ${JSON.stringify(ctx.cluster)} has no server`);
    if (cluster["proxy-url"]) throw new Error("the kubeconfig uses proxy-url, which the identity check does not support");
    if (user["auth-provider"]) throw new Error("the kubeconfig uses a legacy auth-provider, which the identity check does not support");

    const read = (data: unknown, file: unknown): Buffer | undefined =>
        typeof data === "string" ? Buffer.from(data, "base64") : typeof file === "string" ? fs.readFileSync(path.resolve(base, file)) : undefined;
    const tls: https.RequestOptions = {
        ca: read(cluster["certificate-authority-data"], cluster["certificate-authority"]),
        rejectUnauthorized: cluster["insecure-skip-tls-verify"] !== true,
        servername: cluster["tls-server-name"],
        cert: read(user["client-certificate-data"], user["client-certificate"]),
        key: read(user["client-key-data"], user["client-key"]),
    };
    const headers: Record<string, string> = {};
    const token = typeof user.token === "string" ? user.token : typeof user.tokenFile === "string" ? fs.readFileSync(path.resolve(base, user.tokenFile), "utf8").trim() : undefined;
    if (token) headers.Authorization = `Bearer ${token}`;
    else if (typeof user.username === "string") headers.Authorization = `Basic ${Buffer.from(`${user.username}:${user.password ?? ""}`).toString("base64")}`;
    if (user.exec) {
        const credential = await execCredential(user.exec, cluster.server);
        if (credential.token) headers.Authorization = `Bearer ${credential.token}`;
        if (credential.clientCertificateData) tls.cert = credential.clientCertificateData;
        if (credential.clientKeyData) tls.key = credential.clientKeyData;
    }
    return { server: cluster.server.replace(/\/+$/, ""), tls, headers };
}

function named(list: unknown, name: unknown, what: string, optional = false): any {
    const found = Array.isArray(list) ? list.find((entry) => entry?.name === name) : undefined;
    if (found === undefined && !optional) throw new Error(`the kubeconfig has no ${what} ${JSON.stringify(name)}`);
    return found;
}

/** Runs an exec credential plugin as kubectl does (client.authentication.k8s.io), without a terminal. */
function execCredential(exec: any, server: string): Promise<{ token?: string; clientCertificateData?: string; clientKeyData?: string }> {
    const info = { apiVersion: exec.apiVersion, kind: "ExecCredential", spec: { interactive: false, ...(exec.provideClusterInfo ? { cluster: { server } } : {}) } };
    const env: NodeJS.ProcessEnv = { ...process.env, KUBERNETES_EXEC_INFO: JSON.stringify(info) };
    for (const { name, value } of exec.env ?? []) env[name] = value;
    return new Promise((resolve, reject) => {
        execFile(exec.command, exec.args ?? [], { env, timeout: IDENTITY_READ_TIMEOUT_MS }, (error, stdout) => {
            if (error) return reject(new Error(`its exec credential plugin ${JSON.stringify(exec.command)} failed: ${error.message.split("\n")[0]}`));
            try {
                resolve(JSON.parse(stdout).status ?? {});
            } catch {
                reject(new Error(`its exec credential plugin ${JSON.stringify(exec.command)} printed no ExecCredential`));
            }
        });
    });
}

function get(target: ApiTarget, apiPath: string, timeoutMs: number): Promise<string> {
    return new Promise((resolve, reject) => {
        const request = https.request(`${target.server}${apiPath}`, { ...target.tls, method: "GET", headers: { Accept: "application/json", ...target.headers }, timeout: timeoutMs }, (response) => {
            const chunks: Buffer[] = [];
            response.on("data", (chunk: Buffer) => chunks.push(chunk));
            response.on("end", () => {
                const body = Buffer.concat(chunks).toString("utf8");
                if (response.statusCode === 200) return resolve(body);
                const reason = (() => {
                    try {
                        return JSON.parse(body).message;
                    } catch {
                        return undefined;
                    }
                })();
                reject(new Error(`GET ${apiPath} answered ${response.statusCode}${reason ? `: ${reason}` : ""}`));
            });
        });
        request.on("timeout", () => request.destroy(new Error(`${target.server} did not answer within ${timeoutMs / 1000} s`)));
        request.on("error", (error) => reject(new Error(`${target.server} could not be reached: ${error.message}`)));
        request.end();
    });
}
