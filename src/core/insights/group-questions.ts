import { tokenize } from '../lib/tokenizer.js';

export interface QuestionGroup {
  /** The newest wording. */
  readonly question: string;
  /** Other wordings in the group, newest first (at most five). */
  readonly variants: readonly string[];
  readonly count: number;
  readonly last: Date;
  /** The channels it was asked in. */
  readonly tenants: readonly string[];
}

/** Shared words over all words: 1 for the same words in any order and form ("budgets" = "budget"). */
function similarity(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size === 0 || b.size === 0) return 0;
  let shared = 0;
  for (const token of a) if (b.has(token)) shared++;
  return shared / (a.size + b.size - shared);
}

/** How alike two questions must be to count as one (shared content words over all of them). */
export const SIMILAR = 0.5;

/**
 * Groups questions asked in different words about the same thing ("When is the kiln fired?",
 * "when does the kiln get fired") by their content words (stemmed, stop words left out), so an
 * admin sees what the documents keep failing to answer, most asked first. `questions` newest first.
 */
export function groupSimilar(questions: readonly { readonly tenant: string; readonly question: string; readonly at: Date }[]): QuestionGroup[] {
  const groups: { tokens: Set<string>; question: string; variants: string[]; count: number; last: Date; tenants: Set<string> }[] = [];
  for (const q of questions) {
    const text = q.question.trim();
    const tokens = new Set(tokenize(text));
    const key = text.toLowerCase();
    const group = groups.find((g) => (tokens.size === 0 ? g.question.toLowerCase() === key : similarity(g.tokens, tokens) >= SIMILAR));
    if (!group) {
      groups.push({ tokens, question: text, variants: [], count: 1, last: q.at, tenants: new Set([q.tenant]) });
      continue;
    }
    group.count++;
    group.tenants.add(q.tenant);
    if (group.question.toLowerCase() !== key && !group.variants.some((v) => v.toLowerCase() === key) && group.variants.length < 5) group.variants.push(text);
  }
  return groups
    .sort((a, b) => b.count - a.count || b.last.getTime() - a.last.getTime())
    .map((g) => ({ question: g.question, variants: g.variants, count: g.count, last: g.last, tenants: [...g.tenants] }));
}
