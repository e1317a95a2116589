import { Command, CommanderError, Option } from "commander";
import { EXIT_HELP } from "./exit-codes";

/** One invocation of the rollout command, as parsed from its arguments. */
export interface Invocation {
    /** The subcommand. */
    readonly command: "plan" | "preview" | "up" | "move" | "explain" | "drift" | "report" | "import";
    /** The fleet definition file, relative to the current directory. */
    readonly fleet: string;
    /** The Pulumi project directory of the program whose stacks are driven. */
    readonly cwd: string;
    /** `--wave NAME=SELECTOR`, in order. */
    readonly waves: readonly string[];
    /** `--stack NAME`: only these stacks. */
    readonly stacks: readonly string[];
    /** How many stacks run at once. */
    readonly concurrency: number;
    /** `preview --config KEY=VALUE`: config over the fleet file's `config`, for this preview only. */
    readonly config: Readonly<Record<string, string>>;
    /** Refresh each stack first. */
    readonly refresh: boolean;
    /** Print one JSON document on stdout instead of tables. */
    readonly json: boolean;
    /** `preview`, `report`: print a pull-request comment in markdown. @default false */
    readonly markdown?: boolean;
    /** `preview`, `up`, `report`: one row per cluster instead of groups of clusters with identical changes. @default false */
    readonly byCluster?: boolean;
    /** `report`: the `preview --json` documents to join. @default absent for other commands */
    readonly parts?: readonly string[];
    /** Show each stack's progress on stderr. */
    readonly progress: boolean;
    /** `explain`: the FleetConfigMap's name in the program. @default absent for other commands */
    readonly configMap?: string;
    /** `explain --cluster`: the one cluster to explain. @default absent: every cluster, compared */
    readonly cluster?: string;
    /** `up --soak`, `--gate`, `--wave-timeout`: `WAVE=VALUE` each, as written, over the fleet file's waves. @default absent for other commands */
    readonly waveOptions?: { readonly soak: readonly string[]; readonly gate: readonly string[]; readonly timeout: readonly string[] };
    /** `up --skip-preflight`: roll out without checking the clusters first. @default false */
    readonly skipPreflight?: boolean;
    /** `import`: the ConfigMap to adopt. @default absent for other commands */
    readonly adopt?: { readonly namespace: string; readonly name: string };
    /** `import --out`: the adopted-config file to write, relative to `cwd`. @default `adopted/<name>.yaml` */
    readonly out?: string;
    /** `import --overwrite`: replace the adopted-config file if it exists. @default false */
    readonly overwrite?: boolean;
    /** `import --take-ownership`: adopt keys other field managers (kubectl, Helm) own. @default false: they refuse the import */
    readonly takeOwnership?: boolean;
    /** `import --no-consumers`: do not list pods to propose the workloads that read the ConfigMap. @default true */
    readonly consumers?: boolean;
    /** `import --not-secret KEY`: keys that look like credentials but are not (e.g. `TOKEN_TTL`). @default none */
    readonly notSecret?: readonly string[];
    /** `import --check`: compare the clusters with the adopted file written before, and write nothing. @default false */
    readonly check?: boolean;
}

/** The default of `--concurrency`: each stack runs a `pulumi`, its program and one provider per cluster. */
export const DEFAULT_CONCURRENCY = 4;

const collect = (value: string, previous: string[] = []) => [...previous, value];

/** A usage error, or `--help`/`--version`: print it and exit with `exitCode`. */
export class ArgumentsError extends Error {
    constructor(
        message: string,
        readonly exitCode: number,
    ) {
        super(message);
    }
}

/**
 * Parses the command line (without `node` and the script). Throws an {@link ArgumentsError} for bad
 * arguments (exit code 2) and after printing help (exit code 0).
 */
