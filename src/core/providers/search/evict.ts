/**
 * Drops the least recently used channel indexes (a Map keeps insertion order; users re-insert
 * on use) until their memory fits `budget`, always keeping the most recent one.
 */
export function evictLeastRecent<T>(indexes: Map<string, T>, bytesOf: (entry: T) => number, budget: number): void {
  let total = [...indexes.values()].reduce((sum, entry) => sum + bytesOf(entry), 0);
  for (const [tenant, entry] of indexes) {
    if (total <= budget || indexes.size <= 1) break;
    indexes.delete(tenant);
    total -= bytesOf(entry);
  }
}
