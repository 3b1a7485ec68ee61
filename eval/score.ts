export interface Expectation {
  readonly file: string;
  readonly pages: readonly number[];
}

export interface Ranked {
  readonly file: string;
  readonly page: number;
}

export interface QuestionOutcome {
  readonly question: string;
  readonly expect: readonly Expectation[];
  /** Best first, up to 10. */
  readonly ranked: readonly Ranked[];
  /** Docent said the documents do not cover it. */
  readonly refused: boolean;
  /** How much of the question the passages covered (Docent's relevance judgement). */
  readonly coverage?: number;
}

/** 1-based rank at which every expected document has shown a right page; undefined if not in the list. */
export function rankOf(outcome: Pick<QuestionOutcome, 'expect' | 'ranked'>): number | undefined {
  let worst = 0;
  for (const want of outcome.expect) {
    const index = outcome.ranked.findIndex((r) => r.file === want.file && want.pages.includes(r.page));
    if (index < 0) return undefined;
    worst = Math.max(worst, index + 1);
  }
  return worst;
}

const ratio = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 1000) / 1000);

export function score(
  outcomes: readonly QuestionOutcome[],
  refusals: readonly { question: string; refused: boolean; coverage?: number }[],
  listMisses: boolean,
  about: Record<string, unknown>,
): Record<string, unknown> {
  const ranks = outcomes.map((o) => rankOf(o));
  const within = (k: number) => ratio(ranks.filter((r) => r !== undefined && r <= k).length, ranks.length);
  const mrr = ranks.length === 0 ? null : Math.round((ranks.reduce<number>((sum, r) => sum + (r === undefined ? 0 : 1 / r), 0) / ranks.length) * 1000) / 1000;
  const refusedUnrelated = refusals.filter((r) => r.refused).length;
  const wronglyRefused = outcomes.filter((o) => o.refused);
  const refusedTotal = refusedUnrelated + wronglyRefused.length;
  const misses = outcomes
    .map((o, i) => ({ o, rank: ranks[i] }))
    .filter(({ rank }) => rank === undefined || rank > 5)
    .map(({ o, rank }) => ({ question: o.question, expected: o.expect.map((e) => `${e.file} p.${e.pages.join('/')}`).join(' + '), rank: rank ?? null, got: o.ranked.slice(0, 5).map((r) => `${r.file} p.${r.page}`) }));
  return {
    ...about,
    recallAt1: within(1),
    recallAt5: within(5),
    recallAt10: within(10),
    mrr,
    refusal: {
      unrelatedRefused: ratio(refusedUnrelated, refusals.length),
      precision: ratio(refusedUnrelated, refusedTotal),
      recall: ratio(refusedUnrelated, refusals.length),
      answerableRefused: wronglyRefused.length,
    },
    missesAt5: listMisses ? misses : misses.length,
    ...(listMisses && outcomes.some((o) => o.coverage !== undefined)
      ? {
          lowestCoverageAnswerable: outcomes.map((o) => [o.coverage, o.question] as const).sort((a, b) => (a[0] ?? 0) - (b[0] ?? 0)).slice(0, 200),
          highestCoverageUnrelated: refusals.map((r) => [r.coverage, r.question] as const).sort((a, b) => (b[0] ?? 0) - (a[0] ?? 0)).slice(0, 200),
        }
      : {}),
    wronglyRefused: wronglyRefused.map((o) => o.question),
    unrelatedAnswered: refusals.filter((r) => !r.refused).map((r) => r.question),
  };
}
