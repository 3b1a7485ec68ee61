import type { LayoutLine } from '../../ports/ports.js';
import type { ChunkDraft } from '../../ports/types.js';
import { headingRoles, observeRepeatedLines, repeatedIn, type LineRole } from './layout-headings.js';
import { findTables } from './tables.js';
import { isMeaningfulText } from './text-quality.js';

export interface ChunkerOptions {
  /** Aim for chunks about this long; they may grow to 1.25× to end at a boundary. */
  readonly targetChars: number;
  /** Characters of the previous chunk repeated at the start of the next, cut at a sentence or word. */
  readonly overlapChars: number;
  /**
   * False for text whose headings its format marks (Markdown and HTML heading elements, Word's
   * heading styles, slide titles): no line of it is guessed to be a heading. Default true.
   */
  readonly guessHeadings?: boolean;
}

/** Carries the current section heading, and what running headers/footers look like, across pages. */
export interface ChunkerState {
  heading: string | undefined;
  /** Normalised lines seen at the top or bottom of pages, with the number of pages they were seen on. */
  edgeLines?: Map<string, number>;
  /** Lines by their place on the page and their words, with the number of pages they were seen on there. */
  placedLines?: Map<string, number>;
}

const EDGE_LINES = 2;

function normaliseEdge(line: string): string {
  return line.replace(/\s+/g, ' ').trim().toLowerCase().replace(/\d+/g, '#');
}

/**
 * Learns running headers and footers ("4 U.S. Census Bureau", "Page 3 of 20"): short lines that
 * recur at the top or bottom of several pages. Call it with each batch before chunking its pages.
 */
export function observePageEdges(state: ChunkerState, pageTexts: readonly string[], layouts: readonly (readonly LayoutLine[] | undefined)[] = []): void {
  state.edgeLines ??= new Map();
  observeRepeatedLines((state.placedLines ??= new Map()), layouts);
  for (const text of pageTexts) {
    const lines = text.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
    const edges = new Set([...lines.slice(0, EDGE_LINES), ...lines.slice(-EDGE_LINES)].filter((l) => l.length <= 100).map(normaliseEdge));
    for (const edge of edges) state.edgeLines.set(edge, (state.edgeLines.get(edge) ?? 0) + 1);
  }
}

function isRunningHeader(state: ChunkerState, line: string): boolean {
  // A sentence is body text even if it repeats; running headers and footers do not end like one.
  if (line.length > 100 || /[.!?]$/.test(line)) return false;
  return (state.edgeLines?.get(normaliseEdge(line)) ?? 0) >= 2;
}

/** Dot leaders in tables and contents pages ("Florida . . . . . 11.2"): layout, not text. */
const LEADER_DOTS = /(?:[ \t]*\.){4,}[ \t]*/g;

