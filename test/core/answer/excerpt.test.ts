import { describe, expect, it } from 'vitest';
import { bestExcerpt } from '../../../src/core/answer/excerpt.js';
import { tokenize } from '../../../src/core/lib/tokenizer.js';

const passage = [
  'In 2022, the ACS national poverty rate was 12.6 percent, a decrease from 12.8 percent in 2021.4 The poverty rate decreased in 9 states and the District of Columbia between 2021 and 2022.',
  'No state had a poverty rate increase from 2021 to 2022. Poverty rates did not change in 41 states and Puerto Rico. Poverty rates in states and the District of Columbia ranged from 7.2 percent to 19.1 percent.',
  '• In 5 of the 25 most populous metropolitan areas, the poverty rate decreased between 2021 and 2022. The Minneapolis MSA was the only metro area among the 25 most populous metropolitan areas that saw poverty increase, from 8.0 percent to 8.8 percent.',
  '• In 2022, 6.1 percent of people nationally had income below 50 percent of their poverty threshold, which was not statistically different from the 2021 rate of 6.2 percent.',
].join(' ');

describe('excerpts', () => {
  it('show the sentence that answers, not the start of the passage', () => {
    const question = 'Which metro area saw its poverty rate increase between 2021 and 2022?';
    const weights = new Map([['metro', 4], ['area', 3], ['saw', 3], ['poverty', 1], ['rate', 0.5], ['increase', 2], ['2021', 0.5], ['2022', 0.5]]);
    const excerpt = bestExcerpt(passage, tokenize(question), 320, question, weights);
    expect(excerpt).toContain('The Minneapolis MSA was the only metro area');
    expect(excerpt).toContain('8.8 percent');
    expect(excerpt.startsWith('… ')).toBe(true);
    expect(excerpt.length).toBeLessThanOrEqual(330);
  });

  it('keep the figures when the question asks for one', () => {
    const question = 'What share of people had income below 50 percent of their poverty threshold?';
    expect(bestExcerpt(passage, tokenize(question), 200, question)).toContain('6.1 percent');
  });

  it('show a short passage whole', () => {
    expect(bestExcerpt('The library budget was 2.4 million euros.', ['budget'])).toBe('The library budget was 2.4 million euros.');
  });
});
