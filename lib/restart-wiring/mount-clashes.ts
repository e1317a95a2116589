/**
 * Mount clashes: a ConfigMap volume mounted without `subPath` replaces the whole directory it is mounted
 * on. Over a directory the image fills (`/etc`, `/usr`, ...) that hides the image's files; on the same
 * path as another mount of the same container, one of the two hides the other.
 */
import { quote } from "../errors/problems";
import { get, list } from "./workload-references";

/**
 * Directories that container images commonly fill. Mounting a ConfigMap over one of them (without
 * `subPath`) hides what the image put there. Subdirectories an application owns, such as `/etc/app`,
 * are fine.
 */
export const IMAGE_DIRECTORIES: readonly string[] = [
    "/",
    "/bin",
    "/boot",
    "/etc",
    "/home",
    "/lib",
    "/lib32",
    "/lib64",
    "/opt",
    "/root",
    "/sbin",
    "/srv",
    "/usr",
    "/usr/bin",
    "/usr/lib",
    "/usr/local",
    "/usr/local/bin",
    "/usr/local/lib",
    "/usr/sbin",
    "/usr/share",
    "/var",
    "/var/lib",
    "/etc/ssl",
    "/etc/ssl/certs",
];

/** One mount of a ConfigMap volume that hides something. */
export interface MountClash {
    /** The container's name (or `containers[0]` when it has none). */
    readonly container: string;
    /** The mount path, as written. */
    readonly path: string;
    /** The volume's name. */
    readonly volume: string;
    /** The ConfigMap the volume holds. */
    readonly configMap: string;
    /** What it hides: an image directory, or another mount of the same container (named). */
    readonly hides: { readonly kind: "image-directory" } | { readonly kind: "mount"; readonly volume: string };
}

/** `/etc/` and `/etc//` as `/etc`, so paths compare as the kubelet mounts them. */
export function normalizeMountPath(path: string): string {
    const collapsed = path.replace(/\/+/g, "/");
    return collapsed.length > 1 ? collapsed.replace(/\/$/, "") : collapsed;
}

/**
 * Every mount, in any container, init container or ephemeral container, of a volume that holds one of
 * `configMaps` (as a `configMap` volume or a projected source) without `subPath`, that lands on an
 * image directory or on the same path as another mount of the same container.
 */
export function mountClashes(workloadProps: unknown, configMaps: ReadonlySet<string>): MountClash[] {
    const podSpec = get(workloadProps, "spec", "template", "spec");
    const held = new Map<string, string>(); // volume name -> FleetConfigMap it holds
    for (const volume of list(get(podSpec, "volumes"))) {
        const name = get(volume, "name");
        if (typeof name !== "string") continue;
        const sources = [get(volume, "configMap", "name"), ...list(get(volume, "projected", "sources")).map((s) => get(s, "configMap", "name"))];
        const configMap = sources.find((s): s is string => typeof s === "string" && configMaps.has(s));
        if (configMap !== undefined) held.set(name, configMap);
    }
    const clashes: MountClash[] = [];
    for (const field of ["containers", "initContainers", "ephemeralContainers"]) {
        list(get(podSpec, field)).forEach((container, c) => {
            const containerName = typeof get(container, "name") === "string" ? (get(container, "name") as string) : `${field}[${c}]`;
            const mounts = list(get(container, "volumeMounts")).filter((m) => typeof get(m, "mountPath") === "string" && typeof get(m, "name") === "string");
            for (const mount of mounts) {
                const volume = get(mount, "name") as string;
                const configMap = held.get(volume);
                const subPath = get(mount, "subPath") ?? get(mount, "subPathExpr");
                if (configMap === undefined || (typeof subPath === "string" && subPath !== "")) continue;
                const path = get(mount, "mountPath") as string;
                const at = normalizeMountPath(path);
                if (IMAGE_DIRECTORIES.includes(at)) clashes.push({ container: containerName, path, volume, configMap, hides: { kind: "image-directory" } });
                const other = mounts.find((m) => m !== mount && normalizeMountPath(get(m, "mountPath") as string) === at);
                if (other) clashes.push({ container: containerName, path, volume, configMap, hides: { kind: "mount", volume: get(other, "name") as string } });
            }
        });
    }
    return clashes;
}

/** The warning for one clash, naming the cluster, the workload, the container and the path. */
export function mountClashMessage(clash: MountClash, cluster: string, workload: { readonly kind: string; readonly name: string }): string {
    const where = `cluster ${quote(cluster)}: ${workload.kind} ${quote(workload.name)}, container ${quote(clash.container)}, mounts ConfigMap ${quote(clash.configMap)} (volume ${quote(clash.volume)}) on ${quote(clash.path)} without \`subPath\``;
    if (clash.hides.kind === "image-directory") {
        return `${where}, which hides everything the image has in ${quote(clash.path)}. Mount it on a directory of its own (such as ${quote(`${normalizeMountPath(clash.path).replace(/\/$/, "")}/${clash.configMap}`)}) or mount single keys with \`subPath\`.`;
    }
    return `${where}, the same path as volume ${quote(clash.hides.volume)} in that container; one of the two hides the other. Give each mount a path of its own.`;
}
