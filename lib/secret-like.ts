/**
 * Keys and values that look like credentials. The component refuses a value that is a Pulumi secret
 * (validation.ts, `secretProblem`), but a value read from a live cluster carries no such mark: a
 * password someone put in a ConfigMap by hand is plain text there. Adoption would copy it into a file
 * that gets committed, so it is refused by how it looks instead. The rules err on the side of a false
 * alarm; the message says how to move the key into a Secret.
 */

/** Key names that say the value is a credential: `DB_PASSWORD`, `api-key`, `client.secret`, `AUTH_TOKEN`. */
const SECRET_KEY = /(^|[-_.])(pass(word|wd)?|secret|token|api[-_.]?key|private[-_.]?key|credentials?|access[-_.]?key)($|[-_.])/i;

/** Values that have a credential's own shape, whatever their key is called. */
const SECRET_VALUES: readonly { readonly what: string; readonly pattern: RegExp }[] = [
    { what: "a PEM private key", pattern: /-----BEGIN [A-Z ]*PRIVATE KEY-----/ },
    { what: "an AWS access key ID", pattern: /\b(AKIA|ASIA)[0-9A-Z]{16}\b/ },
    { what: "a GitHub token", pattern: /\bgh[pousr]_[A-Za-z0-9]{36,}\b/ },
    { what: "a Slack token", pattern: /\bxox[abpr]-[A-Za-z0-9-]{10,}/ },
    { what: "a JSON Web Token", pattern: /\beyJ[A-Za-z0-9_-]{8,}\.eyJ[A-Za-z0-9_-]{8,}\.[A-Za-z0-9_-]{8,}/ },
    { what: "a URL with a password in it", pattern: /\b[a-z][a-z0-9+.-]*:\/\/[^\s:/@]+:[^\s@/]+@/i },
];

/**
 * Why a key or its value looks like a credential (`its name says it is a password`, `its value holds
 * a PEM private key`), or undefined. The reason never quotes the value.
 */
export function secretLikeReason(key: string, value: string): string | undefined {
    if (SECRET_KEY.test(key)) return "its name says it holds a credential";
    const found = SECRET_VALUES.find((rule) => rule.pattern.test(value));
    return found ? `its value holds what looks like ${found.what}` : undefined;
}