const SENTENCE_END = /(?<=[.!?。！？])\s+(?=[\p{Lu}\p{N}"“([])|(?<=[。！？])/u;

/**
 * Page-aware chunking: a chunk never spans pages (so a citation names one page) nor documents,
 * breaks at paragraph, then sentence, then word boundaries, and remembers the section heading.
 */
export function chunkPage(pageNumber: number, rawText: string, options: ChunkerOptions, state: ChunkerState, layout?: readonly LayoutLine[]): ChunkDraft[] {
  const maxChars = Math.round(options.targetChars * 1.25);
  const skip = (line: string) => isRunningHeader(state, line);
  const blocks =
    layout && layout.length > 0
      ? toBlocks(layout.map((l) => l.text.replace(/[\p{Cc}\uFFFD]+/gu, ' ')).join('\n'), skip, headingRoles(layout, repeatedIn(state.placedLines)))
      : toBlocks(rawText, skip, undefined, options.guessHeadings ?? true);
  const chunks: { heading: string | undefined; text: string }[] = [];
  let current = '';
  let currentHeading = state.heading;

  const flush = () => {
    const text = current.trim();
    if (text.length > 0) chunks.push({ heading: currentHeading, text });
    current = '';
  };

  for (const block of blocks) {
    if (block.kind === 'heading') {
      if (current.trim().length > 0) flush();
      state.heading = block.text;
      currentHeading = block.text;
      continue;
    }
    if (block.kind === 'table') {
      if (current.trim().length > 0) flush();
      for (const rows of groupRows(block.rows, Math.max(200, options.targetChars * TABLE_SHARE - block.text.length))) {
        current = block.text.length > 0 ? `${block.text}\n${rows.join('\n')}` : rows.join('\n');
        flush();
      }
      continue;
    }
    for (const piece of splitToFit(block.text, options.targetChars, maxChars)) {
      const joined = current.length === 0 ? piece : `${current}\n\n${piece}`;
      if (joined.length <= maxChars && (current.length < options.targetChars * 0.5 || joined.length <= options.targetChars)) {
        current = joined;
        continue;
      }
      const previous = current;
      flush();
      const overlap = tail(previous, options.overlapChars);
      current = overlap.length > 0 && overlap.length + piece.length + 1 <= maxChars ? `${overlap} ${piece}` : piece;
    }
  }
  flush();

  return chunks
    .filter((chunk) => isMeaningfulText(chunk.text))
    .map((chunk) => ({ page: pageNumber, heading: chunk.heading, text: chunk.text }));
}

type Block =
  | { kind: 'heading' | 'paragraph'; text: string }
  /** `text` is the column headers, repeated with every group of rows. */
  | { kind: 'table'; text: string; rows: readonly string[] };

/**
 * Turns extracted page text into headings and paragraphs, joining wrapped lines and hyphenation.
 * With `roles` (one per line, from the page layout) headings are the lines the layout marks;
 * without, for text without layout such as OCR, a line is a heading when it reads like one.
 */
export function toBlocks(rawText: string, skipLine: (line: string) => boolean = () => false, roles?: readonly LineRole[], guessHeadings = true): Block[] {
  const raw = rawText.replace(/\r\n?/g, '\n').split('\n');
  const lines = raw
    .map((line) => line.replace(/[\t\u00A0\u2000-\u200B]+/g, ' ').replace(LEADER_DOTS, ' ').replace(/ {2,}/g, ' ').trim())
    .map((line) => (line.length > 0 && skipLine(line) ? '' : line));
  const tables = findTables(
    raw.map((line, i) => (lines[i] === '' ? '' : line.replace(LEADER_DOTS, ' \t'))),
    (i) => roles?.[i] !== undefined,
  );

  const blocks: Block[] = [];
  let paragraph: string[] = [];
  const endParagraph = () => {
    if (paragraph.length > 0) blocks.push({ kind: 'paragraph', text: joinLines(paragraph) });
    paragraph = [];
  };

  let table = 0;
  for (let i = 0; i < lines.length; i++) {
    const span = tables[table];
    if (span && i === span.headerStart) {
      endParagraph();
      const nonEmpty = (from: number, to: number) => lines.slice(from, to).filter((l) => l.length > 0);
      blocks.push({ kind: 'table', text: nonEmpty(span.headerStart, span.firstRow).join(' '), rows: nonEmpty(span.firstRow, span.end) });
      i = span.end - 1;
      table++;
      continue;
    }
    const line = lines[i] ?? '';
    if (line.length === 0) {
      if (!roles) endParagraph();
      continue;
    }
    if (roles) {
      const role = roles[i];
      const last = blocks.at(-1);
      if (role === 'more' && paragraph.length === 0 && last?.kind === 'heading') {
        last.text = joinLines([last.text, line]);
      } else if (role === 'heading' || role === 'more') {
        endParagraph();
        blocks.push({ kind: 'heading', text: line });
      } else {
        paragraph.push(line);
      }
      continue;
    }
    const next = lines[i + 1] ?? '';
    if (guessHeadings && looksLikeHeading(line, next, paragraph.length === 0)) {
      endParagraph();
      blocks.push({ kind: 'heading', text: line });
      continue;
    }
    paragraph.push(line);
    // A format that marks its own structure gives whole lines (a row, a list item, a paragraph):
    // kept apart, so an excerpt can quote the one row or item that answers.
    if (!guessHeadings) endParagraph();
  }
  endParagraph();
  return blocks;
}

function joinLines(lines: readonly string[]): string {
  let text = '';
  for (const line of lines) {
    if (text.length === 0) text = line;
    else if (/\p{L}-$/u.test(text) && /^\p{Ll}/u.test(line)) text = text.slice(0, -1) + line;
    else text = `${text} ${line}`;
  }
  return text;
}

const NUMBERED = /^(?:(?:chapter|section|part|appendix)\s+[\dIVXLC]+|\d+(?:\.\d+)*\.?|[IVX]+\.|[A-Z]\.)\s+\p{L}/iu;

function looksLikeHeading(line: string, next: string, atParagraphStart: boolean): boolean {
  if (!atParagraphStart || line.length < 3 || line.length > 80) return false;
  if (/[.,;:!?)\]”"]$/.test(line)) return false;
  if (!/\p{L}{2}/u.test(line)) return false;
  const words = line.split(' ');
  if (words.length > 12) return false;
  if (NUMBERED.test(line) && words.length >= 2) return true;
  const letters = line.replace(/[^\p{L}]/gu, '');
  if (letters.length >= 4 && letters === letters.toUpperCase() && letters !== letters.toLowerCase()) return next.length > 0;
  if (words.length === 1) return /^\p{Lu}\p{Ll}{3,}$/u.test(line) && next.length > line.length * 2 && /^\p{Lu}/u.test(next);
  const capitalised = words.filter((w) => /^\p{Lu}/u.test(w)).length;
  const significant = words.filter((w) => w.length > 3).length;
  return words.length >= 2 && words.length <= 8 && capitalised >= Math.max(2, significant) && next.length > line.length;
}

/**
 * A table's passages are smaller than prose ones: a row is found by its label ("Florida") among
 * the other rows, and fewer rows per passage let that label weigh.
 */
const TABLE_SHARE = 0.5;

/** Consecutive rows, as many as fit in `chars` (at least one). */
function groupRows(rows: readonly string[], chars: number): string[][] {
  const groups: string[][] = [];
  let group: string[] = [];
  let size = 0;
  for (const row of rows) {
    if (group.length > 0 && size + row.length + 1 > chars) {
      groups.push(group);
      group = [];
      size = 0;
    }
    group.push(row);
    size += row.length + 1;
  }
  if (group.length > 0) groups.push(group);
  return groups;
}

/** Splits text longer than the target into sentence-, then word-aligned pieces. */
function splitToFit(text: string, target: number, max: number): string[] {
  if (text.length <= max) return [text];
  const pieces: string[] = [];
  let current = '';
  for (const sentence of text.split(SENTENCE_END)) {
    for (const part of sentence.length > max ? hardSplit(sentence, target) : [sentence]) {
      if (current.length > 0 && current.length + 1 + part.length > target) {
        pieces.push(current);
        current = part;
      } else {
        current = current.length === 0 ? part : `${current} ${part}`;
      }
    }
  }
  if (current.length > 0) pieces.push(current);
  return pieces;
}

function hardSplit(text: string, target: number): string[] {
  const parts: string[] = [];
  let rest = text;
  while (rest.length > target) {
    let cut = rest.lastIndexOf(' ', target);
    if (cut < target * 0.5) cut = target;
    parts.push(rest.slice(0, cut).trim());
    rest = rest.slice(cut).trim();
  }
  if (rest.length > 0) parts.push(rest);
  return parts;
}

/** The last `size` characters of a chunk, starting at a sentence (or else a word) boundary. */
function tail(text: string, size: number): string {
  if (size <= 0 || text.length === 0) return '';
  if (text.length <= size) return text;
  const window = text.slice(text.length - size);
  const sentence = window.search(/[.!?。]\s+\S/u);
  if (sentence >= 0 && sentence < window.length - 20) return window.slice(sentence + 1).trim();
  const space = window.indexOf(' ');
  return space >= 0 ? window.slice(space + 1).trim() : window;
}
