/**
 * The rollout command's exit codes, documented in the README and in `--help`. A CI job can tell a
 * failed rollout (1) from a mistake in its own arguments (2), before which nothing ran.
 */
export const EXIT = {
    /** Every wave (or every preview) succeeded. */
    ok: 0,
    /** A wave failed (the rollout stopped there) or a stack's preview failed. */
    failed: 1,
    /** Bad arguments or fleet definition: nothing ran and nothing was changed. */
    usage: 2,
    /** Interrupted (Ctrl-C / SIGINT): running stacks were stopped cleanly; run the command again to finish. */
    interrupted: 130,
} as const;

/** The exit codes as `--help` shows them. */
export const EXIT_HELP = `Exit codes:
  0    every wave (or preview) succeeded
  1    a wave failed and the rollout stopped there, or a preview failed
  2    bad arguments or fleet definition; nothing ran
  130  interrupted (SIGINT); running stacks stopped cleanly, run again to finish`;
