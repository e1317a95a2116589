import { createHash } from "crypto";

/**
 * The prefix of every pod-template annotation this package writes. The part after the `/` is the
 * ConfigMap's name, so one workload can carry one annotation per ConfigMap it consumes.
 */
export const HASH_ANNOTATION_PREFIX = "checksum.fleet-configmap.dev";

// The name part of an annotation key is at most 63 characters (a Kubernetes qualified name).
const MAX_NAME_PART = 63;

/**
 * The pod-template annotation key that carries the content hash of the ConfigMap called
 * `configMapName`: `checksum.fleet-configmap.dev/<name>`. ConfigMap names longer than 63 characters
 * are shortened and suffixed with a hash of the full name, so the key stays valid and distinct.
 *
 * @example
 * hashAnnotationKey("app-config") === "checksum.fleet-configmap.dev/app-config"
 */
export function hashAnnotationKey(configMapName: string): string {
    if (configMapName.length <= MAX_NAME_PART) return `${HASH_ANNOTATION_PREFIX}/${configMapName}`;
    const digest = createHash("sha256").update(configMapName).digest("hex").slice(0, 8);
    // A DNS-1123 subdomain cut short may end in '-' or '.', which a qualified name may not.
    const stem = configMapName.slice(0, MAX_NAME_PART - digest.length - 1).replace(/[-.]+$/, "");
    return `${HASH_ANNOTATION_PREFIX}/${stem}-${digest}`;
}
