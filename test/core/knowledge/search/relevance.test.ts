import { describe, expect, it } from 'vitest';
import { tokenize } from '../../../../src/core/lib/tokenizer.js';
import { baseForms, judgeRelevance } from '../../../../src/core/knowledge/search/relevance.js';
import { questionSubject } from '../../../../src/core/knowledge/search/question-subject.js';
import { generalRarity } from '../../../../src/core/knowledge/search/general-rarity.js';
import type { TermStats } from '../../../../src/core/ports/ports.js';
import type { SearchHit } from '../../../../src/core/ports/types.js';

const hit = (text: string, heading?: string): SearchHit => ({ chunkId: text, documentId: 'd', file: 'report.pdf', page: 1, heading, text, score: 1 });
/** Term statistics of a channel whose passages are these texts. */
function channelOf(texts: readonly string[]): TermStats {
  const frequencies = new Map<string, number>();
  for (const text of texts) for (const token of new Set(tokenize(text))) frequencies.set(token, (frequencies.get(token) ?? 0) + 1);
  return { passages: texts.length, frequencies, complete: true };
}

const census = [
  'In 2022 the uninsured rate ranged from 2.4 percent in Massachusetts to 16.6 percent in Texas.',
  'Mississippi had the lowest median household income of any state in 2022.',
  'The poverty rate in Ohio was 13.4 percent; poverty rates rose in 12 states.',
  'Medicaid expansion states had lower uninsured rates than nonexpansion states.',
  'The company employed workers full-time, year-round, and their earnings are shown in Table 2.',
];
const stats = channelOf(census);
const hits = census.map((text) => hit(text));

describe('which words say what a question is about', () => {
  it('weighs a word by its rarity in everyday English: common words say nothing, rare words and unknown terms a lot', () => {
    expect(generalRarity(tokenize('ok')[0])).toBe(0);
    expect(generalRarity(tokenize('company')[0])).toBeLessThan(0.1);
    expect(generalRarity(tokenize('unicorns')[0])).toBeGreaterThan(0.5);
    expect(generalRarity(tokenize('FOSSology')[0])).toBe(1);
    expect(generalRarity('2022')).toBe(0);
  });

  it('takes the nouns as the subject and names among them, not the qualifiers', () => {
    const subject = questionSubject('Which states had the poorest households in Ohio?');
    expect([...subject.nouns]).toEqual(expect.arrayContaining(tokenize('states households Ohio')));
    expect(subject.nouns.has(tokenize('poorest')[0])).toBe(false);
    expect([...subject.names]).toEqual(tokenize('Ohio'));
  });
});

describe('relevance before any model call', () => {
  it('answers when the passages hold the question’s distinctive words', () => {
    const result = judgeRelevance('What was the uninsured rate in Texas in 2022?', hits, stats, undefined);
    expect(result).toMatchObject({ relevant: true, related: true });
    expect(result.coverage).toBeGreaterThan(0.9);
  });

  it('is not put off by everyday words the documents never use, when the distinctive ones meet in a passage', () => {
    const result = judgeRelevance('ok so what company earnings does Table 2 show, forever?', hits, stats, undefined);
    expect(result).toMatchObject({ relevant: true, related: true });
  });

  it('refuses a question whose subject is mostly absent from every document, even next to a document naming its place', () => {
    const result = judgeRelevance('How many unicorns live in Ohio?', hits, stats, undefined);
    expect(result).toMatchObject({ relevant: false, related: false });
    expect(result.missing[0]).toBe('unicorns');
  });

  it('refuses an everyday question that shares no subject with the documents', () => {
    const result = judgeRelevance('What is a good recipe for sourdough bread?', hits, stats, undefined);
    expect(result).toMatchObject({ relevant: false, related: false });
    expect(result.missing).toEqual(expect.arrayContaining(['recipe', 'sourdough', 'bread']));
  });

  it('counts a name as fully distinctive however common it is in everyday English', () => {
    expect(judgeRelevance('What is the population of Tokyo?', hits, stats, undefined).related).toBe(false);
  });

  it('does not refuse a paraphrase that qualifies a subject the documents have', () => {
    const result = judgeRelevance('Which state had the poorest households?', hits, stats, undefined);
    expect(result).toMatchObject({ relevant: true, related: true });
  });

  it('without a model, refuses words found only here and there that never meet in a passage; with one, leaves it to the model', () => {
    const result = judgeRelevance('Did Massachusetts companies expand Medicaid earnings?', [hit('Medicaid expansion states had lower uninsured rates.'), hit('Nothing else.')], stats, undefined);
    expect(result.related).toBe(true);
    expect(result.relevant).toBe(false);
  });

  it('finds the base a derived word comes from', () => {
    expect(baseForms(tokenize('younger')[0])).toContain(tokenize('young')[0]);
    expect(baseForms(tokenize('bigger')[0])).toContain(tokenize('big')[0]);
    expect(baseForms(tokenize('state')[0])).toEqual([]);
  });

  it('with vectors, a close enough passage is relevant whatever the words', () => {
    const result = judgeRelevance('Where do people earn the most?', [hit('New Jersey had the highest income.')], channelOf(['New Jersey had the highest income.']), 0.8);
    expect(result.relevant).toBe(true);
    expect(result.reason).toMatch(/similar/);
  });

  it('never refuses on statistics it does not have (documents indexed by an older version)', () => {
    const result = judgeRelevance('What is a good recipe for sourdough bread?', [hit('Anything.')], { passages: 10, frequencies: new Map(), complete: false }, undefined);
    expect(result.relevant).toBe(true);
  });

  it('refuses when no passage matched at all', () => {
    expect(judgeRelevance('How do I reset my password?', [], stats, undefined)).toMatchObject({ relevant: false, related: false });
  });
});
