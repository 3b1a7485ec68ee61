import { describe, expect, it } from 'vitest';
import { documentTerms, queryTerms, stem, tokenId, tokenize } from '../../../src/core/lib/tokenizer.js';
import { reciprocalRankFusion } from '../../../src/core/lib/rrf.js';

describe('tokenize', () => {
  it('folds case, accents and compatibility forms, and drops stop words', () => {
    expect(tokenize('The Café’s ＦＵＬＬ width and naïve résumés')).toEqual(['cafe', 'full', 'width', 'naiv', 'resum']);
  });

  it('stems with Snowball (Porter2), so inflections meet, leaving numbers alone', () => {
    expect(['policies', 'policy', 'classes', 'reported', 'reporting', 'households', '2022s'].map((w) => stem(w))).toEqual(['polici', 'polici', 'class', 'report', 'report', 'household', '2022s']);
    expect(tokenize('income incomes')).toEqual(['incom', 'incom']);
    for (const [a, b] of [['studied', 'studies'], ['taxed', 'taxes'], ['earning', 'earnings'], ['archiving', 'archived']]) expect(tokenize(a)).toEqual(tokenize(b));
  });

  it('stems German documents with the German Snowball stemmer and drops German stop words', () => {
    expect(tokenize('Die Versicherungen der Häuser', 'deu')).toEqual(tokenize('Versicherung Haus', 'deu'));
    expect(tokenize('und der die', 'deu')).toEqual([]);
  });

  it('keeps a hyphenated compound as its parts and as one word, so either spelling finds it', () => {
    expect(tokenize('e-mail')).toEqual(['e', 'mail', 'email']);
    expect(tokenize('email')).toEqual(['email']);
    expect(tokenize('multi-GPU')).toContain('multigpu');
  });

  it('drops a footnote mark set against a word in a table, but keeps digits that belong to a word', () => {
    expect(tokenize('Alaska2 California2 error1')).toEqual(['alaska', 'california', 'error']);
    expect(tokenize('covid19 mp3 2022')).toEqual(['covid19', 'mp3', '2022']);
  });

  it('splits scripts written without spaces into characters', () => {
    expect(tokenize('東京都')).toEqual(['東', '京', '都']);
  });

  it('maps Arabic presentation forms to base letters so they match typed text', () => {
    expect(tokenize('اﻟﻌﺮﺑﻴﺔ')).toEqual(tokenize('العربية'));
  });
});

describe('sparse terms', () => {
  it('gives stable 32-bit ids and unique, sorted indices', () => {
    expect(tokenId('income')).toBe(tokenId('income'));
    expect(tokenId('income')).toBeLessThan(2 ** 32);
    const terms = documentTerms(['income', 'tax', 'income']);
    expect(new Set(terms.indices).size).toBe(terms.indices.length);
    expect([...terms.indices].sort((a, b) => a - b)).toEqual(terms.indices);
    expect(terms.values[terms.indices.indexOf(tokenId('income'))]).toBeGreaterThan(terms.values[terms.indices.indexOf(tokenId('tax'))]);
    expect(queryTerms(['tax', 'tax']).values).toEqual([1]);
  });
});

describe('reciprocalRankFusion', () => {
  it('rewards items ranked well in several lists and scores a unanimous first place 1', () => {
    const fused = reciprocalRankFusion([
      ['a', 'b', 'c'],
      ['a', 'c', 'd'],
    ]);
    expect([...fused.keys()]).toEqual(['a', 'c', 'b', 'd']);
    expect(fused.get('a')).toBeCloseTo(1);
  });

  it('normalises by the lists that returned anything', () => {
    const fused = reciprocalRankFusion([['x'], []]);
    expect(fused.get('x')).toBeCloseTo(1);
  });
});
