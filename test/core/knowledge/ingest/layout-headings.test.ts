import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { chunkPage, observePageEdges, type ChunkerState } from '../../../../src/core/knowledge/ingest/chunker.js';
import { headingRoles, observeRepeatedLines, repeatedIn } from '../../../../src/core/knowledge/ingest/layout-headings.js';
import type { LayoutLine } from '../../../../src/core/ports/ports.js';
import { PdfParseParser } from '../../../../src/core/providers/readers/pdf-parser.js';
import { sharedFile } from '../../../helpers/shared.js';

let y = 700;
const line = (text: string, size = 9, font = 'body', x = 50): LayoutLine => ({ text, font, size, share: 1, x, y: (y -= size + 4), width: text.length * size * 0.5 });
const body = (n: number) => Array.from({ length: n }, (_, i) => line(i % 3 === 2 ? `the end of a sentence number ${i}.` : `body text running on in its column ${i}`));

describe('headings from layout', () => {
  it('marks larger and bold lines as headings and joins a heading set on several lines', () => {
    const lines = [line('WORKERS’ DEMOGRAPHIC', 10, 'bold'), line('AND EMPLOYMENT', 10, 'bold'), line('CHARACTERISTICS', 10, 'bold'), ...body(9), line('Differences in the Uninsured', 9, 'bold'), ...body(6)];
    const roles = headingRoles(lines);
    expect(roles.slice(0, 3)).toEqual(['heading', 'more', 'more']);
    expect(roles[12]).toBe('heading');
    expect(roles.filter((r) => r !== undefined)).toHaveLength(4);
  });

  it('never takes map scale bars, legends, axis labels or body sentences for headings', () => {
    const lines = [...body(12), line('0 100 Miles', 12, 'label'), line('9.6 or more', 7, 'legend'), line('(In percent)', 10, 'bold'), line('However, New York’s Gini index', 9, 'body'), line('contact@census.gov', 10, 'bold')];
    expect(headingRoles(lines).every((r) => r === undefined)).toBe(true);
  });

  it('treats many lines in one style as chart labels, and a long styled block as a text box', () => {
    const labels = ['Texas', 'Florida', 'Georgia', 'Alabama', 'Kansas', 'Nevada', 'Oregon', 'Utah Idaho', 'Maine', 'Ohio'].map((t) => line(t, 10, 'label', 300 + t.length * 40));
    const box = Array.from({ length: 6 }, (_, i) => line(`a bold paragraph of a text box line ${i}`, 9, 'box'));
    const roles = headingRoles([...body(12), ...labels, ...box]);
    expect(roles.every((r) => r === undefined)).toBe(true);
  });

  it('joins a caption label with the title under it', () => {
    const lines = [line('Table B-1.', 9, 'body'), line('Percentage of People Without Health Insurance Coverage by State: 2021 and 2022', 10, 'bold'), ...body(12)];
    expect(headingRoles(lines).slice(0, 2)).toEqual(['heading', 'more']);
  });
});

describe('lines that are never headings, whatever their type', () => {
  const at = (text: string, lineY: number, size = 11, font = 'bold'): LayoutLine => ({ text, font, size, share: 1, x: 50, y: lineY, width: text.length * size * 0.5 });
  const page = (top: LayoutLine[]) => [...top, ...Array.from({ length: 9 }, (_, i) => at(i % 3 === 2 ? `the end of a sentence number ${i}.` : `body text running on in its column ${i}`, 200 + i * 14, 9, 'body'))];

  it('a line repeated in the same place on several pages (a running header, a repeated column header) is not a heading', () => {
    const pages = ['Workshops', 'Training', 'Curriculum', 'Fundraising'].map((program, n) => page([at(`Profit and Loss - ${program}`, 60, 14), at('Jan - Dec 2022 % of Income % of Expense', 90), at(`Page ${n + 1}`, 780, 8, 'body')]));
    const seen = new Map<string, number>();
    observeRepeatedLines(seen, pages);
    for (const lines of pages) {
      const roles = headingRoles(lines, repeatedIn(seen));
      expect(roles[0]).toBe('heading');
      expect(roles[1]).toBeUndefined();
    }
    // The same words elsewhere on a page are still a heading: it is the place that repeats.
    expect(headingRoles(page([at('Jan - Dec 2022 % of Income % of Expense', 400)]), repeatedIn(seen))[0]).toBe('heading');
    // Seen on two pages only, a line may be a heading that happens to start both.
    const twice = new Map<string, number>();
    observeRepeatedLines(twice, pages.slice(0, 2));
    expect(headingRoles(pages[0] ?? [], repeatedIn(twice))[1]).toBe('heading');
  });

  it('shell command lines and code set in another font are not headings; neither is the rest of a code style', () => {
    for (const command of ['lilypond -e foo.ly', 'lilypond file.ly 1> stdout.txt', '-dbackend=svg', '#(use-modules (guile-user))', '% too dangerous to write', 'mkdir /mnt/lilyloop', 'export PATH=$HOME/bin', 'pdflatex yourfile.tex', 'filename:lineno: message']) {
      expect(headingRoles(page([at(command, 60, 9, 'mono')]))[0], command).toBeUndefined();
    }
    const code = [at('convert-ly -e myfile.ly', 60, 9, 'mono'), at('cd out', 74, 9, 'mono'), at('lilypond-book --pdf book.tely', 88, 9, 'mono')];
    expect(headingRoles(page(code)).slice(0, 3)).toEqual([undefined, undefined, undefined]);
    // Headings that merely name things with dots or slashes stay headings.
    for (const heading of ['2.1 Krylov.jl', 'Input/Output', 'Using the $5 fare']) expect(headingRoles(page([at(heading, 60, 14)]))[0], heading).toBe('heading');
  });

  it('bullet-glyph lines, citations and rows of amounts are not headings', () => {
    for (const line of ['• Training for engineers', '▪ Audit the code', '– Scope of the review', '*EXPANSION STATES', 'Pereira et al. XK.jl: Multi-GPU BLAS', '42 U.S.C. § 1983 Civil action', 'Roe v. Wade', 'JuliaCon Proceedings 8(85), 2026', 'Total 1 Team Salary 421,467.60 87.00 %']) {
      expect(headingRoles(page([at(line, 60, 14)]))[0], line).toBeUndefined();
    }
    expect(headingRoles(page([at('§ 12 Definitions', 60, 14)]))[0]).toBe('heading');
  });
});

