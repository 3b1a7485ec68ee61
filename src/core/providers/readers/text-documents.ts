import { parse as parseCsv } from 'csv-parse/sync';
import { Parser as HtmlParser } from 'htmlparser2';
import { marked, type Token, type Tokens } from 'marked';
import { parse as parseToml } from 'smol-toml';
import { parse as parseYaml } from 'yaml';
import { decodeText } from '../../lib/sniff.js';
import { DamagedFileError } from './damaged-file.js';
import type { TextPart } from './formats/document-format.js';

const LINES_PER_PART = 60;
const ROWS_PER_PART = 25;
/** About one passage (CHUNK_TARGET_CHARS' default): a CSV part becomes one passage. */
const PART_CHARS = 1000;

const textOf = (data: Buffer) => decodeText(data).replace(/\r\n?/g, '\n');

/**
 * Markdown, HTML, CSV and plain text, read into parts that are indexed like a PDF's pages:
 * Markdown and HTML by section (a heading starts one, cited "§ Heading"), CSV by groups of rows
 * with every row keeping its column headers ("rows 2–26"), plain text by groups of lines
 * ("lines 1–60"). Parsers: marked's lexer (CommonMark/GFM), htmlparser2 (forgiving, streaming;
 * scripts, styles, navigation, headers, footers and forms are skipped), csv-parse. Each reads
 * the file's bytes as text in the encoding they most likely have (sniff.ts' decodeText).
 */
export const textReaders = {
  markdown: (data: Buffer): TextPart[] => markdownParts(textOf(data)),
  html: (data: Buffer): TextPart[] => htmlParts(textOf(data)),
  csv: (data: Buffer): TextPart[] => csvParts(textOf(data)),
  text: (data: Buffer): TextPart[] => lineParts(textOf(data)),
};

function lineParts(text: string): TextPart[] {
  const lines = text.split('\n');
  const parts: TextPart[] = [];
  for (let i = 0; i < lines.length; i += LINES_PER_PART) {
    const slice = lines.slice(i, i + LINES_PER_PART);
    if (slice.join('').trim().length === 0) continue;
    parts.push({ text: slice.join('\n'), section: `lines ${i + 1}–${i + slice.length}` });
  }
  return parts;
}

/**
 * Template tags (Jekyll, Hugo, Liquid, Jinja: `{{ … }}`, `{% … %}`, `{# … #}`) are markup, not
 * words; inside a code span they are the code, and kept.
 */
const TEMPLATE_TAG = /(`+)[^]*?\1|\{\{[^]*?\}\}|\{%[^]*?%\}|\{#[^]*?#\}/g;

/** Inline Markdown as plain words: links and images by their text, emphasis and code marks and template tags dropped. */
function plainInline(text: string): string {
  return text
    .replace(TEMPLATE_TAG, (match: string, ticks: string | undefined) => (ticks ? match : ' '))
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/\[([^\]]+)\]\([^)]*\)/g, '$1')
    .replace(/<[^>]+>/g, ' ')
    .replace(/(\*\*|__|\*|_|~~|`)(?=\S)([^]*?\S)\1/g, '$2');
}

function markdownText(token: Token): string {
  switch (token.type) {
    case 'paragraph':
    case 'text':
      return plainInline((token as Tokens.Paragraph).text);
    case 'code':
      return (token as Tokens.Code).text;
    case 'checkbox':
      return (token as Tokens.Checkbox).checked ? '[x]' : '[ ]';
    case 'html':
      // Raw HTML in Markdown: its text, without tags or comments.
      return plainInline((token as Tokens.HTML).text.replace(/<!--[^]*?-->/g, ' ')).replace(/\s+/g, ' ');
    case 'blockquote':
      return (token as Tokens.Blockquote).tokens.map(markdownText).join('\n\n');
    case 'list': {
      // An ordered list keeps its numbers ("step 3" is asked for); other items get a bullet.
      const list = token as Tokens.List;
      const first = typeof list.start === 'number' ? list.start : 1;
      return list.items.map((item, i) => `${list.ordered ? `${first + i}.` : '•'} ${item.tokens.map(markdownText).join(' ')}`).join('\n');
    }
    case 'table': {
      const table = token as Tokens.Table;
      const headers = table.header.map((cell) => plainInline(cell.text));
      return table.rows.map((row) => row.map((cell, i) => `${headers[i] ?? ''}: ${plainInline(cell.text)}`).join('; ')).join('\n');
    }
    default:
      return '';
  }
}

/**
 * Front matter at the very top of a Markdown file (YAML between `---` lines, TOML between `+++`
 * lines): metadata, not body text. Its title, if any, names the part before the first heading.
 * Only a block that parses as a mapping (keys and values) is taken for front matter.
 */
function frontMatter(text: string): { body: string; title: string | undefined } {
  const match = /^(---|\+\+\+)[ \t]*\n(?:([^]*?)\n)?(?:\1|\.\.\.)[ \t]*(?:\n|$)/.exec(text.replace(/^\uFEFF/, ''));
  if (!match) return { body: text, title: undefined };
  let data: unknown;
  try {
    data = match[2] === undefined || match[2].trim() === '' ? {} : match[1] === '---' ? parseYaml(match[2]) : parseToml(match[2]);
  } catch {
    return { body: text, title: undefined };
  }
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return { body: text, title: undefined };
  const title: unknown = (data as Record<string, unknown>).title;
  return { body: text.replace(/^\uFEFF/, '').slice(match[0].length), title: typeof title === 'string' || typeof title === 'number' ? String(title).trim() || undefined : undefined };
}

