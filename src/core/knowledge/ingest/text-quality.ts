/**
 * Decides whether extracted text is worth indexing. Broken fonts and fuzzed content streams
 * make PDF extractors emit operator soup, replacement characters or one glyph repeated; such
 * text would only pollute retrieval, so it is dropped (and a document with nothing else is refused).
 */

const OPERATOR = /(?:^|\s)(?:Tj|TJ|Td|TD|Tf|Tm|BT|ET|re|cm|Do)(?=\s|$)/g;

/** Replacement characters, control characters and private-use or broken code points: what undecodable bytes turn into. */
const isJunk = (ch: string) => ch === '\uFFFD' || /[\p{Cc}\p{Co}\p{Cs}]/u.test(ch);
const JUNK_SHARE = 0.05;

/** Whether text is mostly junk characters: binary data decoded as text, or a font without a text mapping. */
export function isJunkText(text: string): boolean {
  const compact = text.replace(/\s+/g, '');
  let junk = 0;
  for (const ch of compact) if (isJunk(ch)) junk++;
  return compact.length > 0 && junk / compact.length > JUNK_SHARE;
}

export function isMeaningfulText(text: string): boolean {
  const compact = text.replace(/\s+/g, '');
  if (compact.length < 3) return false;

  let letters = 0;
  let junk = 0;
  for (const ch of compact) {
    if (/[\p{L}\p{N}]/u.test(ch)) letters++;
    else if (isJunk(ch)) junk++;
  }
  if (junk / compact.length > JUNK_SHARE) return false;
  if (letters / compact.length < 0.5) return false;

  const operators = text.match(OPERATOR)?.length ?? 0;
  if (operators >= 3 && operators / (text.length / 1000) > 3) return false;

  // One glyph or operator over and over (one or two characters, as PDF operators and stray
  // glyphs are) is an extractor's output; a word, line or phrase the writer repeated is text.
  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length >= 20) {
    const counts = new Map<string, number>();
    for (const word of words) counts.set(word, (counts.get(word) ?? 0) + 1);
    const [top, count] = [...counts].reduce((best, entry) => (entry[1] > best[1] ? entry : best));
    if (count > words.length / 2 && [...top].length <= 2) return false;
  }
  if (compact.length >= 60 && /^(.)\1+$/u.test(compact)) return false;
  return true;
}
