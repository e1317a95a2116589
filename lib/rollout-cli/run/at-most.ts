/**
 * Runs `work` on every item, at most `concurrency` at a time, in the items' order. The rollout
 * command bounds how many stacks touch the backend or the engine at once, because each runs a `pulumi`
 * process; every stage that works stack by stack shares this one pool.
 */
export async function atMost<T>(concurrency: number, items: readonly T[], work: (item: T) => Promise<void>): Promise<void> {
    const queue = [...items];
    const worker = async () => {
        for (let next = queue.shift(); next !== undefined; next = queue.shift()) await work(next);
    };
    await Promise.all(Array.from({ length: Math.min(Math.max(1, concurrency), queue.length) }, worker));
}