describe('headings of the Census reports (written by hand from the documents)', () => {
  const census = (name: string) => sharedFile('samples', 'us_census', name);
  const parser = new PdfParseParser();
  afterAll(() => parser.close());

  async function headings(file: string): Promise<Map<number, string[]>> {
    const document = await parser.open(fs.readFileSync(file), { timeoutMs: 60_000 });
    const state: ChunkerState = { heading: undefined };
    const found = new Map<number, string[]>();
    try {
      for await (const pages of document.pages(50)) {
        observePageEdges(
          state,
          pages.map((p) => p.text),
          pages.map((p) => p.lines),
        );
        for (const page of pages) {
          const chunks = chunkPage(page.number, page.text, { targetChars: 1200, overlapChars: 200 }, state, page.lines);
          found.set(page.number, [...new Set(chunks.map((c) => c.heading ?? ''))]);
        }
      }
    } finally {
      await document.close();
    }
    return found;
  }

  it.skipIf(!census('p70-178.pdf'))('p70-178: sections and table captions, never “HIGHLIGHTS” for every page', async () => {
    const found = await headings(census('p70-178.pdf') ?? '');
    expect(found.get(3)).toEqual(['HIGHLIGHTS', 'WORKERS’ DEMOGRAPHIC AND EMPLOYMENT CHARACTERISTICS', 'TERMS AND DEFINITIONS']);
    expect(found.get(9)).toContain('Work From Home');
    expect(found.get(13)).toContain('Table 7. Median Monthly Earnings of Employed Workers by Occupation Group');
    const highlights = [...found.values()].filter((h) => h.includes('HIGHLIGHTS')).length;
    expect(highlights).toBeLessThanOrEqual(1);
  });

  it.skipIf(!census('acsbr-017.pdf'))('acsbr-017: no map scale or sentence is a heading', async () => {
    const found = await headings(census('acsbr-017.pdf') ?? '');
    const all = [...found.values()].flat();
    expect(all.some((h) => /Miles/.test(h))).toBe(false);
    expect(all.some((h) => /^However/.test(h))).toBe(false);
    expect(found.get(7)).toContain('INCOME INEQUALITY');
    expect(found.get(8)).toContain('SUMMARY');
  });

  it.skipIf(!census('acsbr-015.pdf'))('acsbr-015: appendix tables are cited by their caption', async () => {
    const found = await headings(census('acsbr-015.pdf') ?? '');
    expect(found.get(13)).toEqual(['Table B-1. Percentage of People Without Health Insurance Coverage by State: 2021 and 2022']);
    expect(found.get(2)).toEqual(['WHAT IS HEALTH INSURANCE COVERAGE?', 'Key Findings', 'DIFFERENCES IN THE UNINSURED RATE BY STATE']);
  });

  it.skipIf(!census('acsbr-016.pdf'))('acsbr-016: section headings, not “AREAS” for ten pages', async () => {
    const found = await headings(census('acsbr-016.pdf') ?? '');
    expect(found.get(6)).toEqual(expect.arrayContaining(['DEPTH OF POVERTY', 'HOW POVERTY IS MEASURED']));
    expect(found.get(10)).toContain('NEAR POVERTY');
    expect([...found.values()].flat()).not.toContain('AREAS');
  });
});
