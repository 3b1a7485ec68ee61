/** Splits a console line into words, honouring "double" and 'single' quotes and backslash escapes. */
export function splitWords(text: string): string[] {
  const words: string[] = [];
  let current = '';
  let quote: '"' | "'" | undefined;
  let started = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '\\' && i + 1 < text.length && quote !== "'") {
      current += text[++i];
      started = true;
    } else if (quote) {
      if (ch === quote) quote = undefined;
      else current += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      started = true;
    } else if (/\s/.test(ch)) {
      if (started) words.push(current);
      current = '';
      started = false;
    } else {
      current += ch;
      started = true;
    }
  }
  if (started) words.push(current);
  return words;
}

export interface ParsedLine {
  readonly name: string;
  /** Everything after the command name, as typed. */
  readonly rest: string;
}

/** `/ask what is x` → { name: 'ask', rest: 'what is x' }; a line without a slash is a question. */
export function parseLine(line: string): ParsedLine | undefined {
  const trimmed = line.trim();
  if (trimmed.length === 0 || trimmed.startsWith('#')) return undefined;
  if (!trimmed.startsWith('/')) return { name: 'ask', rest: trimmed };
  const match = /^\/(\S*)\s*([\s\S]*)$/.exec(trimmed);
  return { name: (match?.[1] ?? '').toLowerCase(), rest: match?.[2] ?? '' };
}
