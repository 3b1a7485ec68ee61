import { describe, expect, it } from 'vitest';
import { chunkPage, observePageEdges, toBlocks, type ChunkerState } from '../../../../src/core/knowledge/ingest/chunker.js';
import { isMeaningfulText } from '../../../../src/core/knowledge/ingest/text-quality.js';
import { prose } from '../../../helpers/pdfs.js';

const options = { targetChars: 1200, overlapChars: 200 };

describe('chunkPage', () => {
  it('keeps chunks between about 1,000 and 1,500 characters on a long page, each on that page', () => {
    const text = Array.from({ length: 12 }, (_, i) => prose(i + 1, 6)).join('\n\n');
    const chunks = chunkPage(7, text, options, { heading: undefined });
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks.slice(0, -1)) {
      expect(chunk.text.length).toBeGreaterThanOrEqual(600);
      expect(chunk.text.length).toBeLessThanOrEqual(1500);
    }
    expect(chunks.every((c) => c.page === 7)).toBe(true);
  });

  it('breaks at sentence boundaries and overlaps consecutive chunks', () => {
    const text = prose(3, 60); // one long paragraph
    const chunks = chunkPage(1, text, options, { heading: undefined });
    expect(chunks.length).toBeGreaterThan(2);
    for (const chunk of chunks) expect(chunk.text).toMatch(/\.$/);
    const tailOfFirst = chunks[0].text.slice(-150);
    const lastSentence = tailOfFirst.slice(tailOfFirst.lastIndexOf('. ', tailOfFirst.length - 3) + 2);
    expect(chunks[1].text.startsWith(lastSentence.slice(0, 30)) || chunks[1].text.includes(lastSentence.slice(0, 30))).toBe(true);
  });

  it('hard-splits a text with no sentence boundaries at word boundaries', () => {
    const text = Array.from({ length: 600 }, (_, i) => `word${i}`).join(' ');
    const chunks = chunkPage(1, text, options, { heading: undefined });
    expect(chunks.length).toBeGreaterThan(1);
    for (const chunk of chunks) expect(chunk.text.length).toBeLessThanOrEqual(1500);
    expect(chunks.map((c) => c.text).join(' ')).toContain('word599');
  });

  it('detects section headings and carries them to the next page', () => {
    const state: ChunkerState = { heading: undefined };
    const first = chunkPage(1, '2.1 Results of the Survey\nThe survey reached 4,000 households in 12 regions.', options, state);
    expect(first[0]).toMatchObject({ heading: '2.1 Results of the Survey', text: 'The survey reached 4,000 households in 12 regions.' });
    const second = chunkPage(2, 'Response rates were higher in rural areas than in cities overall.', options, state);
    expect(second[0].heading).toBe('2.1 Results of the Survey');
    const third = chunkPage(3, 'METHODOLOGY\nWe weighted responses by region and household size.', options, state);
    expect(third[0].heading).toBe('METHODOLOGY');
  });

  it('joins wrapped lines and words hyphenated across lines', () => {
    const [block] = toBlocks('The infor-\nmation was collec-\nted in 2023 and\npublished later.');
    expect(block.text).toBe('The information was collected in 2023 and published later.');
  });

  it('drops running headers and footers learned from several pages', () => {
    const pages = [1, 2, 3].map(
      (n) => `Annual Water Report\nReservoir level ${n} was recorded in detail by the survey team.\nThe same sentence shape repeats on every page.\nPage ${n} of 3\n${n} U.S. Water Office`,
    );
    const state: ChunkerState = { heading: undefined };
    observePageEdges(state, pages);
    const chunks = pages.flatMap((text, i) => chunkPage(i + 1, text, options, state));
    const all = chunks.map((c) => `${c.heading ?? ''} ${c.text}`).join('\n');
    expect(all).not.toMatch(/Page \d of 3|U\.S\. Water Office|Annual Water Report/);
    expect(all).toContain('Reservoir level 2 was recorded');
  });

  it('drops garbage text: control characters, operator soup, one repeated glyph', () => {
    expect(chunkPage(1, '\u0002\u0003\u0004\u0005\u0003\u0006\u0004\u0007\b \b \u0004\b', options, { heading: undefined })).toEqual([]);
    expect(isMeaningfulText('BT /F1 12 Tf 72 712 Td (x) Tj ET BT 1 0 0 1 Tm (y) Tj ET BT (z) Tj ET')).toBe(false);
    expect(isMeaningfulText('a'.repeat(500))).toBe(false);
    expect(isMeaningfulText('ab')).toBe(false);
    expect(isMeaningfulText('Hello, world!')).toBe(true);
    expect(isMeaningfulText('اﻟﻌﺮﺑﻴﺔ اخلﻄﻮط اﻧﻮاع')).toBe(true);
    expect(isMeaningfulText('㐂㐄㐆㐈㐊㐌㐎㐐')).toBe(true);
  });

  it('one glyph over and over is garbage; a word, line or phrase the writer repeated is text', () => {
    expect(isMeaningfulText(Array.from({ length: 40 }, () => 'ÿ').join(' '))).toBe(false);
    expect(isMeaningfulText(`Report ${Array.from({ length: 40 }, () => 'Tj').join(' ')}`)).toBe(false);
    expect(isMeaningfulText(Array.from({ length: 40 }, () => 'harbour').join('\n'))).toBe(true);
    expect(isMeaningfulText(Array.from({ length: 40 }, () => 'The ferry timetable changes in May').join(' '))).toBe(true);
  });

  it('returns nothing for an empty page', () => {
    expect(chunkPage(1, '   \n\n  ', options, { heading: undefined })).toEqual([]);
  });
});
