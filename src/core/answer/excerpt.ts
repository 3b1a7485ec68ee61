import { tokenize } from '../knowledge/lexical.js';

/**
 * The most relevant stretch of a passage for a question: the sentence with the most question
 * terms, widened with its neighbours up to `maxChars`, with ellipses where text was cut.
 */
export function bestExcerpt(text: string, questionTokens: readonly string[], maxChars = 320): string {
  const clean = text.replace(/\s+/g, ' ').trim();
  if (clean.length <= maxChars) return clean;
  const sentences = clean.split(/(?<=[.!?])\s+/);
  const wanted = new Set(questionTokens);
  let best = 0;
  let bestScore = -1;
  sentences.forEach((sentence, i) => {
    const score = tokenize(sentence).filter((t) => wanted.has(t)).length;
    if (score > bestScore) {
      bestScore = score;
      best = i;
    }
  });
  let start = best;
  let end = best;
  let length = sentences[best].length;
  while (length < maxChars) {
    const next = sentences[end + 1];
    const previous = sentences[start - 1];
    if (next !== undefined && length + next.length + 1 <= maxChars) {
      end++;
      length += next.length + 1;
    } else if (previous !== undefined && length + previous.length + 1 <= maxChars) {
      start--;
      length += previous.length + 1;
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
