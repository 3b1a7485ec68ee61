/**
 * Scoring of one question set. An expectation names a file and either the pages that state the
 * answer (PDF page numbers) or evidence: short verbatim phrases of the sentence, row or slide that
 * states it; a retrieved passage of that file containing any of them is the right place. A
 * question needing two places counts as found at k only when both are within the first k.
 */
export interface Expectation {
  readonly file: string;
  readonly pages?: readonly number[];
  readonly evidence?: readonly string[];
  /** Filled in by the runner: the places (pages, slides, sections, row groups) whose passages hold the evidence. */
  readonly places?: readonly number[];
}

export interface Ranked {
  readonly file: string;
  readonly page: number;
  readonly text?: string;
}

export interface QuestionOutcome {
  readonly question: string;
  readonly kind: string;
  /** The format of the (first) document that answers: pdf, docx, pptx, xlsx, markdown, html, csv, text. */
  readonly format: string;
  readonly expect: readonly Expectation[];
  /** Best first, up to 10. */
  readonly ranked: readonly Ranked[];
  /** Refused without a model (quoting passages would not cover it). */
  readonly refused: boolean;
  /** Refused before any model call, as with an answer model (the question seemed unrelated). */
  readonly refusedBeforeModel: boolean;
  /** Whether every key string of the answer appears in the reply; undefined when none are listed. */
  readonly keysInReply: boolean | undefined;
  readonly reply: string;
  readonly coverage?: number;
}

export interface RefusalOutcome {
  readonly question: string;
  readonly refused: boolean;
  readonly refusedBeforeModel: boolean;
  readonly coverage?: number;
}

/** Lower case, letters and digits only, single spaces: evidence is compared this way. */
export function normalize(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

function matches(want: Expectation, hit: Ranked): boolean {
  if (hit.file !== want.file) return false;
  if (want.pages && want.pages.length > 0 && want.pages.includes(hit.page)) return true;
  if (!want.evidence || want.evidence.length === 0 || hit.text === undefined) return false;
  const text = normalize(hit.text);
  return want.evidence.some((phrase) => text.includes(normalize(phrase)));
}

/** A hit at the place (page, slide, section, rows) that states the answer, whichever of its passages it is. */
function atPlace(want: Expectation, hit: Ranked): boolean {
  if (hit.file !== want.file) return false;
  return (want.pages ?? []).includes(hit.page) || (want.places ?? []).includes(hit.page);
}

/**
 * 1-based rank at which every expected place has shown; undefined if not in the list. `passage`:
 * the passage itself must hold the evidence; `place`: any passage of the page or section that does.
 */
export function rankOf(outcome: Pick<QuestionOutcome, 'expect' | 'ranked'>, by: 'passage' | 'place' = 'passage'): number | undefined {
  let worst = 0;
  for (const want of outcome.expect) {
    const index = outcome.ranked.findIndex((r) => (by === 'place' ? atPlace(want, r) : matches(want, r)));
    if (index < 0) return undefined;
    worst = Math.max(worst, index + 1);
  }
  return worst;
}

/** Whether each key (any of its spellings) appears in the reply. */
export function keysIn(reply: string, keys: readonly (readonly string[])[]): boolean {
  const text = ` ${normalize(reply)} `;
  return keys.every((spellings) => spellings.some((s) => normalize(s).length > 0 && text.includes(` ${normalize(s)} `)));
}

const ratio = (n: number, d: number) => (d === 0 ? null : Math.round((n / d) * 1000) / 1000);

function retrievalFigures(outcomes: readonly QuestionOutcome[]): Record<string, unknown> {
  const ranks = outcomes.map((o) => rankOf(o));
  const within = (k: number) => ratio(ranks.filter((r) => r !== undefined && r <= k).length, ranks.length);
  const places = outcomes.map((o) => rankOf(o, 'place'));
  const placeWithin = (k: number) => ratio(places.filter((r) => r !== undefined && r <= k).length, places.length);
  const mrr = ranks.length === 0 ? null : Math.round((ranks.reduce<number>((sum, r) => sum + (r === undefined ? 0 : 1 / r), 0) / ranks.length) * 1000) / 1000;
  const keyed = outcomes.filter((o) => o.keysInReply !== undefined);
  return {
    questions: outcomes.length,
    placeRecallAt1: placeWithin(1),
    placeRecallAt5: placeWithin(5),
    recallAt1: within(1),
    recallAt5: within(5),
    recallAt10: within(10),
    mrr,
    answerableRefused: outcomes.filter((o) => o.refused).length,
    answerableRefusedBeforeModel: outcomes.filter((o) => o.refusedBeforeModel).length,
    keysInReply: ratio(keyed.filter((o) => o.keysInReply).length, keyed.length),
  };
}

export function score(
  outcomes: readonly QuestionOutcome[],
  unanswerable: readonly RefusalOutcome[],
  unrelated: readonly RefusalOutcome[],
  listMisses: boolean,
  about: Record<string, unknown>,
): Record<string, unknown> {
  const byFormat: Record<string, unknown> = {};
  for (const format of [...new Set(outcomes.map((o) => o.format))].sort()) byFormat[format] = retrievalFigures(outcomes.filter((o) => o.format === format));
  const byKind: Record<string, unknown> = {};
  for (const kind of [...new Set(outcomes.map((o) => o.kind))].sort()) byKind[kind] = retrievalFigures(outcomes.filter((o) => o.kind === kind));
  const misses = outcomes
    .map((o) => ({ o, rank: rankOf(o) }))
    .filter(({ rank }) => rank === undefined || rank > 5)
    .map(({ o, rank }) => ({
      question: o.question,
      expected: o.expect.map((e) => `${e.file} ${e.pages ? `p.${e.pages.join('/')}` : `“${e.evidence?.[0] ?? ''}”`}`).join(' + '),
      rank: rank ?? null,
      got: o.ranked.slice(0, 5).map((r) => `${r.file} #${r.page}: ${(r.text ?? '').replace(/\s+/g, ' ').slice(0, 90)}`),
    }));
  const keyMisses = outcomes.filter((o) => o.keysInReply === false && rankOf(o) !== undefined && (rankOf(o) ?? 99) <= 5).map((o) => ({ question: o.question, reply: o.reply.replace(/\s+/g, ' ').slice(0, 400) }));
  return {
    ...about,
    ...retrievalFigures(outcomes),
    refusal: {
      unrelatedRefused: ratio(unrelated.filter((r) => r.refused).length, unrelated.length),
      unrelatedRefusedBeforeModel: ratio(unrelated.filter((r) => r.refusedBeforeModel).length, unrelated.length),
      unanswerableRefused: ratio(unanswerable.filter((r) => r.refused).length, unanswerable.length),
      unanswerableRefusedBeforeModel: ratio(unanswerable.filter((r) => r.refusedBeforeModel).length, unanswerable.length),
    },
    byFormat,
    byKind,
    missesAt5: listMisses ? misses : misses.length,
    ...(listMisses ? { keysMissingThoughFound: keyMisses } : {}),
    wronglyRefused: outcomes.filter((o) => o.refused).map((o) => `${o.question} (coverage ${o.coverage ?? '?'})`),
    wronglyRefusedBeforeModel: outcomes.filter((o) => o.refusedBeforeModel).map((o) => o.question),
    unrelatedAnswered: unrelated.filter((r) => !r.refused).map((r) => `${r.question} (coverage ${r.coverage ?? '?'})`),
    unrelatedPassedToModel: unrelated.filter((r) => !r.refusedBeforeModel).map((r) => r.question),
  };
}
