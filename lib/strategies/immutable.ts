/**
 * The immutable strategy: each cluster's ConfigMap is named after its content and never changes. A new
 * content is a new ConfigMap; consumers move to it in a rollout, and the old one is deleted only after
 * that, so old pods keep their config until they are gone and a rollback finds it still there.
 */
import { ConfigMapContent, contentHash } from "../config/hash";
import { MAX_SUBDOMAIN_LENGTH } from "../config/limits";
import type { StrategyChecks } from "../config/strategy-checks";
import { invalidValue } from "../errors/problems";

/** How many hex digits of the content hash an immutable ConfigMap's name carries. */
export const NAME_HASH_LENGTH = 10;

/** The longest base name the immutable strategy accepts: the suffix `-<hash>` must still fit a DNS-1123 subdomain. */
export const MAX_IMMUTABLE_BASE_NAME = MAX_SUBDOMAIN_LENGTH - NAME_HASH_LENGTH - 1;

/**
 * The name of the immutable ConfigMap holding `content`: `<base>-<first 10 hex digits of its hash>`.
 * The same content gives the same name in every cluster and on every run.
 *
 * @example
 * immutableName("app-config", content) === "app-config-3f2a9c01b4"
 */
export function immutableName(base: string, content: ConfigMapContent): string {
    return `${base}-${contentHash(content).slice(0, NAME_HASH_LENGTH)}`;
}

/** The immutable strategy's own check, which it hands to the check stage: the name leaves room for `-<hash>`. */
export const immutableChecks: StrategyChecks = {
    nameProblems: (name) =>
        name.length <= MAX_IMMUTABLE_BASE_NAME
            ? []
            : [
                  {
                      field: "metadata.name",
                      message: `${invalidValue(name.slice(0, 40))}… (${name.length} characters): with \`strategy: "immutable"\` the name is at most ${MAX_IMMUTABLE_BASE_NAME} characters, so that \`-<hash>\` still fits ${MAX_SUBDOMAIN_LENGTH}`,
                  },
              ],
};
