import { documentFormats } from '../../providers/readers/formats/index.js';
import type { OpenedDocument, ParsedPage } from '../../ports/ports.js';
import type { ChunkDraft, StoredChunk } from '../../ports/types.js';
import { chunkPage, observePageEdges, type ChunkerState } from './chunker.js';
import { chunkId } from './ids.js';
import type { IngestDeps, IngestProgress } from './ingest-deps.js';
import { findAbbreviations, withAbbreviations, type Abbreviation } from './abbreviations.js';
import { documentLanguage } from './document-languages.js';
import { documentTerms, tokenize } from '../../lib/tokenizer.js';

export interface WrittenPages {
  readonly chunks: number;
  readonly pagesWithoutText: number;
  readonly ocrPages: number;
  /** Passages per term, for the document's lexical statistics. */
  readonly terms: Map<string, number>;
  /** The reader's repair warnings, each once. */
  readonly damage: string[];
  readonly ocrOverBudget: number[];
  readonly unreadablePages: number[];
}

interface Target {
  readonly tenant: string;
  readonly id: string;
  readonly name: string;
}

/** What one document's pages have yielded so far. */
interface Tally {
  readonly chunker: ChunkerState;
  readonly terms: Map<string, number>;
  readonly damage: string[];
  readonly ocrOverBudget: number[];
  readonly unreadablePages: number[];
  /** The document's language and the abbreviations it has defined so far. */
  readonly wording: DocumentWording;
  ordinal: number;
  pagesDone: number;
  pagesWithoutText: number;
  ocrPages: number;
  ocrTried: number;
}

type Budget = ReturnType<typeof budget>;

/**
 * Reads a document batch by batch, chunks each page (OCR for pages without a text layer),
 * embeds the passages and stores them under the document's id. The passages stay invisible
 * until the caller publishes the document.
 */
export async function writePages(deps: IngestDeps, target: Target, document: OpenedDocument, onProgress: ((progress: IngestProgress) => void) | undefined): Promise<WrittenPages> {
  const tally: Tally = { chunker: { heading: undefined }, terms: new Map(), damage: [], ocrOverBudget: [], unreadablePages: [], wording: new DocumentWording(), ordinal: 0, pagesDone: 0, pagesWithoutText: 0, ocrPages: 0, ocrTried: 0 };
  const ocrBudget = budget(deps.ocrTimeoutMs);
  const progress = (ocrPage?: number) => onProgress?.({ file: target.name, pagesDone: tally.pagesDone, pageCount: document.pageCount, ...(ocrPage !== undefined ? { ocrPage } : {}) });
  try {
    for await (const pages of document.pages(deps.limits.pageBatch)) {
      noteDamage(tally, pages);
      // Running headers and footers are a PDF's; the parts of a text document have none.
      const paged = pages.filter((page) => page.section === undefined);
      observePageEdges(
        tally.chunker,
        paged.map((page) => page.text),
        paged.map((page) => page.lines),
      );
      const ocrText = await startOcr(deps, document, pages, tally, ocrBudget, target.name, progress);
      const drafts = await draftPages(deps, pages, ocrText, tally, target.name);
      const vectors = deps.embedder && drafts.length > 0 ? await deps.embedder.embedDocuments(drafts.map(embeddingText)) : undefined;
      tally.wording.learn(drafts);
      const chunks = drafts.map((draft, i) => storedChunk(target, draft, tally.ordinal + i, vectors?.[i], tally));
      await deps.store.upsert(chunks);
      tally.ordinal += chunks.length;
      tally.pagesDone += pages.length;
      progress();
      // Pages already read arrive as resolved promises: without a turn of the event loop between
      // batches, a long document would hold every other request until its last page is stored.
      await new Promise((resolve) => setImmediate(resolve));
    }
    const { terms, damage, ocrPages, pagesWithoutText, unreadablePages } = tally;
    return { chunks: tally.ordinal, pagesWithoutText, ocrPages, terms, damage, ocrOverBudget: tally.ocrOverBudget.sort((a, b) => a - b), unreadablePages };
  } finally {
    ocrBudget.stop();
  }
}

function noteDamage(tally: Tally, pages: readonly ParsedPage[]): void {
  const add = (problem: string) => {
    if (!tally.damage.includes(problem)) tally.damage.push(problem);
  };
  for (const page of pages) for (const problem of page.damage ?? []) add(problem);
  for (const page of pages) {
    if (page.unreadable === undefined) continue;
    tally.unreadablePages.push(page.number);
    add(page.unreadable);
  }
}

/**
 * Pages without a text layer (scans) are rendered one after another and read by OCR in parallel
 * (the OCR engine spreads them over its workers), within the document's OCR budget. Resolves to
 * undefined for a page the budget cut off, '' for a page whose OCR failed.
 */
async function startOcr(
  deps: IngestDeps,
  document: OpenedDocument,
  pages: readonly ParsedPage[],
  tally: Tally,
  ocrBudget: Budget,
  name: string,
  progress: (ocrPage: number) => void,
): Promise<Map<number, Promise<string | undefined>>> {
  const ocrText = new Map<number, Promise<string | undefined>>();
  const read = deps.readPageText;
  if (!read || !document.renderPage) return ocrText;
  for (const page of pages) {
    if (page.unreadable !== undefined) continue;
    const probe = searchable(chunkPage(page.number, page.text, deps.chunking, { heading: tally.chunker.heading, edgeLines: tally.chunker.edgeLines }, page.lines));
    if (probe.length > 0 || tally.ocrTried >= (deps.ocrMaxPages ?? 100)) continue;
    if (ocrBudget.signal.aborted) {
      tally.ocrOverBudget.push(page.number);
      continue;
    }
    tally.ocrTried++;
    const png = await document.renderPage(page.number, 2000);
    progress(page.number);
    ocrText.set(
      page.number,
      Promise.race([read(png, page.number, ocrBudget.signal), ocrBudget.expired]).catch((error: unknown) => {
        if (ocrBudget.signal.aborted) return undefined;
        deps.logger.warn({ err: error, page: page.number, file: name }, 'OCR of a page failed; the page is skipped');
        return '';
      }),
    );
  }
  return ocrText;
}

