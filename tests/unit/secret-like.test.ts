import * as assert from "assert";
import { secretLikeReason } from "../../lib/secret-like";

describe("credential-like keys and values", () => {
    it("flag keys whose name says they hold a credential, as a word of the name", () => {
        for (const key of ["DB_PASSWORD", "password", "api-key", "API_KEY", "client.secret", "AUTH_TOKEN", "aws_access_key", "private-key.pem", "credentials.json", "PASSWD"]) {
            assert.strictEqual(secretLikeReason(key, "x"), "its name says it holds a credential", key);
        }
    });

    it("leave names that only contain such a word inside another alone", () => {
        for (const key of ["LOG_LEVEL", "PASSAGE_COUNT", "SECRETARY_EMAIL", "TOKENIZER", "KEYCLOAK_URL", "app.properties"]) assert.strictEqual(secretLikeReason(key, "plain"), undefined, key);
    });

    it("flag values shaped like a credential under any key, never quoting them", () => {
        const cases: [string, string][] = [
            ["-----BEGIN OPENSSH PRIVATE KEY-----\nabc\n", "a PEM private key"],
            ["id=AKIAIOSFODNN7EXAMPLE", "an AWS access key ID"],
            [`ghp_${"a".repeat(36)}`, "a GitHub token"],
            ["eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U", "a JSON Web Token"],
            ["postgres://app:hunter2@db:5432/app", "a URL with a password in it"],
        ];
        for (const [value, what] of cases) {
            const reason = secretLikeReason("SETTING", value)!;
            assert.strictEqual(reason, `its value holds what looks like ${what}`);
            assert.ok(!reason.includes(value));
        }
        assert.strictEqual(secretLikeReason("DB_URL", "postgres://db:5432/app"), undefined);
        assert.strictEqual(secretLikeReason("CERT", "-----BEGIN CERTIFICATE-----\nabc\n"), undefined);
    });
});
