import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { fleetArgsFromDefinition, FleetDefinitionError, loadFleetDefinition, parseFleetDefinition } from "../../../lib/fleet/fleet-definition";

const YAML = `
kubeconfigDir: kubeconfigs
clusters:
  - { name: us-east-1, region: us, kubeconfig: fleet-1.yaml }
  - { name: eu-west-1, region: eu, kubeconfig: fleet-2.yaml, context: admin }
  - { name: eu-central-1, region: eu }
stacks: { by: cluster }
waves:
  - { name: canary, select: "cluster:us-east-1" }
  - { name: rest, select: "*" }
`;

function problemsOf(text: string): string {
    try {
        parseFleetDefinition(text, "fleet.yaml");
    } catch (err) {
        assert.ok(err instanceof FleetDefinitionError);
        return err.message;
    }
    throw new Error("expected the definition to be refused");
}

describe("fleet definition file", () => {
    it("reads clusters, stack layout and waves from YAML, and JSON as YAML's subset", () => {
        const definition = parseFleetDefinition(YAML);
        assert.deepStrictEqual(definition.clusters.map((c) => `${c.name}/${c.region}`), ["us-east-1/us", "eu-west-1/eu", "eu-central-1/eu"]);
        assert.deepStrictEqual(definition.stacks, { by: "cluster" });
        assert.deepStrictEqual(definition.waves?.map((w) => w.name), ["canary", "rest"]);
        assert.deepStrictEqual(parseFleetDefinition(JSON.stringify({ clusters: [{ name: "a", region: "r" }] })).clusters, [{ name: "a", region: "r" }]);
    });

    it("names every problem with its field", () => {
        const message = problemsOf(`
clusters:
  - { name: a, region: r, kubeconfg: x }
  - { name: a, region: "r r" }
stacks: { by: region, shards: 2 }
`);
        assert.strictEqual(
            message,
            [
                "fleet definition fleet.yaml is invalid:",
                "  - `clusters[0].kubeconfg`: is not a known field (`kubeconfg`)",
                "  - `clusters[1].region`: is letters, digits, '-', '_' and '.', starting and ending with a letter or digit",
            ].join("\n"),
        );
        assert.match(problemsOf("clusters:\n  - { name: a, region: r }\n  - { name: a, region: s }\n"), /`clusters\[1\]\.name` \(cluster "a"\): duplicates clusters\[0\]\.name/);
        assert.match(problemsOf("clusters: [{ name: a, region: r }]\nstacks: { by: region, shards: 2 }\n"), /`stacks`: sets both `by` and `shards`; give one/);
        assert.match(problemsOf("clusters: []\n"), /`clusters`: a fleet needs at least one cluster/);
        assert.match(problemsOf("clusters: [\n"), /`file`: is not YAML or JSON/);
    });

    it("reads the namespaces the program writes in, and refuses a name that is no namespace", () => {
        assert.deepStrictEqual(parseFleetDefinition(`${YAML}namespaces: [shop, web-2]\n`).namespaces, ["shop", "web-2"]);
        assert.match(problemsOf(`${YAML}namespaces: [Shop]\n`), /`namespaces\[0\]`: is a namespace name: lower-case letters, digits and '-', at most 63/);
    });

    it("reads the kubeconfigs of selected clusters only, relative to kubeconfigDir", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-definition-"));
        fs.mkdirSync(path.join(dir, "kubeconfigs"));
        fs.writeFileSync(path.join(dir, "kubeconfigs", "fleet-2.yaml"), "eu-west-1's kubeconfig");
        fs.writeFileSync(path.join(dir, "fleet.yaml"), YAML);
        const definition = loadFleetDefinition(path.join(dir, "fleet.yaml"));
        // fleet-1.yaml does not exist: a shard of other clusters never reads it.
        const args = fleetArgsFromDefinition(definition, { clusters: ["eu-west-1"] });
        assert.deepStrictEqual(args.clusters, [
            { name: "us-east-1", region: "us" },
            { name: "eu-west-1", region: "eu", context: "admin", kubeconfig: "eu-west-1's kubeconfig" },
            { name: "eu-central-1", region: "eu" },
        ]);
        assert.deepStrictEqual(args.select, { clusters: ["eu-west-1"] });
        assert.throws(() => fleetArgsFromDefinition(definition, undefined), /fleet-1\.yaml/);
    });
});
