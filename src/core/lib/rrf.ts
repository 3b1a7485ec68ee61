/** Reciprocal rank fusion constant; the same value is sent to Qdrant so both stores rank alike. */
export const RRF_K = 60;

/**
 * Fuses ranked lists of ids: score = Σ 1 / (k + rank), normalised so that an item ranked first
 * in every list scores 1.
 */
export function reciprocalRankFusion(lists: readonly (readonly string[])[], k = RRF_K): Map<string, number> {
  const scores = new Map<string, number>();
  const nonEmpty = lists.filter((list) => list.length > 0);
  if (nonEmpty.length === 0) return scores;
  const best = nonEmpty.length / (k + 1);
  for (const list of nonEmpty) {
    list.forEach((id, index) => {
      scores.set(id, (scores.get(id) ?? 0) + 1 / (k + index + 1) / best);
    });
  }
  return new Map([...scores].sort((a, b) => b[1] - a[1]));
}

/** Normalises a raw RRF score returned by a store that fused `lists` lists with constant k. */
export function normaliseRrfScore(raw: number, lists: number, k = RRF_K): number {
  return lists === 0 ? 0 : raw / (lists / (k + 1));
}
