import { describe, expect, it } from 'vitest';
import { compareVersions, sentencesOf, splitSentences } from '../../../../src/core/knowledge/versions/compare-versions.js';
import type { StoredPassage } from '../../../../src/core/ports/ports.js';

const passage = (ordinal: number, page: number, text: string, heading?: string): StoredPassage => ({ ordinal, page, heading, text });

describe('comparing two versions of a document', () => {
  it('splits sentences at line breaks and sentence ends, not at abbreviations followed by lower case or numbers inside sentences', () => {
    expect(splitSentences('The budget is 2.5 million. It was approved on 3 May.\nNext steps: review')).toEqual(['The budget is 2.5 million.', 'It was approved on 3 May.', 'Next steps: review']);
    expect(splitSentences('See e.g. the annex. “Quoted” sentences count too!')).toEqual(['See e.g. the annex.', '“Quoted” sentences count too!']);
  });

  it('leaves out the overlap a passage repeats from the one before it on the same page', () => {
    const sentences = sentencesOf('plan.pdf', [
      passage(0, 1, 'Alpha one is first. Beta two follows it. Gamma three closes the passage.'),
      // The chunker's overlap: the end of the previous passage, cut at a word.
      passage(1, 1, 'three closes the passage. Delta four starts the next.'),
      passage(2, 2, 'Delta four starts the next.'),
    ]);
    expect(sentences.map((s) => `${s.location}: ${s.text}`)).toEqual([
      'page 1: Alpha one is first.',
      'page 1: Beta two follows it.',
      'page 1: Gamma three closes the passage.',
      'page 1: Delta four starts the next.',
      // A new page is never an overlap.
      'page 2: Delta four starts the next.',
    ]);
  });

  it('names the pages with changed sentences, even when a page inserted before them shifts the rest', () => {
    const previous = [
      passage(0, 1, 'The project starts in January. The budget is 100 thousand euros.'),
      passage(1, 2, 'Risks are low. The team has four people.'),
      passage(2, 3, 'Appendix: contact the office.'),
    ];
    const current = [
      passage(0, 1, 'The project starts in January. The budget is 250 thousand euros.'),
      passage(1, 2, 'A new section about hiring. We hire two engineers.'),
      passage(2, 3, 'Risks are low. The team has four people.'),
      passage(3, 4, 'Appendix: contact the office.'),
    ];
    const comparison = compareVersions({ name: 'plan.pdf', passages: previous }, { name: 'plan.pdf', passages: current });
    expect(comparison.identical).toBe(false);
    expect(comparison.parts).toEqual([
      { location: 'page 1', kind: 'changed', removed: ['The budget is 100 thousand euros.'], added: ['The budget is 250 thousand euros.'] },
      { location: 'page 2', kind: 'changed', removed: [], added: ['A new section about hiring.', 'We hire two engineers.'] },
    ]);
    expect(comparison.sentences).toEqual({ previous: 5, current: 7, unchanged: 4, moved: 0 });
  });

  it('reports new and removed sections by name, and a sentence that only moved as moved', () => {
    const previous = [
      passage(0, 1, 'Failover takes five minutes. Call the on-call engineer.', 'Failover'),
      passage(1, 2, 'Backups run nightly.', 'Backups'),
    ];
    const current = [
      passage(0, 1, 'Call the on-call engineer. Failover takes five minutes.', 'Failover'),
      passage(1, 2, 'Monitoring pages the team.', 'Monitoring'),
    ];
    const comparison = compareVersions({ name: 'runbook.md', passages: previous }, { name: 'runbook.md', passages: current });
    expect(comparison.parts).toEqual([
      { location: '§ Backups', kind: 'removed', removed: ['Backups run nightly.'], added: [] },
      { location: '§ Monitoring', kind: 'added', removed: [], added: ['Monitoring pages the team.'] },
    ]);
    expect(comparison.sentences.moved).toBe(1);
  });

  it('finds nothing to report in two versions with the same text', () => {
    const same = [passage(0, 1, 'Nothing changed here.')];
    expect(compareVersions({ name: 'a.pdf', passages: same }, { name: 'a.pdf', passages: same })).toMatchObject({ identical: true, parts: [] });
  });

  it('compares long documents (thousands of sentences) and still names the one change', () => {
    const page = (n: number, changed = false) => passage(n, n + 1, Array.from({ length: 20 }, (_, i) => `Sentence ${i} of page ${n}${changed && i === 7 ? ' was edited' : ''}.`).join(' '));
    const previous = Array.from({ length: 300 }, (_, n) => page(n));
    const current = Array.from({ length: 300 }, (_, n) => page(n, n === 211));
    const comparison = compareVersions({ name: 'long.pdf', passages: previous }, { name: 'long.pdf', passages: current });
    expect(comparison.parts).toEqual([{ location: 'page 212', kind: 'changed', removed: ['Sentence 7 of page 211.'], added: ['Sentence 7 of page 211 was edited.'] }]);
  });
});
