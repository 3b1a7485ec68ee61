import nlp from 'compromise/two';
import { tokenize } from '../../lib/tokenizer.js';

/** What a question is about: its nouns' tokens, and among them the names. */
export interface QuestionSubject {
  readonly nouns: ReadonlySet<string>;
  /** Proper nouns ("Tokyo", "iPhone", "Google"): a name says exactly what it is about. */
  readonly names: ReadonlySet<string>;
}

/**
 * The tokens of a question's nouns: what it asks about ("unicorns", "Ohio", "households"), as
 * opposed to how it qualifies or asks it ("poorest", "live", "typical", "restore"). Parts of
 * speech come from compromise's English tagger (rule-based, offline). A question in another
 * language, or one the tagger finds no noun in, has every token as its subject.
 */
export function questionSubject(question: string, language?: string): QuestionSubject {
  const all = new Set(tokenize(question, language));
  if (language !== undefined && language !== 'eng') return { nouns: all, names: new Set() };
  const subject = new Set<string>();
  const names = new Set<string>();
  // compromise's JSON view: each term with its text and tags (the library ships no narrower type).
  const terms = nlp(question).json({ terms: { normal: false } }) as { terms: { text: string; tags: string[] }[] }[];
  for (const sentence of terms) {
    for (const term of sentence.terms) {
      const noun = term.tags.includes('Noun') && !term.tags.includes('Pronoun');
      if (noun) for (const token of tokenize(term.text, language)) subject.add(token);
      if (noun && term.tags.includes('ProperNoun')) for (const token of tokenize(term.text, language)) names.add(token);
    }
  }
  return { nouns: subject.size > 0 ? subject : all, names };
}
