import { describe, expect, it } from 'vitest';
import { pptxParts, xlsxParts } from '../../../../src/core/providers/readers/office-documents.js';
import { alice, bufferFile, scope, startCore, testConfig } from '../../../helpers/core.js';
import { buildPptx, buildXlsx } from '../../../helpers/office.js';

// PowerPoint and Excel keep every word: tables, groups, placeholders and notes; cells as Excel shows them.

describe('PowerPoint slides', () => {
  it('reads a table row by row with its header row, and a slide whose body is a table is indexed and found', async () => {
    const deck = buildPptx([
      {
        elements: [
          { shape: ['Ferry fleet'], placeholder: 'title' },
          {
            table: [
              ['Vessel', 'Route', 'Crossings'],
              ['Aurora', 'Tallinn', '12 a day'],
              ['Borealis', ['Riga', 'Ventspils'], '4 a day'],
            ],
          },
        ],
      },
    ]);
    const [slide] = pptxParts(deck);
    expect(slide).toEqual({ section: 'Ferry fleet', text: 'Ferry fleet\n\nVessel: Aurora; Route: Tallinn; Crossings: 12 a day\nVessel: Borealis; Route: Riga • Ventspils; Crossings: 4 a day' });

    const core = await startCore(testConfig(), { embedder: null });
    await core.start();
    const here = scope('C-slides');
    await core.knowledge.ingest(here, bufferFile('fleet.pptx', deck), alice);
    const { hits } = await core.knowledge.search(here, 'Borealis Ventspils crossings', 1);
    expect(hits[0]).toMatchObject({ file: 'fleet.pptx', page: 1 });
    expect(hits[0]?.text).toContain('Vessel: Borealis; Route: Riga • Ventspils; Crossings: 4 a day');
    await core.close();
  });

  it('keeps merged and spanning cells under the right headers; a one-row table is its cells’ text', () => {
    const [slide] = pptxParts(
      buildPptx([
        {
          elements: [
            { shape: ['Timetable'], placeholder: 'title' },
            {
              table: [
                ['Day', 'Morning', 'Evening'],
                ['Monday', { text: 'No service (holiday)', span: 2 }, { merged: 'h' }],
                ['Tuesday', '07:40', '19:10'],
              ],
            },
            { table: [[['Bring a ticket', 'Bikes go free'], 'Dogs on a lead']] },
          ],
        },
      ]),
    );
    expect(slide?.text.split('\n').slice(2)).toEqual(['Day: Monday; Morning: No service (holiday)', 'Day: Tuesday; Morning: 07:40; Evening: 19:10', 'Bring a ticket', 'Bikes go free', 'Dogs on a lead']);
  });

  it('reads grouped shapes (nested groups too), body placeholders whose text is on the slide, and text once when an alternate rendering repeats it', () => {
    const [slide] = pptxParts(
      buildPptx([
        {
          elements: [
            { shape: ['Review process'], placeholder: 'title' },
            { shape: ['Anyone may start a review.'], placeholder: '' },
            { group: [{ shape: ['Product manager'] }, { group: [{ shape: ['Engineer'] }, { shape: ['Legal counsel'] }] }] },
            { alternate: [{ shape: ['Executive committee'] }] },
          ],
        },
      ]),
    );
    expect(slide?.text).toBe('Review process\n\nAnyone may start a review.\nProduct manager\nEngineer\nLegal counsel\nExecutive committee');
  });

  it('reads speaker notes with their slide, never slide numbers or dates (placeholders or fields)', () => {
    const [slide] = pptxParts(
      buildPptx([
        {
          elements: [
            { shape: ['Budget'], placeholder: 'title' },
            { shape: ['Dredging costs 4.2 million euros.'] },
            { shape: [{ runs: [{ text: '7', field: 'slidenum' }] }] },
            { shape: [{ runs: [{ text: 'Page ' }, { text: '3/5/2026', field: 'datetime1' }] }] },
            { shape: ['Harbour authority'], placeholder: 'ftr' },
          ],
          notes: ['Mention the grant from the port fund.'],
        },
      ]),
    );
    expect(slide?.text).toBe('Budget\n\nDredging costs 4.2 million euros.\nPage\n\nNotes: Mention the grant from the port fund.');
  });

  it('without a title placeholder, the one paragraph set larger than all other text is the title; an untitled slide is cited as itself', () => {
    const parts = pptxParts(
      buildPptx([
        {
          elements: [
            { table: [['Type', 'Avoidance'], ['Unplanned inclusion', 'Training']] },
            { shape: ['Intellectual property pitfalls'], size: 40 },
            { shape: ['Scan the code base regularly.'], size: 24 },
          ],
          // A notes page is never given a title: its one paragraph stays its text.
          notes: [{ runs: [{ text: 'The first pitfall is mixing licences.', size: 12 }] }],
        },
        { elements: [{ shape: ['Two short lines'], size: 20 }, { shape: ['of the same size'], size: 20 }] },
      ]),
    );
    expect(parts[0]).toEqual({
      section: 'Intellectual property pitfalls',
      text: 'Intellectual property pitfalls\n\nType: Unplanned inclusion; Avoidance: Training\nScan the code base regularly.\n\nNotes: The first pitfall is mixing licences.',
    });
    expect(parts[1]).toEqual({ section: 'slide 2', text: 'Two short lines\nof the same size' });
  });
});

