import { describe, expect, it } from 'vitest';
import { baseForms, judgeRelevance } from '../../../src/core/knowledge/relevance.js';
import type { TermStats } from '../../../src/core/ports.js';
import type { SearchHit } from '../../../src/core/types.js';

const hit = (text: string, heading?: string): SearchHit => ({ chunkId: text, documentId: 'd', file: 'report.pdf', page: 1, heading, text, score: 1 });
const stats = (frequencies: Record<string, number>, passages = 200, complete = true): TermStats => ({ passages, frequencies: new Map(Object.entries(frequencies)), complete });
const channel = stats({ uninsur: 40, rate: 120, texa: 12, 2022: 150, state: 130, poverty: 60, good: 8, household: 30, income: 50 });

describe('relevance before any model call', () => {
  it('answers when the passages hold the question’s informative words', () => {
    const result = judgeRelevance('What was the uninsured rate in Texas in 2022?', [hit('In 2022 the uninsured rate ranged up to 16.6 percent in Texas.')], channel, undefined);
    expect(result.relevant).toBe(true);
    expect(result.coverage).toBeGreaterThan(0.9);
  });

  it('refuses when most of what is asked appears in no document', () => {
    const result = judgeRelevance('What is a good recipe for sourdough bread?', [hit('A good job offers steady employment.')], channel, undefined);
    expect(result.relevant).toBe(false);
    expect(result.missing).toEqual(['recipe', 'sourdough', 'bread']);
  });

  it('refuses a question about a name the documents never mention, even sharing a common word', () => {
    const result = judgeRelevance('What was the poverty rate in Tokyo?', [hit('The poverty rate was 12.6 percent.')], channel, undefined);
    expect(result.relevant).toBe(false);
    expect(result.missing).toEqual(['Tokyo']);
  });

  it('does not refuse a paraphrase with one unknown word', () => {
    const result = judgeRelevance('Which states had the poorest households?', [hit('Mississippi had the lowest household income of any state.')], channel, undefined);
    expect(result.relevant).toBe(true);
  });

  it('refuses a question whose subject is a noun the documents never use, though its other words match', () => {
    const passage = [hit('The rules for the state poverty measure changed in 2022.')];
    const result = judgeRelevance('What are the rules of cricket?', passage, stats({ rule: 10, state: 130, poverty: 60 }), undefined);
    expect(result.relevant).toBe(false);
    expect(result.missing).toEqual(['cricket']);
  });

  it('weighs unknown modifiers, comparatives, numbers and everyday words as possible paraphrases', () => {
    const words = stats({ old: 20, householder: 30, earn: 25, library: 40, budget: 15, 2022: 60 });
    const comparative = judgeRelevance('Do older or younger householders earn more?', [hit('Older householders earn more than others.')], words, undefined);
    expect(comparative.relevant).toBe(true);
    const everyday = judgeRelevance('How much money did the library have in 2022?', [hit('The library budget was 2.4 million euros in 2022.')], words, undefined);
    expect(everyday.relevant).toBe(true);
    const year = judgeRelevance('What was the library budget in 1990?', [hit('The library budget was 2.4 million euros in 2022.')], words, undefined);
    expect(year.relevant).toBe(true);
    // The same sentence shape with a noun instead: another subject.
    const noun = judgeRelevance('How much sourdough did the library have in 2022?', [hit('The library budget was 2.4 million euros in 2022.')], words, undefined);
    expect(noun.relevant).toBe(false);
  });

  it('finds the base a derived word comes from', () => {
    expect(baseForms('younger')).toContain('young');
    expect(baseForms('bigger')).toContain('big');
    expect(baseForms('happiest')).toContain('happy');
    expect(baseForms('state')).toEqual([]);
  });

  it('with vectors, a close enough passage is relevant whatever the words', () => {
    const result = judgeRelevance('Where do people earn the most?', [hit('New Jersey had the highest income.')], stats({ income: 50 }), 0.8);
    expect(result.relevant).toBe(true);
    expect(result.reason).toMatch(/similar/);
  });

  it('never refuses on statistics it does not have (documents indexed by an older version)', () => {
    const result = judgeRelevance('What is a good recipe for sourdough bread?', [hit('Anything.')], stats({}, 10, false), undefined);
    expect(result.relevant).toBe(true);
  });

  it('refuses when no passage matched at all', () => {
    expect(judgeRelevance('How do I reset my password?', [], channel, undefined).relevant).toBe(false);
  });
});
