/**
 * A compiled build never served older than its sources. The package runs from `dist/` (what npm
 * installs, what the `fleet-rollout` bin and Pulumi programs that import `@fleet/configmap` load),
 * compiled from `lib/` by `npm run build`, which `prepare` runs after `npm ci` and on a git install.
 * In a checkout, `lib/` can change after that build; running the old `dist/` would then prove or
 * deploy code that is no longer there, silently. So the compiled entry points refuse to start while a
 * source is newer than the build's stamp, and say how to rebuild. An installed package has no `lib/`
 * beside its `dist/`, and nothing to compare.
 */
import * as fs from "fs";
import * as path from "path";

/** The file `npm run build` writes into `dist/` after the compiler has written everything else. */
export const BUILD_STAMP = ".build-stamp";

/** A source file and when it last changed. */
export interface SourceTime {
    /** Its path, relative to the package's root (`lib/fleet/fleet.ts`). */
    readonly file: string;
    /** Its modification time, in milliseconds since the epoch. */
    readonly mtimeMs: number;
}

/**
 * Why a build stamped at `stampMs` (undefined: no stamp, the build never finished) is stale against
 * `sources`, or undefined when it is not. Names the newest source, so the reader sees what changed.
 */
export function staleBuildReason(stampMs: number | undefined, sources: readonly SourceTime[]): string | undefined {
    if (stampMs === undefined) return `dist/${BUILD_STAMP} is missing: the last build did not finish; run \`npm run build\``;
    const newer = sources.filter((s) => s.mtimeMs > stampMs).sort((a, b) => b.mtimeMs - a.mtimeMs || a.file.localeCompare(b.file));
    if (newer.length === 0) return undefined;
    const more = newer.length > 1 ? ` (and ${newer.length - 1} more)` : "";
    return `the compiled build in dist/ is older than ${newer[0].file}${more}, changed since it was built; run \`npm run build\``;
}

/**
 * Why the compiled build that `compiledDir` (a folder inside `dist/`, where this module's compiled
 * copy runs) belongs to is stale, or undefined when it is not, or when there is nothing to compare:
 * running from source (`lib/`, under ts-node), or from an installed package (no `lib/` beside
 * `dist/`).
 */
export function staleBuild(compiledDir: string): string | undefined {
    let dist = compiledDir;
    while (path.basename(dist) !== "dist") {
        const parent = path.dirname(dist);
        if (parent === dist) return undefined;
        dist = parent;
    }
    const root = path.dirname(dist);
    const lib = path.join(root, "lib");
    if (!fs.existsSync(lib)) return undefined;
    let stampMs: number | undefined;
    try {
        stampMs = fs.statSync(path.join(dist, BUILD_STAMP)).mtimeMs;
    } catch {
        stampMs = undefined;
    }
    return staleBuildReason(stampMs, sourceTimes(root, "lib"));
}

/**
 * Every source under `dir` (relative to `root`) with its modification time: the `.ts` files, and the
 * `.json` files a build copies or reads (the component package's manifest and committed schema).
 */
function sourceTimes(root: string, dir: string): SourceTime[] {
    return fs.readdirSync(path.join(root, dir), { withFileTypes: true }).flatMap((entry) => {
        const file = path.posix.join(dir, entry.name);
        if (entry.isDirectory()) return sourceTimes(root, file);
        return /\.(ts|json)$/.test(entry.name) ? [{ file, mtimeMs: fs.statSync(path.join(root, file)).mtimeMs }] : [];
    });
}
