/**
 * Decides whether extracted text is worth indexing. Broken fonts and fuzzed content streams
 * make PDF extractors emit operator soup, replacement characters or one glyph repeated; such
 * text would only pollute retrieval, so it is dropped (and a document with nothing else is refused).
 */

const OPERATOR = /(?:^|\s)(?:Tj|TJ|Td|TD|Tf|Tm|BT|ET|re|cm|Do)(?=\s|$)/g;

export function isMeaningfulText(text: string): boolean {
  const compact = text.replace(/\s+/g, '');
  if (compact.length < 3) return false;

  let letters = 0;
  let junk = 0;
  for (const ch of compact) {
    if (/[\p{L}\p{N}]/u.test(ch)) letters++;
    else if (ch === '\uFFFD' || /[\p{Cc}\p{Co}\p{Cs}]/u.test(ch)) junk++;
  }
  if (junk / compact.length > 0.05) return false;
  if (letters / compact.length < 0.5) return false;

  const operators = text.match(OPERATOR)?.length ?? 0;
  if (operators >= 3 && operators / (text.length / 1000) > 3) return false;

  const words = text.toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
  if (words.length >= 20) {
    const distinct = new Set(words).size;
    if (distinct / words.length < 0.05) return false;
  }
  if (compact.length >= 60 && /^(.)\1+$/u.test(compact)) return false;
  return true;
}
