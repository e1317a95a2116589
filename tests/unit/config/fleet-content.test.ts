import * as pulumi from "@pulumi/pulumi";
import * as assert from "assert";
import { planClusters } from "../../../lib/config/effective-config";
import { checkedFleetContent } from "../../../lib/config/fleet-content";
import { argumentsError } from "../../../lib/errors/problems";
import { useMocks, valueOf } from "../mocks";

const clusters = [
    { name: "us-east-1", region: "us" },
    { name: "eu-west-1", region: "eu" },
];
const fail = (problems: Parameters<typeof argumentsError>[2]) => argumentsError(undefined, 'FleetConfigMap "app"', problems);
const unknown = () => pulumi.output(pulumi.unknown as unknown as string);

describe("the fleet-wide check (all or nothing)", () => {
    beforeEach(() => useMocks());

    it("passes literal config without a single Output", async () => {
        const content = checkedFleetContent(planClusters(clusters, { data: { A: "1" } }), fail);
        assert.deepStrictEqual(content.byCluster["us-east-1"], { data: { A: "1" }, binaryData: {} });
        assert.deepStrictEqual(await content.verdict, { state: "passed", contents: { "us-east-1": { data: { A: "1" }, binaryData: {} }, "eu-west-1": { data: { A: "1" }, binaryData: {} } } });
    });

    it("refuses every cluster for one cluster's problem, listing every problem of every cluster in one error", async () => {
        const plans = planClusters(clusters, {
            data: { A: pulumi.output("1") },
            binaryData: { B: pulumi.output("not base64!") },
            overrides: { regions: { eu: { data: { A: pulumi.secret("s") } } } },
        });
        const content = checkedFleetContent(plans, fail);
        const verdict = await content.verdict;
        assert.strictEqual(verdict.state, "refused");
        const error = (verdict as { error: Error }).error;
        assert.match(error.message, /`overrides\.regions\.eu\.data\.A` \(cluster "eu-west-1"\): is a Pulumi secret/);
        for (const cluster of ["us-east-1", "eu-west-1"]) {
            await assert.rejects(valueOf(content.byCluster[cluster] as pulumi.Output<unknown>), (err) => err === error, `${cluster} fails with the one error`);
        }
    });

    it("reports base64 and size problems of every cluster at once, once values are known", async () => {
        const plans = planClusters(clusters, { binaryData: { B: pulumi.output("###") }, overrides: { regions: { eu: { data: { BIG: pulumi.output("x".repeat(1024 * 1024 + 1)) } } } } });
        const verdict = await checkedFleetContent(plans, fail).verdict;
        assert.strictEqual(verdict.state, "refused");
        const message = (verdict as { error: Error }).error.message;
        assert.match(message, /`binaryData\.B` \(cluster "us-east-1"\): is not valid base64/);
        assert.match(message, /`binaryData\.B` \(cluster "eu-west-1"\): is not valid base64/);
    });

    describe("in preview", () => {
        beforeEach(() => useMocks(true));

        it("passes the known clusters and leaves the others unknown, without a wrong known value", async () => {
            const plans = planClusters(clusters, { data: { A: pulumi.output("1") }, overrides: { regions: { eu: { data: { A: unknown() } } } } });
            const content = checkedFleetContent(plans, fail);
            const verdict = await content.verdict;
            assert.deepStrictEqual(verdict, { state: "unknown", contents: { "us-east-1": { data: { A: "1" }, binaryData: {} } } });
            assert.deepStrictEqual(await valueOf(content.byCluster["us-east-1"] as pulumi.Output<unknown>), { data: { A: "1" }, binaryData: {} });
            assert.strictEqual(await valueOf(content.byCluster["eu-west-1"] as pulumi.Output<unknown>), undefined);
        });

        it("refuses a secret while its value is still unknown", async () => {
            const plans = planClusters(clusters, { data: { A: "1" }, overrides: { regions: { eu: { data: { T: pulumi.secret(unknown()) } } } } });
            const verdict = await checkedFleetContent(plans, fail).verdict;
            assert.strictEqual(verdict.state, "refused");
        });
    });
});
