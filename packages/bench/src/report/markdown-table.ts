/** Markdown building blocks: escaped text and cells, aligned tables, sections, code fences. */
import { DASH } from './format';

/** Labels come from the runner; a '<' in one must not start an HTML tag on GitHub. */
export const mdText = (v: unknown): string => String(v).replace(/</g, '\\<');

const mdCell = (v: unknown): string =>
  mdText(v ?? DASH)
    .replace(/\|/g, '\\|')
    .replace(/\s*\n\s*/g, ' ');

/** Terminal columns: the check marks are wide characters. */
const displayWidth = (s: string): number =>
  [...s].length + (s.match(/[\u2705\u274C]/g) ?? []).length;

function pad(s: string, width: number, align: string | undefined): string {
  const fill = ' '.repeat(Math.max(0, width - displayWidth(s)));
  return align === 'r' ? fill + s : s + fill;
}

/**
 * A markdown table padded to aligned columns, so the file also reads well in a terminal.
 * `align` is one letter per column: 'l' or 'r' (numbers).
 */
export function table(
  headers: readonly string[],
  rows: readonly (readonly unknown[])[],
  align = '',
): string {
  const cells = [headers, ...rows].map((row) => row.map(mdCell));
  const widths = headers.map((_, i) =>
    Math.max(3, ...cells.map((row) => displayWidth(row[i] ?? ''))),
  );
  const line = (row: readonly string[]) =>
    `| ${row.map((c, i) => pad(c, widths[i] ?? 0, align[i])).join(' | ')} |`;
  const rule = widths.map((w, i) => (align[i] === 'r' ? `${'-'.repeat(w - 1)}:` : '-'.repeat(w)));
  return [line(cells[0] ?? []), `| ${rule.join(' | ')} |`, ...cells.slice(1).map(line)].join('\n');
}

/** A '## title' section of the blocks that are not empty, a blank line between them. */
export const section = (title: string, ...blocks: readonly string[]): string =>
  [`## ${title}`, ...blocks.filter(Boolean)].join('\n\n');

/** A code fence longer than any backtick run in the text, so profile output cannot break it. */
export function fenced(text: unknown): string {
  const longest = Math.max(0, ...(String(text).match(/`+/g) ?? []).map((s) => s.length));
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return `${fence}text\n${String(text).replace(/\n+$/, '')}\n${fence}`;
}