/** The passages of a batch of pages, in page order: the text layer, or the page's OCR text. */
async function draftPages(deps: IngestDeps, pages: readonly ParsedPage[], ocrText: Map<number, Promise<string | undefined>>, tally: Tally, name: string): Promise<ChunkDraft[]> {
  const drafts: ChunkDraft[] = [];
  // Formats that mark their headings (heading elements and styles, slide titles, sheets) are
  // trusted for them: no line of their text is guessed to be one. Plain text has no such marks.
  const { reader } = documentFormats.citedAs(name);
  const marked = reader.kind === 'parts' && reader.marksHeadings;
  for (const page of pages) {
    // A part of a document without pages starts its own section: its chunks carry that heading.
    if (page.section !== undefined) tally.chunker.heading = page.section;
    const chunking = marked && page.lines === undefined ? { ...deps.chunking, guessHeadings: false } : deps.chunking;
    let pageChunks: ChunkDraft[] = searchable(chunkPage(page.number, page.text, chunking, tally.chunker, page.lines));
    const ocr = ocrText.get(page.number);
    if (pageChunks.length === 0 && ocr) {
      const text = await ocr;
      if (text === undefined) tally.ocrOverBudget.push(page.number);
      else {
        pageChunks = searchable(chunkPage(page.number, text, deps.chunking, tally.chunker)).map((c) => ({ ...c, ocr: true }));
        if (pageChunks.length > 0) tally.ocrPages++;
      }
    }
    if (pageChunks.length === 0) tally.pagesWithoutText++;
    drafts.push(...pageChunks);
  }
  return drafts;
}

/**
 * What a document's passages teach about its wording, learnt batch by batch in reading order
 * before each batch is tokenized: its language (told once, from the first batch's passages, to
 * choose the stemming) and the abbreviations it defines ("Write-Ahead Log (WAL)"). The one rule
 * for an ingest and for tokenizing stored passages again (retokenize.ts).
 */
export class DocumentWording {
  /** The document's language (null: not told); undefined until the first passages. */
  private language: string | null | undefined;
  private readonly abbreviations: Abbreviation[] = [];

  /** Learns from the next batch of passages, about to be tokenized. */
  learn(passages: readonly { readonly text: string }[]): void {
    if (this.language === undefined && passages.length > 0) this.language = documentLanguage(passages) ?? null;
    for (const passage of passages) {
      for (const found of findAbbreviations(passage.text)) if (!this.abbreviations.some((a) => a.short === found.short)) this.abbreviations.push(found);
    }
  }

  /** A passage's search tokens with what has been learnt so far. */
  tokens(heading: string | undefined, text: string): string[] {
    return passageTokens(heading, text, this.language ?? undefined, this.abbreviations);
  }
}

/** A passage's search tokens: its words in the document's language, with the abbreviations it defines joined to their meaning. */
export function passageTokens(heading: string | undefined, text: string, language: string | undefined, abbreviations: readonly Abbreviation[]): string[] {
  return withAbbreviations(tokenize(`${heading ?? ''} ${text}`, language), abbreviations);
}

function storedChunk(target: Target, draft: ChunkDraft, ordinal: number, vector: Float32Array | undefined, tally: Tally): StoredChunk {
  const tokens = tally.wording.tokens(draft.heading, draft.text);
  countTerms(tally.terms, tokens);
  return {
    id: chunkId(target.id, ordinal),
    tenant: target.tenant,
    documentId: target.id,
    file: target.name,
    ordinal,
    page: draft.page,
    heading: draft.heading,
    text: draft.text,
    tokens: tokens.join(' '),
    sparse: documentTerms(tokens),
    vector,
    ...(draft.ocr ? { ocr: true } : {}),
  };
}

/**
 * A time budget: `signal` aborts when it runs out (a model call stops), and `expired` resolves
 * to undefined then, so waiting for an engine that cannot be cancelled (tesseract) stops too.
 */
function budget(ms: number | undefined): { signal: AbortSignal; expired: Promise<undefined>; stop(): void } {
  const controller = new AbortController();
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<undefined>((resolve) => {
    if (ms === undefined) return;
    timer = setTimeout(() => {
      controller.abort(new Error('OCR budget exhausted'));
      resolve(undefined);
    }, ms);
    timer.unref();
  });
  return { signal: controller.signal, expired, stop: () => clearTimeout(timer) };
}

/** A passage with no searchable word ("’>in" from a font without a text mapping) can never be found: it is not stored. */
function searchable(drafts: ChunkDraft[]): ChunkDraft[] {
  return drafts.filter((draft) => tokenize(`${draft.heading ?? ''} ${draft.text}`).length > 0);
}

/** Adds one passage's distinct terms to a document's passage counts per term. */
export function countTerms(terms: Map<string, number>, tokens: readonly string[]): void {
  for (const token of new Set(tokens)) terms.set(token, (terms.get(token) ?? 0) + 1);
}

function embeddingText(draft: { heading: string | undefined; text: string }): string {
  return draft.heading ? `${draft.heading}\n\n${draft.text}` : draft.text;
}