describe('Excel cells as displayed', () => {
  const cells = (rows: Parameters<typeof buildXlsx>[0][number]['rows'], options?: { date1904?: boolean }) => xlsxParts(buildXlsx([{ name: 'Data', rows }], options)).map((p) => p.text).join('\n');

  it('dates, times and date-times in their formats; an all-numeric date gets its ISO form beside it', () => {
    const serial = 42379; // 2016-01-10
    const text = cells([
      ['Format', 'Shown'],
      ['short', { value: serial, format: 'm/d/yy' }],
      ['built-in 14', { value: serial, format: 14 }],
      ['day month', { value: serial, format: 'd-mmm-yy' }],
      ['long', { value: serial, format: '[$-409]mmmm d, yyyy;@' }],
      ['iso', { value: serial, format: 'yyyy-mm-dd' }],
      ['time', { value: 0.75, format: 20 }],
      ['clock', { value: 0.75, format: 18 }],
      ['stamp', { value: serial + 0.5, format: 22 }],
    ]);
    expect(text).toContain('Format: short; Shown: 1/10/16 (2016-01-10)');
    expect(text).toContain('Format: built-in 14; Shown: 1/10/2016 (2016-01-10)');
    expect(text).toContain('Format: day month; Shown: 10-Jan-16');
    expect(text).toContain('Format: long; Shown: January 10, 2016');
    expect(text).toContain('Format: iso; Shown: 2016-01-10\n');
    expect(text).toContain('Format: time; Shown: 18:00');
    expect(text).toContain('Format: clock; Shown: 6:00 PM');
    expect(text).toContain('Format: stamp; Shown: 1/10/2016 12:00 (2016-01-10)');
  });

  it('the 1904 date system of workbook.xml shifts serial numbers by 1,462 days', () => {
    expect(cells([['Event', 'Date'], ['launch', { value: 40917, format: 'd-mmm-yyyy' }]], { date1904: true })).toBe('Event: launch; Date: 10-Jan-2016');
    expect(cells([['Event', 'Date'], ['launch', { value: 40917, format: 'd-mmm-yyyy' }]])).toBe('Event: launch; Date: 9-Jan-2012');
  });

  it('percentages, currency, thousands separators and fixed decimals; General without float noise', () => {
    const text = cells([
      ['What', 'Value'],
      ['share', { value: 0.125, format: '0.0%' }],
      ['rounded share', { value: 0.125, format: 9 }],
      ['precise share', { value: 0.125, format: 10 }],
      ['people', { value: 1234567.891, format: 3 }],
      ['amount', { value: 1234567.891, format: 4 }],
      ['price', { value: 1234.5, format: 7 }],
      ['loss', { value: -1234.5, format: 8 }],
      ['fee', { value: 48200, format: '#,##0.00 "EUR"' }],
      ['pi', { value: 3.14159, format: 2 }],
      ['sum', 0.1 + 0.2],
      ['id', 1234567890123],
      ['flag', true],
      ['note', { inline: 'written inline' }],
    ]);
    for (const line of [
      'What: share; Value: 12.5%',
      'What: rounded share; Value: 13%',
      'What: precise share; Value: 12.50%',
      'What: people; Value: 1,234,568',
      'What: amount; Value: 1,234,567.89',
      'What: price; Value: $1,234.50',
      'What: loss; Value: ($1,234.50)',
      'What: fee; Value: 48,200.00 EUR',
      'What: pi; Value: 3.14',
      'What: sum; Value: 0.3',
      'What: id; Value: 1234567890123',
      'What: flag; Value: TRUE',
      'What: note; Value: written inline',
    ]) {
      expect(text.split('\n')).toContain(line);
    }
  });

  it('finds the header below a title and notes: they are kept as text of the first part, as are notes under the table', () => {
    const parts = xlsxParts(
      buildXlsx([
        {
          name: 'Deaths',
          rows: [
            ['Notable deaths of 2016'],
            ['compiled by', null, null, null, 'the archive team'],
            ['from', 'public', 'records', null, 'and obituaries'],
            [],
            ['Name', 'Profession', 'Age', 'Has kids', 'Date of death'],
            ['David Bowie', 'musician', 69, true, { value: 42379, format: 'd-mmm-yy' }],
            ['Carrie Fisher', 'actor', 60, true, { value: 42731, format: 'd-mmm-yy' }],
            ['Prince', 'musician', 57, true, { value: 42481, format: 'd-mmm-yy' }],
            ['Source'],
            [null, 'the archive, updated yearly'],
          ],
        },
      ]),
    );
    expect(parts).toHaveLength(1);
    expect(parts[0]?.section).toBe('sheet Deaths, rows 1–10');
    expect(parts[0]?.text.split('\n')).toEqual([
      'Notable deaths of 2016',
      'compiled by the archive team',
      'from public records and obituaries',
      'Name: David Bowie; Profession: musician; Age: 69; Has kids: TRUE; Date of death: 10-Jan-16',
      'Name: Carrie Fisher; Profession: actor; Age: 60; Has kids: TRUE; Date of death: 27-Dec-16',
      'Name: Prince; Profession: musician; Age: 57; Has kids: TRUE; Date of death: 21-Apr-16',
      'Source',
      'the archive, updated yearly',
    ]);
  });

  it('a label column left of the headers, group labels inside a table, and sparse rows stay in the table', () => {
    const text = cells([
      ['Projection errors'],
      [null, 'Budget Year', 'Year 6', 'Year 11'],
      ['Deficits'],
      ['Average error', 0.2, null, 1.1],
      ['Absolute error', 1.1, 2.1, 2.5],
      ['Debt'],
      ['Average error', 0.2, 0.2, 3.5],
    ]);
    expect(text.split('\n')).toEqual(['Projection errors', 'Deficits', 'Average error; Budget Year: 0.2; Year 11: 1.1', 'Absolute error; Budget Year: 1.1; Year 6: 2.1; Year 11: 2.5', 'Debt', 'Average error; Budget Year: 0.2; Year 6: 0.2; Year 11: 3.5']);
  });

  it('a sheet of one row, or without a header, keeps every cell', () => {
    expect(cells([['Harbour', 'Crane', 'Ferry']])).toBe('Harbour Crane Ferry');
    expect(cells([[2024, 4100], [2025, 4200]])).toBe('2024; 4100\n2025; 4200');
  });
});
