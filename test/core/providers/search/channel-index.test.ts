import { describe, expect, it } from 'vitest';
import { ChannelIndex } from '../../../../src/core/providers/search/channel-index.js';
import { tokenize } from '../../../../src/core/lib/tokenizer.js';
import type { IndexRow } from '../../../../src/core/providers/search/memory-index.js';

const texts = [
  'Median household income rose in Ohio.',
  'Household size declined; household income data follow.',
  'Volcanic ash grounded flights.',
  'Income tax brackets changed for households.',
];
const row = (i: number, documentId: string, text: string, vector?: number[]): IndexRow => ({
  rowid: 100 + i,
  documentId,
  tokens: tokenize(text).join(' '),
  vector: vector ? Float32Array.from(vector) : undefined,
});
const rows = texts.map((text, i) => row(i, i === 3 ? 'hidden' : 'doc', text));
const all = new Set(['doc', 'hidden', 'late']);

describe('ChannelIndex: BM25', () => {
  it('ranks rarer query terms higher (IDF) and leaves out passages without any query term', () => {
    const ranked = new ChannelIndex(undefined, rows).lexical(tokenize('median household income'), all, 10);
    expect(ranked[0]).toBe(100);
    expect(ranked).toContain(101);
    expect(ranked).not.toContain(102);
  });

  it('never returns rows of documents that are not visible', () => {
    const index = new ChannelIndex(undefined, rows);
    expect(index.lexical(tokenize('income tax households'), new Set(['doc']), 10)).not.toContain(103);
    expect(index.lexical(tokenize('income'), new Set(), 10)).toEqual([]);
  });

  it('returns nothing for unseen words, and at most `depth` rows', () => {
    const index = new ChannelIndex(undefined, rows);
    expect(index.lexical(tokenize('zeppelin'), all, 10)).toEqual([]);
    expect(index.lexical(tokenize('household income'), all, 2)).toHaveLength(2);
  });

  it('ranks the same whether passages arrived in one segment or several', () => {
    const one = new ChannelIndex(undefined, rows);
    const several = new ChannelIndex(undefined);
    several.add(rows.slice(0, 1));
    several.add(rows.slice(1, 3));
    several.add(rows.slice(3));
    for (const question of ['median household income', 'income tax', 'household size ash']) {
      expect(several.lexical(tokenize(question), all, 10)).toEqual(one.lexical(tokenize(question), all, 10));
    }
  });

  it('a new segment is searchable at once; a removed document disappears from every segment', () => {
    const index = new ChannelIndex(undefined, rows);
    index.add([row(10, 'late', 'Zeppelin flights resumed over Lake Constance.')]);
    expect(index.lexical(tokenize('zeppelin'), all, 10)).toEqual([110]);
    index.removeDocument('doc');
    expect(index.lexical(tokenize('household income'), all, 10)).toEqual([103]);
  });

  it('asks for a rebuild once deleted rows pile up', () => {
    const index = new ChannelIndex(undefined, rows);
    expect(index.needsRebuild).toBe(false);
    index.removeDocument('hidden');
    expect(index.needsRebuild).toBe(false);
    index.removeDocument('doc');
    expect(index.needsRebuild).toBe(true);
  });
});

describe('ChannelIndex: dense', () => {
  it('finds the nearest vectors above the similarity floor, across segments', () => {
    const index = new ChannelIndex(8, [row(1, 'd', 'a', [1, 0, 0, 0, 0, 0, 0, 0]), row(2, 'd', 'b', [0.6, 0.8, 0, 0, 0, 0, 0, 0])]);
    index.add([row(3, 'd', 'c', [0, 0, 1, 0, 0, 0, 0, 0]), row(4, 'd', 'no vector')]);
    const query = Float32Array.from([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(index.nearest(query, new Set(['d']), 10, 0.5)).toEqual([101, 102]);
    expect(index.nearest(query, new Set(['d']), 10, -1)).toEqual([101, 102, 103]);
    expect(index.nearest(Float32Array.from([1, 0]), new Set(['d']), 10, 0)).toEqual([]);
    expect(index.nearest(query, new Set(), 10, -1)).toEqual([]);
  });
});
