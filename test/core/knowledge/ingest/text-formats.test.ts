import { describe, expect, it } from 'vitest';
import type { Core } from '../../../../src/core/index.js';
import { xlsxParts } from '../../../../src/core/providers/readers/office-documents.js';
import { alice, bufferFile, scope, startCore, testConfig } from '../../../helpers/core.js';
import { makeDocx, makePptx, makeXlsx, zipDeclaring } from '../../../helpers/docx.js';

// Markdown, HTML, CSV and plain text are indexed like PDFs and cited by section, rows or lines.

const runbook = `# Runbook

Who to call and what to do when the primary database fails.

## Failover

Promote the replica in zone B with \`pg_ctl promote\`, then point the **service** at it.
The [status page](https://status.example.com) is updated by the on-call engineer.

## Backups

Nightly backups are kept for 35 days in the cold bucket.

\`\`\`
# this is a comment in code, not a heading
restore --from cold-bucket
\`\`\`
`;

const page = `<!doctype html><html><head><title>Ferries</title><style>.x { color: red }</style>
<script>var secretToken = "zebra-quokka-7";</script></head>
<body><nav><a href="/">Home</a> <a href="/timetables">Timetables</a> navigationonlyword</nav>
<header>Harbour authority headerword</header>
<main><h1>Night ferries</h1><p>The night ferry to Tallinn leaves at 22:30 from terminal&nbsp;B.</p>
<h2>Tickets</h2><p>Tickets are sold at the harbour office &amp; online.</p>
<table><tr><th>Route</th><th>Price</th></tr><tr><td>Tallinn</td><td>38 euros</td></tr></table></main>
<footer>Copyright footerword</footer></body></html>`;

function budgetCsv(): string {
  const rows = ['Team,Item,Amount (EUR)'];
  for (let i = 1; i <= 40; i++) rows.push(`Team ${i},Item ${i},${i * 100}`);
  rows[17] = 'Harbour,Crane maintenance,48200';
  return rows.join('\n');
}

async function indexed(files: [string, string | Buffer][]) {
  const core = await startCore(testConfig(), { embedder: null });
  await core.start();
  const here = scope('C-formats');
  for (const [name, content] of files) await core.knowledge.ingest(here, bufferFile(name, Buffer.isBuffer(content) ? content : Buffer.from(content)), alice);
  return { core, here };
}

const cited = async (core: Core, here: ReturnType<typeof scope>, question: string) => (await core.answers.answer(here, question)).citations.map((c) => `${c.file}, ${c.location}`);

