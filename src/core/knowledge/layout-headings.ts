import type { LayoutLine } from '../ports.js';

/** How a line of a page is used: a heading's first line, a further line of that heading, or body text. */
export type LineRole = 'heading' | 'more' | undefined;

const styleKey = (line: LayoutLine) => `${line.font}@${line.size}`;

/** The style (font and size) most of a page's characters are set in. Font names are per page in pdf.js. */
function bodyStyle(lines: readonly LayoutLine[]): { font: string; size: number } | undefined {
  const counts = new Map<string, number>();
  for (const line of lines) counts.set(styleKey(line), (counts.get(styleKey(line)) ?? 0) + line.text.length);
  let best: string | undefined;
  for (const [key, n] of counts) if (best === undefined || n > (counts.get(best) ?? 0)) best = key;
  if (best === undefined) return undefined;
  const at = best.lastIndexOf('@');
  return { font: best.slice(0, at), size: Number(best.slice(at + 1)) };
}

/** "Table B-1.", "Figure 2.", "Appendix Table 3.": a caption's label, whose title follows on the next line. */
const CAPTION_LABEL = /^(?:appendix\s+)?(?:table|figure|chart|exhibit|map)\s+[\p{L}\d]+(?:[-.]\d+)*\.?$/iu;

/**
 * A heading is told by its layout, not its wording: set larger than the body text, or in another
 * font (bold) at body size than most of the page's text, alone on its line, short, mostly letters, and not ending like a
 * sentence. Map legends, axis labels and scale bars (small type, mostly numbers) and sentences in
 * the body font never qualify. Consecutive lines in the same heading style form one heading, and
 * a caption label ("Table B-1.") joins the title under it.
 */
export function headingRoles(lines: readonly LayoutLine[]): LineRole[] {
  const body = bodyStyle(lines);
  if (!body) return lines.map(() => undefined);

  const prose = proseStyles(lines);
  const styled = lines.map((line) => !prose.has(styleKey(line)) && isHeadingLine(line, body));
  const roles: LineRole[] = lines.map(() => undefined);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (CAPTION_LABEL.test(line.text.trim()) && styled[i + 1] && roles[i - 1] === undefined) {
      roles[i] = 'heading';
      roles[i + 1] = 'more';
      i++;
      continue;
    }
    if (!styled[i]) continue;
    const previous = lines[i - 1];
    const continues =
      roles[i - 1] !== undefined &&
      previous !== undefined &&
      styleKey(previous) === styleKey(line) &&
      Math.abs(line.y - previous.y) <= line.size * 1.8 &&
      (Math.abs(line.x - previous.x) <= line.size * 2 || Math.abs(line.x + line.width / 2 - (previous.x + previous.width / 2)) <= line.size * 2);
    roles[i] = continues ? 'more' : 'heading';
  }
  // Five or more lines in one style are a styled paragraph (a text box, a bold lead), not a heading;
  // a style that makes many separate "headings" on one page labels a chart or a map.
  const groups = new Map<string, number>();
  const styledLines = new Map<string, number>();
  for (let i = 0; i < roles.length; i++) {
    if (roles[i] === 'heading') groups.set(styleKey(lines[i]), (groups.get(styleKey(lines[i])) ?? 0) + 1);
    if (roles[i] !== undefined) styledLines.set(styleKey(lines[i]), (styledLines.get(styleKey(lines[i])) ?? 0) + 1);
  }
  const labels = (key: string) => (groups.get(key) ?? 0) > MAX_HEADINGS_PER_STYLE || (styledLines.get(key) ?? 0) > MAX_HEADING_LINES_PER_STYLE;
  for (let start = 0; start < roles.length; start++) {
    if (roles[start] !== 'heading') continue;
    let end = start + 1;
    while (roles[end] === 'more') end++;
    if (end - start > 4 || labels(styleKey(lines[start]))) roles.fill(undefined, start, end);
    start = end - 1;
  }
  return roles;
}

const MAX_HEADINGS_PER_STYLE = 6;
const MAX_HEADING_LINES_PER_STYLE = 8;

/** Styles the page writes sentences in (many of their lines end in punctuation): body text, footnotes, notes. */
function proseStyles(lines: readonly LayoutLine[]): Set<string> {
  const stats = new Map<string, { lines: number; punctuated: number }>();
  for (const line of lines) {
    const entry = stats.get(styleKey(line)) ?? { lines: 0, punctuated: 0 };
    entry.lines++;
    if (/[.,;:]$/.test(line.text.trim())) entry.punctuated++;
    stats.set(styleKey(line), entry);
  }
  return new Set([...stats].filter(([, e]) => e.punctuated >= 3 || (e.lines >= 3 && e.punctuated / e.lines >= 0.25)).map(([key]) => key));
}

function isHeadingLine(line: LayoutLine, body: { font: string; size: number }): boolean {
  const text = line.text.trim();
  if (/^\(.*\)$/.test(text)) return false; // a unit or a note under a title: "(In percent)"
  if (/@|https?:|www\./.test(text)) return false; // addresses and links
  if (text.length < 3 || text.length > 120 || line.share < 0.8) return false;
  const visible = text.replace(/\s/g, '');
  const letters = visible.replace(/[^\p{L}]/gu, '').length;
  if (letters < 3 || letters / visible.length < 0.6) return false;
  if (text.split(/\s+/).length > 14) return false;
  if (/[.,;:]$/.test(text) && !/\b[A-Z]\.$/.test(text)) return false;
  const larger = line.size >= body.size * 1.08;
  const boldAtBodySize = line.font !== body.font && line.size >= body.size * 0.98;
  return larger || boldAtBodySize;
}
