// Runs pdf-parse (pdf.js) in a worker thread so a hostile PDF can never block or crash the bot:
// the parent enforces a time limit with worker.terminate(). Plain JavaScript on purpose: worker
// threads are started outside any TypeScript loader (vitest, tsx, the Docker image alike).
//
// Protocol (one document at a time; a worker is reused for the next document after 'release'):
//   worker → { type: 'ready' }                      (once loaded; the parent hands it a document only then)
//   parent → { type: 'open', data: Uint8Array }            (no answer; errors surface on 'batch')
//   parent → { type: 'batch', first, last }  → { type: 'pages', total, pages: [{ number, text, lines, damage?, unreadable? }] }
//            (lines: the page's lines with the font and size most of their characters use, for headings)
//                                            or { type: 'error', name, message }
//   parent → { type: 'render', page, width } → { type: 'image', data: Uint8Array (PNG) }
//   parent → { type: 'release' }             → { type: 'released' }
import { createRequire } from 'node:module';
import path from 'node:path';
import { parentPort } from 'node:worker_threads';
import { PDFParse } from 'pdf-parse';
// pdf.js in Node runs its "worker" on this thread; loading it now, not at the first document,
// keeps that cost off the user's wait (the parent keeps a worker started ahead of need).
import * as pdfjsWorker from 'pdfjs-dist/legacy/build/pdf.worker.mjs';

globalThis.pdfjsWorker = pdfjsWorker;

// pdf.js's character maps (CJK and other CID fonts name a CMap instead of embedding one) and its
// standard fonts (the 14 base fonts, for their metrics), from the installed package: never downloaded.
const PDFJS_DIR = path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'));
const RESOURCES = {
  cMapUrl: path.join(PDFJS_DIR, 'cmaps') + path.sep,
  cMapPacked: true,
  standardFontDataUrl: path.join(PDFJS_DIR, 'standard_fonts') + path.sep,
};

if (parentPort === null) throw new Error('pdf-worker must run in a worker thread');
const port = parentPort;
let parser;

async function release() {
  const current = parser;
  parser = undefined;
  await current?.destroy().catch(() => undefined);
}

port.on('message', async (message) => {
  if (message.type === 'open') {
    await release();
    damage.length = 0;
    // Warnings (verbosity 1) are how pdf.js says it recovered from damage: collected, not printed.
    parser = new PDFParse({ data: message.data, verbosity: 1, isEvalSupported: false, stopAtErrors: false, ...RESOURCES });
    return;
  }
  if (message.type === 'render') {
    try {
      if (parser === undefined) throw new Error('no document opened');
      const width = await renderWidth(message.page, message.width);
      const shot = await quietly(() => parser.getScreenshot({ partial: [message.page], desiredWidth: width, imageBuffer: true, imageDataUrl: false }));
      const page = shot.pages[0];
      if (!page?.data) throw new Error(`page ${message.page} could not be rendered`);
      port.postMessage({ type: 'image', data: page.data });
    } catch (error) {
      port.postMessage({ type: 'error', name: error instanceof Error ? error.name : 'Error', message: error instanceof Error ? error.message : String(error) });
    }
    return;
  }
  if (message.type === 'release') {
    await release();
    port.postMessage({ type: 'released' });
    return;
  }
  try {
    if (parser === undefined) throw new Error('no document opened');
    const doc = await collectingDamage(() => parser.load());
    const pages = [];
    for (let number = message.first; number <= Math.min(message.last, doc.numPages); number++) {
      // One unreadable page (a broken stream, a bad page-tree entry) does not lose the others.
      let page;
      try {
        page = await collectingDamage(() => doc.getPage(number));
        const text = await collectingDamage(() => pageText(page));
        pages.push({ number, ...text, ...(damage.length > 0 ? { damage: damage.splice(0) } : {}) });
      } catch (error) {
        if (error instanceof Error && /PasswordException/.test(error.name)) throw error;
        pages.push({ number, text: '', unreadable: error instanceof Error ? error.message : String(error), ...(damage.length > 0 ? { damage: damage.splice(0) } : {}) });
      } finally {
        page?.cleanup();
      }
    }
    port.postMessage({ type: 'pages', total: doc.numPages, pages });
  } catch (error) {
    const name = error instanceof Error ? error.name : 'Error';
    const text = error instanceof Error ? error.message : String(error);
    port.postMessage({ type: 'error', name, message: text });
  }
});

port.postMessage({ type: 'ready' });

/**
 * At most this many pixels per rendered page (an A4 or Letter page 2,000 pixels wide fits): a page with a huge
 * or extreme MediaBox is rendered narrower, so its canvas cannot take the process's memory.
 */
const MAX_RENDER_PIXELS = 2000 * 2900;

