import { tokenize } from '../../lib/tokenizer.js';

/**
 * Abbreviations a document defines, found the way readers find them: a run of words followed by
 * its initials in parentheses ("Write-Ahead Log (WAL)", "Technical Advisory Council (TAC)"), or
 * the other way round ("WAL (write-ahead log)"). The letters of the abbreviation must be the
 * initials of the words (word parts joined by a hyphen count as words; small words such as "of"
 * may be skipped), in the spirit of Schwartz and Hearst's algorithm (2003). Nothing is looked up:
 * only what the document itself says.
 */

/** An abbreviation as a token, and the tokens of what it stands for. */
export interface Abbreviation {
  readonly short: string;
  readonly long: readonly string[];
}

const SHORT = /^[\p{Lu}][\p{Lu}\p{Ll}\d&]{1,9}$/u;
/** Most words an expansion may have: an abbreviation of n letters stands for at most n + 5 words. */
const EXTRA_WORDS = 5;

/** "Long Form (LF)" and "LF (Long Form)", in order of appearance. */
export function findAbbreviations(text: string): Abbreviation[] {
  const found: Abbreviation[] = [];
  for (const match of text.matchAll(/\(([^()\n]{2,80})\)/gu)) {
    const inside = match[1].trim();
    const before = text.slice(Math.max(0, (match.index ?? 0) - 200), match.index).replace(/\s+/g, ' ');
    if (SHORT.test(inside) && capitals(inside) >= 2) {
      const long = expansionBefore(inside, before);
      if (long) add(found, inside, long);
      continue;
    }
    // "WAL (write-ahead log)": the word just before the parenthesis is the abbreviation.
    const last = /([\p{L}\d&]+)\s*$/u.exec(before)?.[1];
    if (last && SHORT.test(last) && capitals(last) >= 2 && matchesInitials(last, words(inside))) add(found, last, words(inside).join(' '));
  }
  return found;
}

function add(found: Abbreviation[], short: string, long: string): void {
  const shortToken = tokenize(short)[0];
  const longTokens = tokenize(long);
  if (shortToken === undefined || longTokens.length < 2 || longTokens.includes(shortToken)) return;
  if (!found.some((a) => a.short === shortToken)) found.push({ short: shortToken, long: longTokens });
}

function capitals(text: string): number {
  return (text.match(/\p{Lu}/gu) ?? []).length;
}

/** Words of a phrase, with hyphenated parts as words of their own ("Write-Ahead" → Write, Ahead). */
function words(phrase: string): string[] {
  return phrase.split(/[\s\-‐‑/]+/u).map((w) => w.replace(/^[^\p{L}\d]+|[^\p{L}\d]+$/gu, '')).filter((w) => w.length > 0);
}

/** The shortest run of words ending just before the parenthesis whose initials spell the abbreviation. */
function expansionBefore(short: string, before: string): string | undefined {
  const all = words(before);
  const letters = short.replace(/[^\p{L}]/gu, '');
  const limit = Math.min(all.length, letters.length + EXTRA_WORDS);
  for (let n = Math.min(letters.length, all.length); n <= limit; n++) {
    const run = all.slice(all.length - n);
    if (matchesInitials(short, run)) return run.join(' ');
  }
  return undefined;
}

/**
 * Whether the abbreviation's letters are, in order, the first letters of the words (every word
 * that starts with a capital or is long must give its letter; short lower-case words such as
 * "of" or "and" may be skipped), starting with the first word.
 */
function matchesInitials(short: string, run: readonly string[]): boolean {
  const letters = [...short.replace(/[^\p{L}]/gu, '').toLowerCase()];
  if (run.length === 0 || letters.length === 0) return false;
  let i = 0;
  for (const [index, word] of run.entries()) {
    const initial = word[0]?.toLowerCase();
    const skippable = index > 0 && word.length <= 3 && word === word.toLowerCase();
    if (initial === letters[i]) i++;
    else if (!skippable) return false;
  }
  return i === letters.length;
}

/**
 * A passage's tokens with the document's abbreviations joined to what they stand for: a passage
 * that says "WAL" is also found by "write-ahead log", and one that spells it out by "WAL".
 */
export function withAbbreviations(tokens: readonly string[], abbreviations: readonly Abbreviation[]): string[] {
  if (abbreviations.length === 0) return [...tokens];
  const present = new Set(tokens);
  const extra: string[] = [];
  for (const { short, long } of abbreviations) {
    if (present.has(short) && !long.every((t) => present.has(t))) extra.push(...long);
    else if (!present.has(short) && long.every((t) => present.has(t))) extra.push(short);
  }
  return [...tokens, ...extra];
}
