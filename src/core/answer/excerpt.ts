import { tokenize } from '../lib/tokenizer.js';

/** Sentence ends, list bullets and the line breaks between table rows. */
const SENTENCE_BREAK = /(?<=[.!?;][\d,]{0,4})\s+(?=[\p{Lu}"“(*$])|(?<=[.!?;])\s+(?=\p{N})|\s*[•▪●◦]\s*|\n+/u;
const ASKS_FOR_A_FIGURE = /\b(?:how (?:many|much|old|long|high|low|large)|what (?:percent|percentage|share|proportion|rate|number|was the|is the)|rate|percent|share|median|average|number|amount|total)\b/i;
const HAS_FIGURE = /\d/;

/**
 * The part of a passage that answers: the sentence (or table row) that best matches the question
 * (the question's words it contains, weighted by how informative each is in the channel, and a
 * figure when the question asks for one) and the sentences after it, as many as fit, then the
 * ones before; in reading order, with ellipses where text was left out. A short passage is shown whole.
 */
export function bestExcerpt(text: string, questionTokens: readonly string[], maxChars = 320, question = '', weights: ReadonlyMap<string, number> = new Map()): string {
  const clean = text.replace(/[ \t]+/g, ' ').trim();
  if (clean.replace(/\s+/g, ' ').length <= maxChars) return clean.replace(/\s+/g, ' ');
  const sentences = clean.split(SENTENCE_BREAK).map((s) => s.replace(/\s+/g, ' ').trim()).filter((s) => s.length > 0);
  const wanted = new Set(questionTokens);
  const wantsFigure = ASKS_FOR_A_FIGURE.test(question);
  const score = (sentence: string) => {
    const matched = [...new Set(tokenize(sentence).filter((t) => wanted.has(t)))].reduce((sum, t) => sum + (weights.get(t) ?? 1), 0);
    // A figure when one is asked for; among equals, the shorter (denser) sentence.
    return matched * (wantsFigure && matched > 0 && HAS_FIGURE.test(sentence) ? 1.15 : 1) - sentence.length / 10_000;
  };
  const scores = sentences.map(score);
  let best = 0;
  scores.forEach((s, i) => {
    if (s > scores[best]) best = i;
  });
  let start = best;
  let end = best;
  let length = sentences[best].length;
  // Widen forward first: what a sentence names, the next ones usually say (a definition after
  // its term, an answer after the question a form asks, a value after its label); then back.
  while (length < maxChars) {
    const after = sentences[end + 1];
    const before = sentences[start - 1];
    if (after !== undefined && length + after.length + 1 <= maxChars) {
      end++;
      length += after.length + 1;
    } else if (before !== undefined && length + before.length + 1 <= maxChars && (after === undefined || end + 1 >= sentences.length)) {
      start--;
      length += before.length + 1;
    } else break;
  }
  let excerpt = sentences.slice(start, end + 1).join(' ');
  let cutAtEnd = end < sentences.length - 1;
  if (excerpt.length > maxChars) {
    const cut = excerpt.lastIndexOf(' ', maxChars - 1);
    excerpt = excerpt.slice(0, cut > maxChars / 2 ? cut : maxChars - 1);
    cutAtEnd = true;
  }
  return `${start > 0 ? '… ' : ''}${excerpt}${cutAtEnd ? ' …' : ''}`;
}
