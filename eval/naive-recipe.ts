import fs from 'node:fs';
import { RecursiveCharacterTextSplitter } from '@langchain/textsplitters';
import MiniSearch from 'minisearch';
import { PDFParse } from 'pdf-parse';
import type { Ranked } from './score.js';

/**
 * The recipe Docent replaces, as tutorials build it: each PDF page's text split by LangChain's
 * RecursiveCharacterTextSplitter (1,000 characters, 200 overlap) and searched with plain BM25
 * (MiniSearch's defaults). It always returns its best chunks; it has no notion of "not covered".
 */
export async function naiveRecipe(documents: readonly { file: string; path: string }[]): Promise<{ search(question: string, k: number): Ranked[] }> {
  const splitter = new RecursiveCharacterTextSplitter({ chunkSize: 1000, chunkOverlap: 200 });
  const search = new MiniSearch<{ id: number; text: string; file: string; page: number }>({ fields: ['text'], storeFields: ['file', 'page'] });
  let id = 0;
  for (const document of documents) {
    const parser = new PDFParse({ data: fs.readFileSync(document.path), verbosity: 0 });
    try {
      const text = await parser.getText();
      for (const page of text.pages) {
        for (const chunk of await splitter.splitText(page.text)) search.add({ id: id++, text: chunk, file: document.file, page: page.num });
      }
    } finally {
      await parser.destroy();
    }
  }
  return {
    search: (question, k) => search.search(question).slice(0, k).map((r) => ({ file: String(r.file), page: Number(r.page) })),
  };
}
