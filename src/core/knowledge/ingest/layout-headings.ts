import type { LayoutLine } from '../../ports/ports.js';

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

/** How many pages a line must recur on, in the same place, to be page furniture rather than a heading. */
const FURNITURE_PAGES = 3;
const MAX_HEADING_CHARS = 120;

/** A line's place on its page (its baseline, to a few points) and its words, page numbers aside. */
const placeKey = (line: LayoutLine) => `${Math.round(line.y / 3)}|${line.text.replace(/\s+/g, ' ').trim().toLowerCase().replace(/\d+/g, '#')}`;

/**
 * Learns the lines a document repeats in the same place page after page: running headers and
 * footers wherever pdf.js puts them in the text, and a table's column headers repeated on every
 * page it continues on. Call it with each batch of pages' lines before their headings are told.
 */
export function observeRepeatedLines(seen: Map<string, number>, pages: readonly (readonly LayoutLine[] | undefined)[]): void {
  for (const lines of pages) {
    if (!lines) continue;
    for (const key of new Set(lines.filter((line) => line.text.length <= MAX_HEADING_CHARS).map(placeKey))) seen.set(key, (seen.get(key) ?? 0) + 1);
  }
}

/** Whether a line is one the document repeats in the same place on several pages (from observeRepeatedLines). */
export function repeatedIn(seen: ReadonlyMap<string, number> | undefined): (line: LayoutLine) => boolean {
  return (line) => (seen?.get(placeKey(line)) ?? 0) >= FURNITURE_PAGES;
}

/** "Table B-1.", "Figure 2.", "Appendix Table 3.": a caption's label, whose title follows on the next line. */
const CAPTION_LABEL = /^(?:appendix\s+)?(?:table|figure|chart|exhibit|map)\s+[\p{L}\d]+(?:[-.]\d+)*\.?$/iu;

/**
 * A heading is told by its layout, not its wording: set larger than the body text, or in another
 * font (bold) at body size than most of the page's text, alone on its line, short, mostly letters, and not ending like a
 * sentence. Map legends, axis labels and scale bars (small type, mostly numbers) and sentences in
 * the body font never qualify, nor do lines the document repeats in the same place on several
 * pages (`repeated`: running headers and footers), command lines and code, list items, citations
 * and rows of amounts, whatever their type. Consecutive lines in the same heading style form one
 * heading, and a caption label ("Table B-1.") joins the title under it.
 */
export function headingRoles(lines: readonly LayoutLine[], repeated: (line: LayoutLine) => boolean = () => false): LineRole[] {
  const body = bodyStyle(lines);
  if (!body) return lines.map(() => undefined);

  const prose = proseStyles(lines);
  const code = codeStyles(lines);
  const styled = lines.map((line) => !prose.has(styleKey(line)) && !code.has(styleKey(line)) && !repeated(line) && isHeadingLine(line, body));
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

/**
 * Styles the page sets code in: half or more of their lines read as commands or code. Every line
 * in such a style is code ("cd out", "a'4 b c d" between command lines), never a heading.
 */
function codeStyles(lines: readonly LayoutLine[]): Set<string> {
  const stats = new Map<string, { lines: number; code: number }>();
  for (const line of lines) {
    const entry = stats.get(styleKey(line)) ?? { lines: 0, code: 0 };
    entry.lines++;
    if (CODE.test(line.text.trim())) entry.code++;
    stats.set(styleKey(line), entry);
  }
  return new Set([...stats].filter(([, e]) => e.code * 2 >= e.lines).map(([key]) => key));
}

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

/**
 * Command lines and code (set in another font, they pass for bold): an option ("-e", "--version",
 * "-dbackend=svg"), an assignment, a redirection or pipe, braces, a backslash, a shell variable,
 * a path, a word:word name, a comment mark first ("#(use-modules", "% comment"), or a lower-case
 * command followed by a file name ("pdflatex yourfile.tex").
 */
const CODE = /(?:^|\s)--?[A-Za-z][\w-]*(?:[=\s,]|$)|[={}\\`|<>;]|\$[A-Za-z_{(]|(?:^|\s)(?:\.{1,2}|~)?\/[\w.-]+|\p{L}:\p{L}|^[#%]|^[a-z][\w-]*\s.*\b[\w-]+\.[a-z][a-z\d]{0,4}\b/u;
/** A list item: a line that starts with a bullet glyph or a dash ("•", "▪", "–", "-", "*"), not a word or a number. */
const BULLET = /^[\p{Pd}\p{Sm}\p{So}•◦‣⁃∙·*]/u;
/**
 * A citation: "et al.", a statute ("42 U.S.C. § 1983", "26 C.F.R. 1.501"), a case ("Roe v. Wade"),
 * a journal's volume(issue) and pages ("8(85), 2026", "12(3):45"), a DOI.
 */
const CITATION = /\bet al\.|\S\s*§+\s*\d|\b\d+\s+(?:\p{Lu}\.){2,}|\bv\.\s+\p{Lu}|\b\d+\s*\(\d+\)\s*[:,]\s*\d|\bdoi:|\b10\.\d{4,}\//iu;
/** An amount: thousands separated, two decimals or more, or a percentage. Two on a line make it a table row. */
const AMOUNT = /\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+\.\d{2,}|\d+(?:\.\d+)?\s?%/g;

function isHeadingLine(line: LayoutLine, body: { font: string; size: number }): boolean {
  const text = line.text.trim();
  if (/^\(.*\)$/.test(text)) return false; // a unit or a note under a title: "(In percent)"
  if (/@|https?:|www\./.test(text)) return false; // addresses and links
  if (text.length < 3 || text.length > MAX_HEADING_CHARS || line.share < 0.8) return false;
  if (CODE.test(text) || BULLET.test(text) || CITATION.test(text) || (text.match(AMOUNT)?.length ?? 0) >= 2) return false;
  const visible = text.replace(/\s/g, '');
  const letters = visible.replace(/[^\p{L}]/gu, '').length;
  if (letters < 3 || letters / visible.length < 0.6) return false;
  if (text.split(/\s+/).length > 14) return false;
  if (/[.,;:]$/.test(text) && !/\b[A-Z]\.$/.test(text)) return false;
  const larger = line.size >= body.size * 1.08;
  const boldAtBodySize = line.font !== body.font && line.size >= body.size * 0.98;
  return larger || boldAtBodySize;
}
