/**
 * The rollout command's exit codes, documented in the README and in `--help`. A CI job can tell a
 * failed rollout (1) from a mistake in its own arguments (2), before which nothing ran; and a
 * scheduled `drift` job can tell drift (3) from a check that could not be made (1 or 2).
 */
export const EXIT = {
    /** Every wave (or every preview) succeeded. */
    ok: 0,
    /**
     * A wave failed (the rollout stopped there): a stack's `up`, its soak, its gate, or its timeout; a
     * stack's preview failed; or a stack's state could not be read.
     */
    failed: 1,
    /** Bad arguments or fleet definition, or `up`'s preflight found a cluster not ready: nothing ran and nothing was changed. */
    usage: 2,
    /**
     * `drift` found a cluster that differs from its deployed state or its program, as
     * `pulumi preview --expect-no-changes` fails on any change; every stack was checked.
     */
    drifted: 3,
    /** Interrupted (Ctrl-C / SIGINT): running stacks were stopped cleanly; run the command again to finish. */
    interrupted: 130,
} as const;

/** The exit codes as `--help` shows them. */
export const EXIT_HELP = `Exit codes:
  0    every wave (or preview) succeeded; drift: every cluster in sync
  1    a wave failed (a stack's up, its soak, its gate or its timeout) and the rollout
       stopped there, or a preview failed (drift: a stack could not be checked; report:
       a stack failed or has no part), or a stack's state could not be read
  2    bad arguments, fleet definition, ConfigMap, cluster or stack, a stack never
       deployed, a failed preflight (up), or report parts of another definition or
       plan; nothing ran
  3    drift: a cluster differs from what its stack deployed or its program says (see
       the report); import --check: a cluster differs from the adopted file; nothing
       was changed
  130  interrupted (SIGINT); running stacks stopped cleanly, run again to finish`;
