/**
 * `--markdown`: a review as a pull-request comment. The summary comes first, then one collapsible
 * section per group with its changes in a `diff` block. It stays within GitHub's comment limit and says
 * what it left out, and where to find it.
 */
import { boundedList } from "../../errors/bounded-list";
import { ChangeReview } from "./change-review";
import { errorLines, groupBodyLines, groupTitle, outsideLines, summaryLine } from "./change-text";
import { FleetShape } from "./fleet-shape";

/** GitHub refuses a comment longer than this many characters. */
export const GITHUB_COMMENT_LIMIT = 65_536;
/** Room kept for the closing note on what was left out. */
const FOOTER_ROOM = 600;

/**
 * The comment: a title, the summary, the extra lines (missing stacks, interruptions), one `<details>`
 * section per group, the steps outside the fleet and the errors. At most `limit` characters.
 */
export function renderMarkdown(review: ChangeReview, shape: Pick<FleetShape, "regions">, title: string, extra: readonly string[] = [], limit = GITHUB_COMMENT_LIMIT): string {
    const head = [`### ${escape(title)}`, "", `**${escape(summaryLine(review))}**`, ...extra.map((l) => `\n${escape(l)}`)].join("\n");
    const tail = [...outsideLines(review), ...errorLines(review)].map((l) => `- ${escape(l)}`).join("\n");
    const budget = limit - FOOTER_ROOM - head.length - tail.length;
    const sections: string[] = [];
    let used = 0;
    let shown = 0;
    for (const group of review.groups) {
        const room = budget - used;
        const section = groupSection(groupTitle(group, shape), groupBodyLines(group.body), room);
        if (section === undefined) break;
        sections.push(section);
        used += section.length + 2;
        shown++;
    }
    const left = review.groups.slice(shown);
    const footer =
        left.length === 0
            ? ""
            : `\n**${left.length} more group${left.length === 1 ? "" : "s"} (${left.reduce((n, g) => n + g.clusters.length, 0)} clusters: ${escape(boundedList(left.flatMap((g) => g.clusters)))}) left out to stay within GitHub's ${GITHUB_COMMENT_LIMIT.toLocaleString("en-US")}-character limit; the \`--json\` report has every group.**\n`;
    // A blank line ends each HTML block, so what follows a `</details>` is markdown again.
    return [head, sections.join("\n\n"), tail, footer.trim()].filter((part) => part !== "").join("\n\n") + "\n";
}

/**
 * One group as a collapsible section, or a plain line when it has no changes. Lines that do not fit in
 * `room` are cut and counted; undefined when not even the title fits.
 */
function groupSection(title: string, body: readonly string[], room: number): string | undefined {
    if (body.length === 0) {
        const line = `- ${escape(title)}`;
        return line.length <= room ? line : undefined;
    }
    const fence = "`".repeat(Math.max(3, longestBacktickRun(body) + 1));
    const open = `<details><summary>${escape(title)}</summary>\n\n${fence}diff\n`;
    const close = `${fence}\n\n</details>`;
    const cutNote = (n: number) => `~ … ${n} more line${n === 1 ? "" : "s"} left out to stay within the comment limit (--json has them)\n`;
    let text = "";
    for (let i = 0; i < body.length; i++) {
        const line = body[i] + "\n";
        if (open.length + text.length + line.length + cutNote(body.length - i).length + close.length > room) {
            if (i === 0) return undefined;
            text += cutNote(body.length - i);
            break;
        }
        text += line;
    }
    return open + text + close;
}

function longestBacktickRun(lines: readonly string[]): number {
    return Math.max(0, ...lines.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((run) => run.length))));
}

/** Text outside code blocks: HTML's special characters escaped, so a value cannot open a tag. */
function escape(text: string): string {
    return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}
