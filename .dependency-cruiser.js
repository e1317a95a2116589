/**
 * The architecture of lib/ as rules, checked by `npm run check:deps` (part of `npm run check`, so of
 * `npm test`). Few rules, each with its reason; docs/ARCHITECTURE.md says what they keep.
 * @type {import('dependency-cruiser').IConfiguration}
 */
module.exports = {
    forbidden: [
        {
            name: "no-circular",
            severity: "error",
            comment:
                "A circle of imports makes its files one part that cannot be read, tested or changed apart. " +
                "Move what both sides need (a type, a helper) into a file of its own that neither imports back.",
            from: {},
            to: { circular: true },
        },
        {
            name: "core-not-command",
            severity: "error",
            comment:
                "The components and their checks (lib/ outside lib/rollout-cli/) run inside every Pulumi program; " +
                "the fleet-rollout command builds on them, never the other way, so a program never loads the command. " +
                "What both need (a wave's options, durations) lives in the core.",
            from: { path: "^lib/(?!rollout-cli/)" },
            to: { path: "^lib/rollout-cli/" },
        },
        {
            name: "checks-not-strategies",
            severity: "error",
            comment:
                "The checks (lib/config/validation*.ts and the check stage, check-stage.ts) run every strategy's own checks " +
                "through the StrategyChecks interface (lib/config/strategy-checks.ts) that the component hands in; " +
                "importing a strategy's file instead would tie the checks to it, and adding a strategy would edit validation.",
            from: { path: "^lib/config/(validation[^/]*|check-stage)\\.ts$" },
            to: { path: "^lib/strategies/" },
        },
    ],
    options: {
        includeOnly: "^lib/",
        // Type-only imports count: a circle of types still ties the files together for a reader.
        tsPreCompilationDeps: true,
        tsConfig: { fileName: "tsconfig.json" },
        doNotFollow: { path: "node_modules" },
    },
};
