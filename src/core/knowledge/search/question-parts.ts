import { tokenize } from '../../lib/tokenizer.js';

/** Words that join the parts of a two-part question ("the rate of Texas and of Houston"). */
const JOINER = /\s(?:and|versus|vs\.?|compared (?:with|to)|as well as)\s/iu;

/**
 * The search terms of each part of a question that asks about two things at once ("Compare the
 * uninsured rate and the median income of Mississippi", "the rates of Texas and of the Houston
 * metro area"). One search for the whole question ranks passages about the part its words favour;
 * a search per part finds the other. A part that names nothing borrows the question's names
 * ("Mississippi"), so that each part stays about the same subject. Fewer than two parts: none.
 */
export function questionParts(question: string, tokensOf: (text: string) => string[] = (text) => tokenize(text)): string[][] {
  const segments = question.split(JOINER).map((segment) => segment.trim()).filter((segment) => segment.length > 0);
  if (segments.length < 2 || segments.length > 4) return [];
  const names = segments.map((segment, i) => namesOf(segment, i === 0, tokensOf));
  const allNames = [...new Set(names.flat())];
  const parts = segments.map((segment, i) => {
    const tokens = tokensOf(segment);
    return (names[i] ?? []).length > 0 ? tokens : [...new Set([...tokens, ...allNames])];
  });
  // A part made of a name alone ("… of Texas and Ohio") is searched with the other parts' words.
  const words = [...new Set(parts.flat().filter((t) => !allNames.includes(t)))];
  const complete = parts.map((tokens) => (tokens.every((t) => allNames.includes(t)) ? [...tokens, ...words] : tokens));
  return complete.filter((tokens) => tokens.length > 0);
}

/** Tokens of a segment's capitalised words, but the question's first word. */
function namesOf(segment: string, opensQuestion: boolean, tokensOf: (text: string) => string[]): string[] {
  const words = segment.split(/\s+/).slice(opensQuestion ? 1 : 0);
  return words.filter((word) => /^\p{Lu}\p{L}{2,}/u.test(word)).flatMap((word) => tokensOf(word));
}
