import { describe, expect, it } from 'vitest';
import { chunkPage } from '../../../../src/core/knowledge/ingest/chunker.js';
import { findTables, isTableRow } from '../../../../src/core/knowledge/ingest/tables.js';

// The shape pdf.js gives a statistical table: dot leaders, tab-separated cells, footnote marks.
const page = [
  'Table B-1.',
  'Percentage of People Without Health Insurance Coverage by State: 2021 and 2022',
  'State',
  '2022 \t2021 \tChange',
  'Uninsured',
  '(percent)',
  'Margin of',
  'error1',
  'United States \t8.0 \t0.1 \t8.6 \t0.1 \t*–0.6',
  ...Array.from({ length: 40 }, (_, i) => `State${String.fromCharCode(65 + (i % 26))}${i} . . . . . . . . . . . \t${(5 + i / 10).toFixed(1)} \t0.2 \t${(6 + i / 10).toFixed(1)} \t0.3 \t*–0.${i % 9}`),
  'Florida . . . . . . . . . . . . . . . . . . \t11.2 \t0.2 \t12.1 \t0.2 \t*–0.9',
  'Alaska2 . . . . . . . . . . . . . . . . . . \t11.0 \t0.8 \t11.4 \t0.8 \t–0.4',
  '* Denotes a statistically significant change between 2021 and 2022 at the 90 percent confidence level.',
].join('\n');

describe('tables', () => {
  it('tells table rows from prose', () => {
    expect(isTableRow('Florida . . . . \t11.2 \t0.2 \t12.1 \t0.2')).toBe(true);
    expect(isTableRow('Texas 16.6 0.2 18.0 0.2 *–1.4 0.3')).toBe(true);
    expect(isTableRow('In 2022, the uninsured rate was 8.0 percent, down from 8.6 percent.')).toBe(false);
    expect(isTableRow('Between 2021 and 2022')).toBe(false);
  });

  it('finds a table with the short header lines above its rows, not the caption', () => {
    const lines = page.split('\n');
    const [table] = findTables(lines, (i) => i < 2);
    expect(table).toBeDefined();
    expect(lines[table!.headerStart]).toBe('State');
    expect(lines[table!.firstRow]).toMatch(/^United States/);
    expect(lines[table!.end - 1]).toMatch(/^Alaska2/);
  });

  it('cuts a long table into small passages that each repeat the column headers, without dot leaders', () => {
    const chunks = chunkPage(13, page, { targetChars: 1200, overlapChars: 150 }, { heading: undefined });
    const rows = chunks.filter((c) => /\d \d/.test(c.text));
    expect(rows.length).toBeGreaterThan(1);
    for (const chunk of rows) {
      expect(chunk.text.startsWith('State 2022 2021 Change Uninsured (percent) Margin of error1')).toBe(true);
      expect(chunk.text).not.toContain('. . .');
      expect(chunk.text.length).toBeLessThanOrEqual(700);
    }
    const florida = rows.find((c) => c.text.includes('Florida 11.2 0.2 12.1 0.2 *–0.9'));
    expect(florida).toBeDefined();
    expect(chunks.at(-1)?.text).toMatch(/^\* Denotes/);
  });
});