describe('documents beyond PDFs', () => {
  it('Markdown is cited by section; code blocks are text, not headings', async () => {
    const { core, here } = await indexed([['runbook.md', runbook]]);
    const [doc] = await core.knowledge.list(here);
    expect(doc).toMatchObject({ name: 'runbook.md', pages: 3 });
    expect((await cited(core, here, 'How do I promote the replica in zone B?'))[0]).toBe('runbook.md, § Failover');
    expect((await cited(core, here, 'How long are nightly backups kept?'))[0]).toBe('runbook.md, § Backups');
    const answer = await core.answers.answer(here, 'promote the replica status page');
    expect(answer.answer).not.toContain('**');
    expect(answer.answer).not.toContain('](https');
    await core.close();
  });

  it('HTML: scripts, styles, navigation, header and footer are never indexed; sections cite their heading', async () => {
    const { core, here } = await indexed([['ferries.html', page]]);
    expect((await cited(core, here, 'When does the night ferry to Tallinn leave?'))[0]).toBe('ferries.html, § Night ferries');
    expect((await cited(core, here, 'Where are tickets sold?'))[0]).toBe('ferries.html, § Tickets');
    for (const hidden of ['zebra-quokka-7 secretToken', 'navigationonlyword', 'headerword', 'footerword', 'color red']) {
      expect((await core.answers.answer(here, hidden)).grounded, hidden).toBe(false);
    }
    const answer = await core.answers.answer(here, 'What is the price of the Tallinn route?');
    expect(answer.answer).toMatch(/Tallinn \| 38 euros/);
    await core.close();
  });

  it('CSV rows keep their column headers and are cited by row numbers, as in a spreadsheet', async () => {
    const { core, here } = await indexed([['budget.csv', budgetCsv()]]);
    const answer = await core.answers.answer(here, 'How much is the crane maintenance for the harbour?');
    const [first] = answer.citations;
    expect(first?.file).toBe('budget.csv');
    const [, from, to] = /^rows (\d+)–(\d+)$/.exec(first?.location ?? '') ?? [];
    // The crane row is spreadsheet row 18 (the header is row 1); a citation names a few rows.
    expect(Number(from)).toBeLessThanOrEqual(18);
    expect(Number(to)).toBeGreaterThanOrEqual(18);
    expect(Number(to) - Number(from)).toBeLessThan(25);
    const { hits } = await core.knowledge.search(here, 'crane maintenance harbour', 1);
    expect(hits[0]?.text).toContain('Team: Harbour; Item: Crane maintenance; Amount (EUR): 48200');
    await core.close();
  });

  it('quotes the CSV row that answers, not the first rows of its passage', async () => {
    const rows = ['ope id,institution name,city,institution type'];
    for (let i = 1; i <= 24; i++) rows.push(`"${1000 + i}",school number ${i},town ${i},proprietary`);
    rows[15] = '"2042",Harbour Medical Academy,Clearwater,nonprofit';
    const { core, here } = await indexed([['colleges.csv', rows.join('\n')]]);
    const answer = await core.answers.answer(here, 'what type of institution is Harbour Medical Academy and where?');
    expect(answer.citations[0]?.excerpt).toContain('institution name: Harbour Medical Academy; city: Clearwater; institution type: nonprofit');
    await core.close();
  });

  it('plain text is cited by lines; Windows-1252 text is read right', async () => {
    const lines = Array.from({ length: 130 }, (_, i) => `Line ${i + 1} of the log.`);
    lines[99] = 'The pump in the café basement failed at 03:14.';
    const { core, here } = await indexed([['log.txt', Buffer.from(lines.join('\r\n'), 'latin1')]]);
    const answer = await core.answers.answer(here, 'When did the pump in the café basement fail?');
    expect(answer.citations[0]).toMatchObject({ file: 'log.txt', location: 'lines 61–120' });
    expect(answer.answer).toContain('café');
    await core.close();
  });

  it('Word documents are cited by section, from their heading styles', async () => {
    const docx = makeDocx([
      { paragraphs: ['Operations handbook for the harbour.'] },
      { heading: 'Failover', paragraphs: ['Promote the replica in zone B, then point the service at it.'] },
      { heading: 'Backups', paragraphs: ['Nightly backups are kept for 35 days in the cold bucket.'] },
    ]);
    const { core, here } = await indexed([['handbook.docx', docx]]);
    expect((await core.knowledge.list(here))[0]).toMatchObject({ name: 'handbook.docx', pages: 3 });
    expect((await cited(core, here, 'How do I promote the replica in zone B?'))[0]).toBe('handbook.docx, § Failover');
    expect((await cited(core, here, 'How long are nightly backups kept?'))[0]).toBe('handbook.docx, § Backups');
    await core.close();
  });

  it('PowerPoint slides are read in the deck’s order with their notes and cited by slide', async () => {
    const deck = makePptx([
      { title: 'Harbour plan 2027', body: ['Agenda for the board.'] },
      { title: 'New cranes', body: ['Two electric cranes arrive in March.', 'Each lifts 65 tonnes.'], notes: 'Mention the grant from the port fund.' },
      { title: 'Budget', body: ['The dredging costs 4.2 million euros.'] },
    ]);
    const { core, here } = await indexed([['plan.pptx', deck]]);
    expect((await core.knowledge.list(here))[0]).toMatchObject({ name: 'plan.pptx', pages: 3 });
    expect((await cited(core, here, 'When do the electric cranes arrive?'))[0]).toBe('plan.pptx, slide 2');
    expect((await cited(core, here, 'Which grant should be mentioned?'))[0]).toBe('plan.pptx, slide 2');
    expect((await cited(core, here, 'How much does the dredging cost?'))[0]).toBe('plan.pptx, slide 3');
    await core.close();
  });

  it('Excel sheets keep their column headers with every row and are cited by sheet and rows', async () => {
    const book = makeXlsx([
      { name: 'Summary', rows: [['Year', 'Ships'], [2025, 4100], [2026, 4200]] },
      { name: 'Budget', rows: [['Team', 'Item', 'Amount'], ...Array.from({ length: 30 }, (_, i) => [`Team ${i + 1}`, `Item ${i + 1}`, (i + 1) * 100] as (string | number)[]).map((row, i) => (i === 12 ? ['Harbour', 'Crane maintenance', 48200] : row))] },
    ]);
    const { core, here } = await indexed([['accounts.xlsx', book]]);
    const answer = await core.answers.answer(here, 'How much is the crane maintenance for the harbour?');
    const [, sheet, from, to] = /^sheet (\w+), rows (\d+)–(\d+)$/.exec(answer.citations[0]?.location ?? '') ?? [];
    expect(sheet).toBe('Budget');
    // The crane row is row 14 of the sheet (header in row 1).
    expect(Number(from)).toBeLessThanOrEqual(14);
    expect(Number(to)).toBeGreaterThanOrEqual(14);
    const { hits } = await core.knowledge.search(here, 'crane maintenance harbour', 1);
    expect(hits[0]?.text).toContain('Team: Harbour; Item: Crane maintenance; Amount: 48200');
    expect((await cited(core, here, 'How many ships came in 2026?'))[0]).toBe('accounts.xlsx, sheet Summary, rows 2–3');
    await core.close();
  });

  it('a workbook with more cells than Docent reads is refused, naming the limit (a lower limit here for speed)', () => {
    const book = makeXlsx([{ name: 'Huge', rows: Array.from({ length: 40 }, (_, r) => ['a', 'b', r]) }]);
    expect(() => xlsxParts(book, 100)).toThrow(/its sheets hold more than 100 cells, too many to index/);
    expect(xlsxParts(book, 1_000).length).toBeGreaterThan(0);
  });

  it('a .docx whose archive claims gigabytes (a zip bomb) is refused before anything is unpacked; a fake one says what it is', async () => {
    const core = await startCore(testConfig(), { embedder: null });
    await core.start();
    const here = scope('C-bombs');
    const refusal = (name: string, data: Buffer) => core.knowledge.ingest(here, bufferFile(name, data), alice).then(() => 'indexed', (e: { code: string; userMessage: string }) => `${e.code}: ${e.userMessage}`);
    expect(await refusal('bomb.docx', zipDeclaring('word/document.xml', 4_000_000_000))).toMatch(/^zip_bomb: Docent can't index “bomb\.docx”: it would unpack to 3815 MB in 1 part, over the limit of 256 MB \(MAX_UNPACKED_MB\): far more than a document holds/);
    expect(await refusal('bomb.xlsx', zipDeclaring('xl/worksheets/sheet1.xml', 3_000_000_000))).toMatch(/^zip_bomb: .*bomb\.xlsx/);
    expect(await refusal('fake.pptx', Buffer.from('text named like slides'))).toMatch(/^not_pptx: .*named \.pptx but is not a PowerPoint file/);
    expect(await refusal('fake.docx', Buffer.from('just text, named like a Word file'))).toMatch(/^not_docx: .*named \.docx but is not a Word document \(it looks like plain text\)/);
    expect(await refusal('broken.docx', Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(40)]))).toMatch(/^docx_corrupt: .*not a readable Office file/);
    expect(await core.knowledge.list(here)).toEqual([]);
    await core.close();
  });

  it('refuses binary data under a text name, an Office file, and an unknown format, each saying what it is', async () => {
    const core = await startCore(testConfig(), { embedder: null });
    await core.start();
    const here = scope('C-refused');
    const refusal = (name: string, data: Buffer) => core.knowledge.ingest(here, bufferFile(name, data), alice).then(() => 'indexed', (e: { code: string; userMessage: string }) => `${e.code}: ${e.userMessage}`);
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 73, 72, 68, 82]);
    expect(await refusal('notes.txt', png)).toMatch(/^binary_text: Docent can't index “notes\.txt”: it is named like a text file, but it looks like binary data, not text \(a PNG image\)/);
    expect(await refusal('data.csv', Buffer.concat([Buffer.from('a,b\n'), Buffer.alloc(64)]))).toMatch(/^binary_text: .*named like a CSV file/);
    expect(await refusal('plan.odp', Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).toMatch(
      /^unsupported_format: .*Docent reads PDF, Word \(\.docx\), PowerPoint \(\.pptx\), Excel \(\.xlsx\), Markdown \(\.md\), HTML \(\.html\), CSV \(\.csv, \.tsv\) and plain text \(\.txt\), and this is none of them \(it looks like a ZIP archive/,
    );
    expect(await refusal('empty.md', Buffer.alloc(0))).toMatch(/^pdf_empty: .*empty/);
    expect(await refusal('blank.md', Buffer.from('\n\n   \n'))).toMatch(/^no_text: Docent can't index “blank\.md”: it holds no text to index/);
    expect(await core.knowledge.list(here)).toEqual([]);
    await core.close();
  });
});
