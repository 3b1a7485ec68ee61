import fs from 'node:fs';
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import MiniSearch from 'minisearch';
import { PDFParse } from 'pdf-parse';
import { kindOfName } from '../src/core/providers/readers/formats/index.js';
import { readTextDocument } from '../src/core/providers/readers/text-reader.js';
import type { Ranked } from './score.js';

/**
 * The recipe Docent replaces, as tutorials build it: each page's text (PDF) or each part's text
 * (other formats, read with Docent's own readers as a loader would) split by LangChain's
 * RecursiveCharacterTextSplitter (1,000 characters, 200 overlap) and searched with plain BM25
 * (MiniSearch's defaults). It always returns its best chunks; it has no notion of "not covered".
 */
export async function naiveRecipe(documents: readonly { file: string; path: string }[]): Promise<{ search(question: string, k: number): Ranked[] }> {
  const splitter = new RecursiveCharacterTextSplitter({ chunkSize: 1000, chunkOverlap: 200 });
  const search = new MiniSearch<{ id: number; text: string; file: string; page: number }>({ fields: ['text'], storeFields: ['file', 'page', 'text'] });
  let id = 0;
  for (const document of documents) {
    for (const page of await pagesOf(document)) {
      for (const chunk of await splitter.splitText(page.text)) search.add({ id: id++, text: chunk, file: document.file, page: page.num });
    }
  }
  return {
    search: (question, k) => search.search(question).slice(0, k).map((r) => ({ file: String(r.file), page: Number(r.page), text: String(r.text) })),
  };
}

async function pagesOf(document: { file: string; path: string }): Promise<{ num: number; text: string }[]> {
  const data = fs.readFileSync(document.path);
  const kind = kindOfName(document.file);
  if (kind !== undefined && kind !== 'pdf') return (await readTextDocument(kind, data)).map((part, i) => ({ num: i + 1, text: part.text }));
  const parser = new PDFParse({ data, verbosity: 0 });
  try {
    return (await parser.getText()).pages.map((page) => ({ num: page.num, text: page.text }));
  } finally {
    await parser.destroy();
  }
}