function markdownParts(source: string): TextPart[] {
  const { body: text, title } = frontMatter(source);
  const parts: TextPart[] = [];
  let section: string | undefined = title;
  let body: string[] = [];
  const flush = () => {
    if (body.join('').trim().length > 0) parts.push({ text: body.join('\n\n'), section });
    body = [];
  };
  for (const token of marked.lexer(text)) {
    if (token.type === 'heading') {
      flush();
      section = plainInline((token as Tokens.Heading).text).trim();
      continue;
    }
    const words = markdownText(token).trim();
    if (words.length > 0) body.push(words);
  }
  flush();
  return parts;
}

/** Elements whose content is never indexed: code, styling, and the page's furniture. */
const SKIPPED = new Set(['script', 'style', 'noscript', 'template', 'svg', 'nav', 'header', 'footer', 'aside', 'form', 'button', 'select', 'iframe', 'head']);
const BLOCKS = new Set(['p', 'div', 'section', 'article', 'main', 'li', 'tr', 'br', 'hr', 'table', 'ul', 'ol', 'dl', 'dt', 'dd', 'pre', 'blockquote', 'figure', 'figcaption', 'address']);
const HEADING = /^h[1-6]$/;

/** An HTML page (or the HTML mammoth makes of a Word document) by section. */
export function htmlParts(html: string): TextPart[] {
  const parts: TextPart[] = [];
  let section: string | undefined;
  let body = '';
  let heading: string | undefined;
  // The page's <title> (the first one, in its head) names the part before the first heading.
  let title: string | undefined;
  let inTitle = false;
  let skipping = 0;
  const flush = () => {
    const text = body.replace(/[ \t\u00a0]+/g, ' ').replace(/ *\n */g, '\n').replace(/\n{3,}/g, '\n\n').trim();
    if (text.length > 0) parts.push({ text, section: section ?? (title?.replace(/\s+/g, ' ').trim() || undefined) });
    body = '';
  };
  const parser = new HtmlParser(
    {
      onopentag(name) {
        if (name === 'title' && title === undefined) [title, inTitle] = ['', true];
        if (SKIPPED.has(name)) skipping++;
        else if (skipping === 0 && HEADING.test(name)) heading = '';
        else if (skipping === 0 && BLOCKS.has(name)) body += '\n';
        else if (skipping === 0 && (name === 'td' || name === 'th')) body += ' | ';
      },
      ontext(text) {
        if (inTitle) title += text;
        if (skipping > 0) return;
        if (heading !== undefined) heading += text;
        else body += text;
      },
      onclosetag(name) {
        if (name === 'title') inTitle = false;
        if (SKIPPED.has(name)) skipping = Math.max(0, skipping - 1);
        else if (skipping === 0 && HEADING.test(name) && heading !== undefined) {
          flush();
          section = heading.replace(/\s+/g, ' ').trim() || section;
          heading = undefined;
        } else if (skipping === 0 && BLOCKS.has(name)) body += '\n';
      },
    },
    { decodeEntities: true, lowerCaseTags: true },
  );
  parser.write(html);
  parser.end();
  flush();
  return parts;
}

function csvParts(text: string): TextPart[] {
  const firstLine = text.slice(0, text.indexOf('\n') >= 0 ? text.indexOf('\n') : text.length);
  const delimiter = [',', ';', '\t', '|'].reduce((best, d) => (firstLine.split(d).length > firstLine.split(best).length ? d : best), ',');
  let rows: string[][];
  try {
    rows = parseCsv(text, { delimiter, bom: true, relax_column_count: true, relax_quotes: true, skip_empty_lines: true }) as string[][];
  } catch (error) {
    throw new DamagedFileError(error instanceof Error ? error.message : String(error));
  }
  const [header, ...records] = rows;
  if (!header) return [];
  // A file of one row has no records to head: its cells are its text.
  if (records.length === 0) return header.join('').trim() ? [{ text: header.map((h) => h.trim()).filter((h) => h.length > 0).join('; '), section: 'row 1' }] : [];
  const names = header.map((h, i) => h.trim() || `column ${i + 1}`);
  const lines = records.map((row) => row.map((value, c) => (value.trim() ? `${names[c] ?? `column ${c + 1}`}: ${value.trim()}` : '')).filter((v) => v.length > 0).join('; '));
  // Groups of rows about one passage long, so a citation names a few rows; spreadsheet row
  // numbers (the header is row 1).
  const parts: TextPart[] = [];
  for (let start = 0; start < lines.length; ) {
    let end = start;
    let size = 0;
    while (end < lines.length && end - start < ROWS_PER_PART && (end === start || size + (lines[end]?.length ?? 0) <= PART_CHARS)) size += (lines[end++]?.length ?? 0) + 1;
    const group = lines.slice(start, end).filter((l) => l.length > 0);
    if (group.length > 0) parts.push({ text: group.join('\n'), section: end - start === 1 ? `row ${start + 2}` : `rows ${start + 2}–${end + 1}` });
    start = end;
  }
  return parts;
}