async function renderWidth(number, wanted) {
  const doc = await parser.load();
  const page = await doc.getPage(number);
  try {
    const { width, height } = page.getViewport({ scale: 1 });
    if (!(width > 0 && height > 0)) return wanted;
    return Math.max(1, Math.min(wanted, Math.floor(Math.sqrt((MAX_RENDER_PIXELS * width) / height))));
  } finally {
    page.cleanup();
  }
}

/**
 * pdf.js's warnings that mean the file is damaged and was read only in part: a rebuilt cross-
 * reference table, an invalid page tree, a broken or empty stream, an unknown content operator.
 * (Missing fonts and the like are not damage.)
 */
const DAMAGE = /Indexing all PDF objects|invalid \/Pages tree|Skipping invalid|Invalid stream|Bad .*stream|Empty .* stream|Unknown command|FormatError|XRefEntryException|XRefParseException|Invalid PDF|corrupt/i;
const damage = [];

/** Runs `work` with pdf.js's console output sent to `listener` instead of standard output. */
async function withConsole(listener, work) {
  const log = console.log;
  const warn = console.warn;
  console.log = listener;
  console.warn = listener;
  try {
    return await work();
  } finally {
    console.log = log;
    console.warn = warn;
  }
}

/** Runs `work` with pdf.js's warnings silenced. */
const quietly = (work) => withConsole(() => undefined, work);

/** Runs `work` collecting pdf.js's damage warnings (at most five distinct) into `damage`. */
const collectingDamage = (work) =>
  withConsole((...args) => {
    const text = args.map(String).join(' ').replace(/^Warning:\s*/, '');
    if (DAMAGE.test(text) && !damage.includes(text) && damage.length < 5) damage.push(text);
  }, work);

/**
 * A page's text, lines joined as pdf-parse joins them (a line ends at an item's end-of-line mark
 * or where the baseline moves by more than a line), and each line's layout: the font and size
 * that most of its characters use, and where it sits. Headings are told from these.
 */
async function pageText(page) {
  const viewport = page.getViewport({ scale: 1 });
  const content = await page.getTextContent({ includeMarkedContent: false, disableNormalization: false });
  const parts = [];
  const lines = [];
  let line = { text: '', fonts: new Map(), x: 0, y: 0, end: 0 };
  const endLine = () => {
    if (line.text.trim().length > 0) {
      let font = '';
      let size = 0;
      let best = -1;
      for (const [key, count] of line.fonts) {
        if (count > best) {
          best = count;
          [font, size] = [key.slice(0, key.lastIndexOf('@')), Number(key.slice(key.lastIndexOf('@') + 1))];
        }
      }
      const total = [...line.fonts.values()].reduce((a, b) => a + b, 0);
      lines.push({ text: line.text.replace(/\s+/g, ' ').trim(), font, size, share: total === 0 ? 1 : best / total, x: Math.round(line.x), y: Math.round(line.y), width: Math.round(Math.max(0, line.end - line.x)) });
    }
    line = { text: '', fonts: new Map(), x: 0, y: 0, end: 0 };
  };
  let lastX;
  let lastY;
  let lineHeight = 0;
  for (const item of content.items) {
    if (!('str' in item)) continue;
    const [x, y] = viewport.convertToViewportPoint(item.transform[4], item.transform[5]);
    if (lastY !== undefined && Math.abs(lastY - y) > 4.6) {
      const last = parts.length > 0 ? parts[parts.length - 1] : undefined;
      const startsLine = item.str.startsWith('\n') || (item.str.trim() === '' && item.hasEOL);
      if (last?.endsWith('\n') === false && !startsLine && Math.abs(lastY - y) - 1 > lineHeight) {
        parts.push('\n');
        endLine();
        lineHeight = 0;
      }
    }
    // Items far apart on one line are table cells: a tab between them, as pdf-parse does.
    const str = lastY !== undefined && Math.abs(lastY - y) < 4.6 && lastX !== undefined && Math.abs(lastX - x) > 7 ? `\t${item.str}` : item.str;
    parts.push(str);
    if (line.text.length === 0) [line.x, line.y] = [x, y];
    line.text += str;
    const letters = item.str.replace(/\s/g, '').length;
    if (letters > 0) {
      const size = Math.round(Math.hypot(item.transform[2], item.transform[3]) * 10) / 10;
      const key = `${item.fontName}@${size}`;
      line.fonts.set(key, (line.fonts.get(key) ?? 0) + letters);
    }
    lastX = x + item.width;
    line.end = Math.max(line.end, lastX);
    lastY = y;
    lineHeight = Math.max(lineHeight, item.height);
    if (item.hasEOL) {
      parts.push('\n');
      endLine();
    }
    if (item.hasEOL || item.str.endsWith('\n')) lineHeight = 0;
  }
  endLine();
  return { text: parts.join(''), lines };
}
