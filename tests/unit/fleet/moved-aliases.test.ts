import * as assert from "assert";
import { movedAliases } from "../../../lib/fleet/moved-aliases";

describe("moved aliases", () => {
    it("give a component's per-cluster child an alias with no parent, where a state move leaves it", () => {
        const [moved, ...rest] = movedAliases("app-config-eu-west-1", [], (old) => `app-config-${old}`);
        assert.deepStrictEqual(rest, []);
        assert.strictEqual(moved.name, "app-config-eu-west-1");
        // `parent: undefined` (pulumi.rootStackResource) is how an alias says "no parent"; an absent key would mean "the same parent".
        assert.ok(Object.prototype.hasOwnProperty.call(moved, "parent") && moved.parent === undefined);
    });

    it("add, for each former name, the child's old name under its component and with no parent", () => {
        const aliases = movedAliases("prod-b", ["a"], (old) => `prod-${old}`);
        assert.deepStrictEqual(
            aliases.map((a) => [a.name, Object.prototype.hasOwnProperty.call(a, "parent") ? "no parent" : "same parent"]),
            [
                ["prod-b", "no parent"],
                ["prod-a", "same parent"],
                ["prod-a", "no parent"],
            ],
        );
    });
});
