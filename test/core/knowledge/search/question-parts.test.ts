import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../../src/core/lib/tokenizer.js';
import { questionParts } from '../../../../src/core/knowledge/search/question-parts.js';
import { interleave } from '../../../../src/core/knowledge/search/retrieve.js';
import type { SearchHit } from '../../../../src/core/ports/types.js';

describe('two-part questions', () => {
  it('searches each part, a part without a name borrowing the question’s names', () => {
    expect(questionParts('Compare the uninsured rate and the median household income of Mississippi.')).toEqual([
      tokenize('compare uninsured rate Mississippi'),
      tokenize('median household income Mississippi'),
    ]);
    expect(questionParts('What were the uninsured rates of Texas and of the Houston metro area?')).toEqual([
      tokenize('uninsured rates Texas'),
      tokenize('Houston metro area'),
    ]);
  });

  it('gives a part that is only a name the other parts’ words', () => {
    expect(questionParts('What was the poverty rate in Texas versus Ohio?')).toEqual([
      tokenize('poverty rate Texas'),
      tokenize('Ohio poverty rate'),
    ]);
  });

  it('leaves one-part questions alone', () => {
    expect(questionParts('What was the uninsured rate in Texas in 2022?')).toEqual([]);
    expect(questionParts('Between 2021 and 2022, which state gained?')).toHaveLength(2);
  });

  it('ranks each part’s best passage right after the best passage, once', () => {
    const hit = (id: string): SearchHit => ({ chunkId: id, documentId: 'd', file: 'f.pdf', page: 1, heading: undefined, text: id, score: 1 });
    const order = interleave([hit('a'), hit('b'), hit('c'), hit('x')], [hit('x'), hit('a'), hit('y')]);
    expect(order.map((h) => h.chunkId)).toEqual(['a', 'x', 'y', 'b', 'c']);
  });
});