export function parseArguments(argv: readonly string[], write: { out: (s: string) => void; err: (s: string) => void } = { out: (s) => process.stdout.write(s), err: (s) => process.stderr.write(s) }): Invocation {
    let invocation: Invocation | undefined;
    const program = new Command("fleet-rollout")
        .description("Preview and roll out one Pulumi program's shard stacks of a fleet, in health-gated waves; explain where a FleetConfigMap's values come from; find drift.")
        .exitOverride()
        .configureOutput({ writeOut: write.out, writeErr: write.err })
        .addHelpText("after", `\n${EXIT_HELP}\n`)
        .showHelpAfterError("(run with --help for usage)");
    const common = (command: Command, options: { waves: boolean; run: boolean; concurrency?: boolean; config?: boolean; perCluster?: boolean }) => {
        command
            .option("-f, --fleet <file>", "the fleet definition file (YAML or JSON)", "fleet.yaml")
            .option("-C, --cwd <dir>", "the Pulumi project directory of the program", ".")
            .option("--stack <name>", "only this stack (repeatable); for a CI matrix job", collect, [])
            .option("--json", "print one JSON document on stdout instead of tables (progress stays on stderr)", false)
            .exitOverride()
            .configureOutput({ writeOut: write.out, writeErr: write.err });
        if (options.waves) command.option("--wave <name=selector>", "a wave, in order (repeatable): region:R[,R…], cluster:C[,C…], shard:I/N, several shards shard:2,3,7/N or shard:1,4-6/N, P% (P% of all stacks, rounded up, taken in plan order from those left) or '*' for the rest", collect, []);
        if (options.run || options.concurrency) {
            command
                .addOption(new Option("--concurrency <n>", options.perCluster ? "how many clusters are read at once" : "how many stacks run at once").default(DEFAULT_CONCURRENCY).argParser(positiveInteger("--concurrency")))
                .option("--no-progress", options.perCluster ? "do not show the reading's progress on stderr" : "do not show each stack's progress on stderr");
        }
        if (options.run) {
            // `up` takes only committed config; its hidden --config is there to say so (see done()).
            const config = new Option("--config <key=value>", "preview with this config over the fleet file's `config` (repeatable); written nowhere").argParser(collect).default([]);
            command
                .addOption(options.config ? config : config.hideHelp())
                .option("--refresh", "refresh each stack's state from its clusters first", false)
                .option("--by-cluster", "one row per cluster instead of groups of clusters with identical changes", false);
        }
        return command;
    };
    const done = (command: Invocation["command"], extra: Partial<Invocation> = {}) => (opts: Record<string, unknown>) => {
        invocation = {
            ...extra,
            command,
            fleet: opts.fleet as string,
            cwd: opts.cwd as string,
            waves: (opts.wave as string[] | undefined) ?? [],
            stacks: opts.stack as string[],
            concurrency: (opts.concurrency as number | undefined) ?? DEFAULT_CONCURRENCY,
            config: parseConfig((opts.config as string[] | undefined) ?? []),
            refresh: (opts.refresh as boolean | undefined) ?? false,
            json: opts.json as boolean,
            progress: (opts.progress as boolean | undefined) ?? true,
            markdown: (opts.markdown as boolean | undefined) ?? false,
            byCluster: (opts.byCluster as boolean | undefined) ?? false,
        };
        if (command === "up" && Object.keys(invocation.config).length > 0) {
            throw new ArgumentsError(
                `up rolls out only what is committed: put ${Object.keys(invocation.config).map((k) => `\`${k}\``).join(", ")} in the fleet file's \`config:\`, so that a re-run, a resume and a fresh CI checkout roll out the same values. --config is for preview, which writes nothing`,
                2,
            );
        }
        if (invocation.json && invocation.markdown) throw new ArgumentsError("give --json or --markdown, not both", 2);
    };
    common(program.command("plan").description("list the waves and their stacks (--json for a CI matrix)"), { waves: true, run: false }).action(done("plan"));
    common(program.command("preview").description("preview every stack (changing nothing, not even stack config) and print the changes, clusters with identical changes grouped"), { waves: false, run: true, config: true })
        .option("--markdown", "print a pull-request comment: the summary, then one collapsible section per group", false)
        .action(done("preview"));
    common(program.command("up").description("check every cluster (preflight), then roll out wave by wave, each wave's soak and gate after its stacks; stop at the first wave that fails"), { waves: true, run: true })
        .option("--soak <wave=duration>", "after the wave's up, watch its wired workloads this long (e.g. canary=10m); over the fleet file's `soak` (repeatable)", collect, [])
        .option("--gate <wave=command>", "after the wave's soak, run this shell command; non-zero fails the wave (e.g. canary=./smoke.sh); over the fleet file's `gate` (repeatable)", collect, [])
        .option("--wave-timeout <wave=duration>", "the longest the wave may take, up, soak and gate (e.g. canary=30m); over the fleet file's `timeout` (repeatable)", collect, [])
        .option("--skip-preflight", "do not check the clusters' API, kinds, namespaces and rights before the first wave", false)
        .action((opts: Record<string, unknown>) =>
            done("up", {
                waveOptions: { soak: opts.soak as string[], gate: opts.gate as string[], timeout: opts.waveTimeout as string[] },
                skipPreflight: opts.skipPreflight as boolean,
            })(opts),
        );
    common(program.command("move").description("move the clusters the plan puts in another stack than the one whose state holds them, between the stacks' states (`pulumi state move`), and run nothing; `up` does it first too"), {
        waves: false,
        run: false,
        concurrency: true,
    }).action(done("move"));
    common(program.command("explain").argument("<configmap>", "the FleetConfigMap's name in the program").description("show where each value of one FleetConfigMap comes from, from the deployed stacks' state (runs no program)"), {
        waves: false,
        run: false,
    })
        .option("--cluster <name>", "explain this cluster: every key, its value and the layer that set it, and the keys removed")
        .action((configMap: string, opts: Record<string, unknown>) => done("explain", { configMap, ...(typeof opts.cluster === "string" ? { cluster: opts.cluster } : {}) })(opts));
    common(program.command("drift").description("refresh and preview every stack (changing nothing) and report, per cluster, the ConfigMap keys and hash annotations changed out of band"), {
        waves: false,
        run: false,
        concurrency: true,
    })
        .option("--by-cluster", "one row per cluster instead of groups of clusters with identical drift", false)
        .action(done("drift"));
    common(
        program
            .command("import")
            .argument("<namespace/name>", "the ConfigMap to adopt, e.g. shop/app-config")
            .description(
                "read one ConfigMap from every cluster of the fleet, report how the copies diverge, and write the layered definition (base, region values, cluster exceptions, removals) that gives every cluster exactly what it holds; writes nothing if any cluster cannot be adopted",
            ),
        { waves: false, run: false, concurrency: true, perCluster: true },
    )
        .option("-o, --out <file>", "the adopted-config file to write, relative to --cwd (default: adopted/<name>.yaml)")
        .option("--overwrite", "replace the file if it already exists", false)
        .option("--check", "write nothing: check that the adopted file (--out) still gives every cluster exactly what it runs; exit 3 if not", false)
        .option("--take-ownership", "adopt keys that other field managers (kubectl, Helm) own; the FleetConfigMap will force its values over theirs", false)
        .option("--not-secret <key>", "a key that looks like a credential by its name or value but is not, e.g. TOKEN_TTL (repeatable)", collect, [])
        .option("--no-consumers", "do not look at the pods for the workloads that read the ConfigMap (they are written as externalConsumers, and get the hash annotation: one restart each)")
        .action((ref: string, opts: Record<string, unknown>) => {
            const match = /^([^/\s]+)\/([^/\s]+)$/.exec(ref);
            if (!match) throw new ArgumentsError(`import ${JSON.stringify(ref)}: give the ConfigMap as NAMESPACE/NAME, e.g. shop/app-config`, 2);
            done("import", { adopt: { namespace: match[1], name: match[2] }, ...(typeof opts.out === "string" ? { out: opts.out } : {}), overwrite: opts.overwrite as boolean, takeOwnership: opts.takeOwnership as boolean, consumers: opts.consumers as boolean, notSecret: opts.notSecret as string[], check: opts.check as boolean })(opts);
        });
    program
        .command("report")
        .argument("<parts...>", "the `preview --stack S --json` documents of the shard stacks")
        .description("join the preview documents of shard stacks previewed apart (CI matrix jobs) into one review, as one preview of them all would print it")
        .option("--json", "print the joined document instead of text", false)
        .option("--markdown", "print a pull-request comment", false)
        .option("--by-cluster", "one row per cluster instead of groups", false)
        .exitOverride()
        .configureOutput({ writeOut: write.out, writeErr: write.err })
        .action((parts: string[], opts: Record<string, unknown>) => {
            if (opts.json && opts.markdown) throw new ArgumentsError("give --json or --markdown, not both", 2);
            invocation = {
                command: "report",
                fleet: "",
                cwd: ".",
                waves: [],
                stacks: [],
                concurrency: DEFAULT_CONCURRENCY,
                config: {},
                refresh: false,
                json: opts.json as boolean,
                markdown: opts.markdown as boolean,
                byCluster: opts.byCluster as boolean,
                progress: false,
                parts,
            };
        });
    try {
        program.parse([...argv], { from: "user" });
    } catch (err) {
        if (err instanceof ArgumentsError) throw err;
        if (err instanceof CommanderError) throw new ArgumentsError(err.message, err.exitCode === 0 ? 0 : 2);
        throw err;
    }
    if (!invocation) {
        write.err(program.helpInformation());
        throw new ArgumentsError("a command is required: plan, preview, up, move, explain, drift, report or import", 2);
    }
    return invocation;
}

function positiveInteger(flag: string) {
    return (value: string) => {
        const n = Number(value);
        if (!Number.isInteger(n) || n < 1) throw new ArgumentsError(`${flag} must be a whole number of 1 or more, got "${value}"`, 2);
        return n;
    };
}

function parseConfig(pairs: readonly string[]): Record<string, string> {
    const config: Record<string, string> = {};
    for (const pair of pairs) {
        const eq = pair.indexOf("=");
        if (eq <= 0) throw new ArgumentsError(`--config ${pair}: is not KEY=VALUE`, 2);
        config[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
    return config;
}
