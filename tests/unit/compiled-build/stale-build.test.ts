import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { BUILD_STAMP, staleBuild, staleBuildReason } from "../../../lib/compiled-build/stale-build";

describe("a compiled build is never served older than its sources", () => {
    describe("staleBuildReason", () => {
        it("passes a build stamped after every source", () => {
            assert.strictEqual(staleBuildReason(2_000, [{ file: "lib/a.ts", mtimeMs: 1_000 }, { file: "lib/b.ts", mtimeMs: 2_000 }]), undefined);
        });

        it("names the newest source changed since the build, and how many more", () => {
            const sources = [
                { file: "lib/a.ts", mtimeMs: 1_000 },
                { file: "lib/b.ts", mtimeMs: 3_000 },
                { file: "lib/c.ts", mtimeMs: 4_000 },
            ];
            assert.strictEqual(staleBuildReason(2_000, sources), "the compiled build in dist/ is older than lib/c.ts (and 1 more), changed since it was built; run `npm run build`");
            assert.strictEqual(staleBuildReason(3_500, sources), "the compiled build in dist/ is older than lib/c.ts, changed since it was built; run `npm run build`");
        });

        it("refuses a build without its stamp: the compiler stopped before the end", () => {
            assert.match(staleBuildReason(undefined, [])!, /^dist\/\.build-stamp is missing: the last build did not finish; run `npm run build`$/);
        });
    });

    describe("staleBuild, on a package's files", () => {
        let root: string;
        const write = (file: string, at: number) => {
            fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
            fs.writeFileSync(path.join(root, file), "");
            fs.utimesSync(path.join(root, file), at, at);
        };
        beforeEach(() => {
            root = fs.mkdtempSync(path.join(os.tmpdir(), "stale-build-"));
            write("lib/index.ts", 1_000);
            write("lib/fleet/fleet.ts", 1_000);
            write("lib/fleet/README.md", 5_000);
            write(`dist/${BUILD_STAMP}`, 2_000);
            fs.mkdirSync(path.join(root, "dist/fleet"));
        });
        afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

        it("passes a fresh build, whatever other files in lib/ say", () => {
            assert.strictEqual(staleBuild(path.join(root, "dist/fleet")), undefined);
        });

        it("finds a source in a nested folder changed since the build", () => {
            write("lib/fleet/fleet.ts", 3_000);
            assert.match(staleBuild(path.join(root, "dist/fleet"))!, /older than lib\/fleet\/fleet\.ts, changed since it was built/);
        });

        it("finds a JSON source the build copies changed since the build: the component package's committed schema", () => {
            write("lib/component/schema.json", 3_000);
            assert.match(staleBuild(path.join(root, "dist/component"))!, /older than lib\/component\/schema\.json, changed since it was built/);
        });

        it("finds a missing stamp", () => {
            fs.rmSync(path.join(root, "dist", BUILD_STAMP));
            assert.match(staleBuild(path.join(root, "dist"))!, /\.build-stamp is missing/);
        });

        it("compares nothing from source (no dist/ above) or from an installed package (no lib/ beside dist/)", () => {
            write("lib/fleet/fleet.ts", 3_000);
            assert.strictEqual(staleBuild(path.join(root, "lib/fleet")), undefined);
            fs.rmSync(path.join(root, "lib"), { recursive: true });
            assert.strictEqual(staleBuild(path.join(root, "dist/fleet")), undefined);
        });
    });
});
