import { describe, expect, it } from 'vitest';
import { evictLeastRecent } from '../../../../src/core/providers/search/evict.js';

describe('channel index eviction', () => {
  it('drops the least recently used indexes until the rest fit, and always keeps the most recent', () => {
    const indexes = new Map([
      ['a', 40],
      ['b', 30],
      ['c', 50],
    ]);
    evictLeastRecent(indexes, (bytes) => bytes, 90);
    expect([...indexes.keys()]).toEqual(['b', 'c']);
    evictLeastRecent(indexes, (bytes) => bytes, 10);
    expect([...indexes.keys()]).toEqual(['c']);
    evictLeastRecent(indexes, (bytes) => bytes, 0);
    expect([...indexes.keys()]).toEqual(['c']);
  });
});
