import type { VectorStore } from '../../ports/ports.js';
import type { DocumentRecord } from '../../ports/types.js';
import { detectLanguage } from '../search/language.js';

/** Passages of a document read to tell its language, and how much of their text. */
const SAMPLE_PASSAGES = 24;
const SAMPLE_CHARS = 6000;
/** Documents whose language is remembered; ids are content hashes, so a language never goes stale. */
const REMEMBERED = 10_000;

/**
 * A document's language (ISO 639-3), told from its first passages (at most 24, and 6,000 characters
 * of their text), or undefined when it cannot be told. The one rule for telling it: when its
 * passages are tokenized (page-writer.ts, retokenize.ts) and when a question is searched in it.
 */
export function documentLanguage(passages: readonly { readonly text: string }[]): string | undefined {
  return detectLanguage(
    passages
      .slice(0, SAMPLE_PASSAGES)
      .map((p) => p.text)
      .join('\n')
      .slice(0, SAMPLE_CHARS),
    'document',
  );
}

/**
 * The language the documents of a channel are written in: each document's language is told once
 * from a sample of its passages and remembered by id (a document id is a hash of its bytes, so it
 * never changes language); a channel's is the language of most of its passages.
 */
export class DocumentLanguages {
  private readonly known = new Map<string, string | null>();

  constructor(private readonly store: Pick<VectorStore, 'passages'>) {}

  async of(documents: readonly DocumentRecord[]): Promise<string | undefined> {
    const weights = new Map<string, number>();
    for (const document of documents) {
      const language = await this.language(document);
      if (language) weights.set(language, (weights.get(language) ?? 0) + Math.max(1, document.chunks));
    }
    return [...weights.entries()].sort((a, b) => b[1] - a[1])[0]?.[0];
  }

  /** Every language the documents are written in (those whose language could be told). */
  async each(documents: readonly DocumentRecord[]): Promise<string[]> {
    const found = new Set<string>();
    for (const document of documents) {
      const language = await this.language(document);
      if (language) found.add(language);
    }
    return [...found];
  }

  private async language(document: DocumentRecord): Promise<string | undefined> {
    const cached = this.known.get(document.id);
    if (cached !== undefined) return cached ?? undefined;
    const language = documentLanguage(await this.store.passages(document.tenant, document.id, SAMPLE_PASSAGES)) ?? null;
    if (this.known.size >= REMEMBERED) this.known.delete(this.known.keys().next().value ?? '');
    this.known.set(document.id, language);
    return language ?? undefined;
  }
}
