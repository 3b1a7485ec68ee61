import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../src/core/knowledge/lexical.js';
import { MemoryIndex } from '../../../src/core/knowledge/memory-index.js';

const texts = [
  'Median household income rose in Ohio.',
  'Household size declined; household income data follow.',
  'Volcanic ash grounded flights.',
  'Income tax brackets changed for households.',
];
const rows = texts.map((text, i) => ({ rowid: 100 + i, documentId: i === 3 ? 'hidden' : 'doc', tokens: tokenize(text).join(' '), vector: undefined }));

describe('MemoryIndex (BM25)', () => {
  const index = new MemoryIndex(rows, undefined);

  it('ranks rarer query terms higher (IDF) and counts repeated terms (TF)', () => {
    const ranked = index.lexical(tokenize('median household income'), new Set(['doc', 'hidden']), 10);
    expect(ranked[0]).toBe(100); // the only passage with the rare "median"
    expect(ranked).toContain(101);
    expect(ranked).not.toContain(102);
  });

  it('never returns rows of documents that are not visible', () => {
    const ranked = index.lexical(tokenize('income tax households'), new Set(['doc']), 10);
    expect(ranked).not.toContain(103);
    expect(index.lexical(tokenize('income'), new Set(), 10)).toEqual([]);
  });

  it('returns nothing for words it has never seen, and at most `depth` rows', () => {
    expect(index.lexical(tokenize('zeppelin'), new Set(['doc']), 10)).toEqual([]);
    expect(index.lexical(tokenize('household income'), new Set(['doc', 'hidden']), 2)).toHaveLength(2);
  });

  it('finds nearest vectors above the similarity floor', () => {
    const withVectors = new MemoryIndex(
      [
        { rowid: 1, documentId: 'd', tokens: '', vector: Float32Array.from([1, 0, 0, 0, 0, 0, 0, 0]) },
        { rowid: 2, documentId: 'd', tokens: '', vector: Float32Array.from([0.6, 0.8, 0, 0, 0, 0, 0, 0]) },
        { rowid: 3, documentId: 'd', tokens: '', vector: Float32Array.from([0, 0, 1, 0, 0, 0, 0, 0]) },
        { rowid: 4, documentId: 'd', tokens: '', vector: undefined },
      ],
      8,
    );
    const query = Float32Array.from([1, 0, 0, 0, 0, 0, 0, 0]);
    expect(withVectors.nearest(query, new Set(['d']), 10, 0.5)).toEqual([1, 2]);
    expect(withVectors.nearest(query, new Set(['d']), 10, -1)).toEqual([1, 2, 3]);
    expect(withVectors.nearest(Float32Array.from([1, 0]), new Set(['d']), 10, 0)).toEqual([]);
  });
});
