import { describe, expect, it } from 'vitest';
import { readTextDocument } from '../../../../src/core/providers/readers/text-reader.js';
import { alice, bufferFile, scope, startCore, testConfig } from '../../../helpers/core.js';
import { makeDocx } from '../../../helpers/docx.js';

// Markdown, HTML, Word and CSV: every word the author wrote, and none of the markup around it.

const read = (kind: 'markdown' | 'html' | 'csv', text: string) => readTextDocument(kind, Buffer.from(text));

describe('Markdown', () => {
  it('YAML front matter is not body text; its title names the part before the first heading', async () => {
    const parts = await read('markdown', '---\nparent: Meetings\ntitle: "Harbour board minutes"\ntags: [ferries, cranes]\n---\n\nThe board met on the quay.\n\n## Decisions\n\nTwo cranes are bought.\n');
    expect(parts).toEqual([
      { section: 'Harbour board minutes', text: 'The board met on the quay.' },
      { section: 'Decisions', text: 'Two cranes are bought.' },
    ]);
  });

  it('TOML front matter (+++) is not body text either, and gives the title too', async () => {
    const parts = await read('markdown', '+++\ntitle = "Dredging plan"\ndraft = true\n+++\n\nDredging starts in May.\n');
    expect(parts).toEqual([{ section: 'Dredging plan', text: 'Dredging starts in May.' }]);
  });

  it('a thematic break at the top followed by prose is not taken for front matter', async () => {
    // CommonMark: a line underlined by --- is a heading; its words are kept as the section's name.
    const parts = await read('markdown', '---\nThe ferry leaves at noon.\n---\n\nTickets at the office.\n');
    expect(parts).toEqual([{ section: 'The ferry leaves at noon.', text: 'Tickets at the office.' }]);
  });

  it('template tags ({{ … }}, {% … %}) are not indexed; in code blocks they are the code', async () => {
    const parts = await read('markdown', '# Install\n\n{% include note.html content="hidden include" %}Run the installer for {{ site.product }} on the quay; set `{{ .Values.tag }}`.\n\n```\n{{ .Values.image }}\n```\n');
    const text = parts.map((p) => p.text).join('\n');
    expect(text).toContain('Run the installer for');
    expect(text).toContain('on the quay;');
    expect(text).not.toMatch(/hidden include|site\.product/);
    expect(text).toContain('{{ .Values.image }}');
    expect(text).toContain('set {{ .Values.tag }}.');
  });

  it('ordered lists keep their numbers', async () => {
    expect(await read('markdown', '## Release\n\n3. Tag the release\n4. Upload the files\n')).toEqual([{ section: 'Release', text: '3. Tag the release\n4. Upload the files' }]);
  });

  it('task lists keep whether each item is checked, and raw HTML keeps its text', async () => {
    const parts = await read('markdown', '## Attendance\n\n- [x] Cory Omand\n- [ ] Bill Roberts\n\n<details><summary>Antitrust notice</summary>\n\nMeetings follow the policy.\n</details>\n\n<!-- not for readers -->\n');
    expect(parts).toEqual([{ section: 'Attendance', text: '• [x] Cory Omand\n• [ ] Bill Roberts\n\nAntitrust notice\n\nMeetings follow the policy.' }]);
  });
});

describe('HTML and CSV', () => {
  it('the page title names the part before the first heading', async () => {
    const parts = await read('html', '<html><head><title>Harbour guide</title></head><body><p>Welcome aboard.</p><h2>Tickets</h2><p>Sold at the office.</p></body></html>');
    expect(parts).toEqual([
      { section: 'Harbour guide', text: 'Welcome aboard.' },
      { section: 'Tickets', text: 'Sold at the office.' },
    ]);
  });

  it('a CSV file of one row keeps its words', async () => {
    expect(await read('csv', 'Harbour,Crane maintenance,48200\n')).toEqual([{ section: 'row 1', text: 'Harbour; Crane maintenance; 48200' }]);
  });
});

describe('headings the format marks are trusted over guesses', () => {
  it('a numbered line or a capitalised line in a Word, Markdown or HTML section does not become a heading', async () => {
    const core = await startCore(testConfig(), { embedder: null });
    await core.start();
    const here = scope('C-trusted');
    const docx = makeDocx([{ heading: 'Evaluation categories', paragraphs: ['13. Process Adherence Audits 15', 'Audits check that the compliance process is followed by every team.'] }]);
    await core.knowledge.ingest(here, bufferFile('handbook.docx', docx), alice);
    await core.knowledge.ingest(here, bufferFile('caveats.md', Buffer.from('## Caveats\n\nCREATE TABLESPACE\nis logged with an absolute path, so the replay lands on the same disk layout.\n')), alice);
    await core.knowledge.ingest(here, bufferFile('notes.html', Buffer.from('<h1>Failover</h1><p>Promote Replica Zone<br>the replica in zone B takes over within a minute of the primary failing.</p>')), alice);
    const heading = async (query: string) => (await core.knowledge.search(here, query, 1)).hits[0]?.heading;
    expect(await heading('audits compliance process followed')).toBe('Evaluation categories');
    expect(await heading('tablespace absolute path replay')).toBe('Caveats');
    expect(await heading('replica zone takes over')).toBe('Failover');
    await core.close();
  });
});
