import { detectLanguage, languageName, mayBeIn } from '../knowledge/search/language.js';
import type { KnowledgeBase } from '../knowledge/knowledge-base.js';
import type { Logger, Versions } from '../ports/ports.js';
import type { Scope } from '../ports/types.js';
import type { ModelChain } from '../lib/model-chain.js';
import { translateMessages, type Languages } from './prompts.js';

/**
 * The question's and the channel's documents' languages when they differ (a German question over
 * English reports), by name; undefined when they are the same or either cannot be told.
 */
export async function crossLanguage(knowledge: KnowledgeBase, scope: Scope, question: string, versions: Versions | undefined): Promise<Languages | undefined> {
  const asked = detectLanguage(question);
  if (asked === undefined) return undefined;
  const documents = await knowledge.language(scope, versions);
  if (documents === undefined || documents === asked || mayBeIn(question, documents)) return undefined;
  return { question: languageName(asked), documents: languageName(documents) };
}

/** The search query in the documents' language, by the answer model; the query as asked if that fails. */
export async function translateQuery(chain: ModelChain, logger: Logger, query: string, languages: Languages, signal: AbortSignal | undefined): Promise<string> {
  try {
    let text = '';
    for await (const event of chain.stream({ messages: translateMessages(query, languages.documents), temperature: 0, topP: 1, maxOutputTokens: 160, signal })) {
      if (event.type === 'token') text += event.text;
    }
    const translated = text.trim().replace(/^["'“]|["'”]$/g, '').split('\n')[0]?.trim() ?? '';
    return translated.length > 0 && translated.length <= 600 ? translated : query;
  } catch (error) {
    if (signal?.aborted) throw error;
    logger.warn({ err: error }, `could not translate the question into ${languages.documents}; searching with it as asked`);
    return query;
  }
}

/** Said with quoted passages when the question's language differs and no model can translate. */
export function untranslatedNote(languages: Languages): string {
  return `Your question looks ${languages.question} and the documents here are in ${languages.documents}; without a model Docent cannot translate, so it searched with your words and quotes the passages in ${languages.documents}.`;
}
