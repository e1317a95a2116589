/**
 * The Kubernetes API rules this package checks before anything is sent to a cluster. They are the
 * API server's own, repeated here so that a bad value fails `pulumi preview` with a message naming the
 * field and the cluster, instead of failing mid-`up` on some clusters and not others.
 */

/** The most bytes of values one ConfigMap may hold: 1 MiB, the API server's `MaxSecretSize`. */
export const MAX_CONFIGMAP_BYTES = 1024 * 1024;

/**
 * The bytes a value counts toward {@link MAX_CONFIGMAP_BYTES}, as the API server counts them: UTF-8 bytes
 * for `data`, decoded bytes for `binaryData` (given base64, as in the API).
 */
export function entryBytes(entry: { readonly kind: "data" | "binaryData"; readonly value: string }): number {
    if (entry.kind === "data") return Buffer.byteLength(entry.value, "utf8");
    const padding = entry.value.endsWith("==") ? 2 : entry.value.endsWith("=") ? 1 : 0;
    return (entry.value.length / 4) * 3 - padding;
}

/**
 * What a part of a `strategy: "split"` config keeps free below the API server's 1 MiB. The API server
 * counts only values against 1 MiB, but the object stored in etcd also carries every key (twice: in
 * `data` and in server-side apply's `managedFields`), the labels, the annotations and the rest of the metadata, and etcd limits a whole
 * request (1.5 MiB by default). 64 KiB is room for about 130 keys of the longest name (253 characters)
 * written twice, or thousands of ordinary ones, so a part that fits the budget is never at the API's edge.
 */
export const SPLIT_MARGIN_BYTES = 64 * 1024;

/**
 * The most bytes of values one part of a `strategy: "split"` config holds, counted as the API server
 * counts them: 1 MiB less `SPLIT_MARGIN_BYTES` (64 KiB), 983,040. So it is also the largest single value any
 * strategy can store, which the 1 MiB check's advice tells apart.
 */
export const SPLIT_PART_BUDGET = MAX_CONFIGMAP_BYTES - SPLIT_MARGIN_BYTES;

/** The longest ConfigMap key (a DNS-1123 subdomain's length). */
export const MAX_KEY_LENGTH = 253;

/** ConfigMap keys: the API server's `IsConfigMapKey`. */
export const CONFIGMAP_KEY = /^[-._a-zA-Z0-9]+$/;

/** Object names such as a ConfigMap's: a DNS-1123 subdomain, at most 253 characters. */
export const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
/** The longest DNS-1123 subdomain. */
export const MAX_SUBDOMAIN_LENGTH = 253;

/** Namespaces: a DNS-1123 label, at most 63 characters. */
export const DNS1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** The longest DNS-1123 label. */
export const MAX_LABEL_LENGTH = 63;

/**
 * Fleet cluster and region names. Looser than a DNS label (kubeconfig context names often carry
 * upper case and underscores) but safe in Pulumi resource names and in messages.
 */
export const FLEET_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;
/** The longest cluster or region name. */
export const MAX_FLEET_NAME_LENGTH = 63;

/** Standard base64 with padding, as `binaryData` values are written in the Kubernetes API. */
export const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
