/**
 * Lists of clusters and stacks in human output are bounded: a fleet has up to a thousand clusters, and
 * a message that names them all is no longer read. `--json` output keeps the whole lists.
 */

/** How many names a human-readable list shows before "and N more". */
export const MAX_LISTED = 10;

/**
 * `"a", "b" and 38 more`: the first `max` items (each passed through `show`), then how many were left
 * out. Every item is counted; none is dropped silently.
 *
 * @param items The items, in the order they are shown.
 * @param show How one item is written. Defaults to the item as it is.
 * @param max How many to show. Defaults to {@link MAX_LISTED}.
 */
export function boundedList(items: readonly string[], show: (item: string) => string = (i) => i, max = MAX_LISTED): string {
    const shown = items.slice(0, max).map(show).join(", ");
    return items.length > max ? `${shown} and ${items.length - max} more` : shown;
}

/** {@link boundedList} with each item in double quotes, as messages name clusters, stacks and regions. */
export function boundedQuotedList(items: readonly string[], max = MAX_LISTED): string {
    return boundedList(items, (i) => JSON.stringify(i), max);
}
