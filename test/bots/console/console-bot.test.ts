import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConsoleBot } from '../../../src/bots/console/console-bot.js';
import type { Core } from '../../../src/core/index.js';
import { memoryLogger, startCore, tempDir, testConfig } from '../../helpers/core.js';
import { makeImageOnlyPdf, makePdf } from '../../helpers/pdfs.js';
import { startFakeGroq, type FakeGroq } from '../../fakes/groq-fake.js';

interface Session {
  stdout: string[];
  stderr: string[];
  failures: number;
}

async function session(core: Core, lines: string[], options: { json: boolean; cwd: string }): Promise<Session> {
  const input = new PassThrough();
  const output = new PassThrough();
  const errorOutput = new PassThrough();
  let out = '';
  let err = '';
  output.on('data', (c: Buffer) => (out += c.toString()));
  errorOutput.on('data', (c: Buffer) => (err += c.toString()));
  const bot = new ConsoleBot({ core, logger: memoryLogger(), input, output, errorOutput, json: options.json, interactive: false, channel: 'general', cwd: options.cwd, user: { id: 'u1', name: 'Dana' } });
  const running = bot.run();
  input.end(lines.join('\n') + '\n');
  const failures = await running;
  const toLines = (text: string) => text.split('\n').filter(Boolean);
  return { stdout: toLines(out), stderr: toLines(err), failures };
}

describe('console bot', () => {
  let core: Core;
  let cwd: string;

  beforeAll(async () => {
    cwd = tempDir('docent-console-');
    fs.mkdirSync(path.join(cwd, 'reports', 'nested'), { recursive: true });
    fs.writeFileSync(
      path.join(cwd, 'reports', 'harbour.pdf'),
      await makePdf([
        { heading: 'Harbour Traffic', paragraphs: ['In 2023 the harbour handled 4,200 container ships.'] },
        { heading: 'Fisheries', paragraphs: ['The fishing fleet landed 18,000 tonnes of cod in 2023.'] },
      ]),
    );
    fs.writeFileSync(path.join(cwd, 'reports', 'nested', 'trains.pdf'), await makePdf([{ paragraphs: ['Night trains to Vienna leave at 21:40 every day.'] }]));
    fs.writeFileSync(path.join(cwd, 'reports', 'nested', 'scan.pdf'), await makeImageOnlyPdf(1));
    // Not a format Docent reads: skipped in folders, refused by name.
    fs.writeFileSync(path.join(cwd, 'reports', 'notes.odt'), Buffer.from([0x50, 0x4b, 0x03, 0x04, 20, 0, 0, 0]));
    core = await startCore(testConfig());
    await core.start();
  });
  afterAll(() => core.close());

  it('--json: /index then /ask print exactly one JSON object per command, with file and page citations', async () => {
    const { stdout, stderr, failures } = await session(core, ['/index reports/harbour.pdf', '/ask How much cod did the fleet land?'], { json: true, cwd });
    expect(stdout).toHaveLength(2);
    const [indexed, asked] = stdout.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(indexed).toMatchObject({ command: 'index', ok: true, files: [{ file: 'harbour.pdf', status: 'indexed', pages: 2 }] });
    expect(asked).toMatchObject({
      command: 'ask',
      ok: true,
      question: 'How much cod did the fleet land?',
      grounded: true,
      citations: [expect.objectContaining({ file: 'harbour.pdf', page: 2, excerpt: expect.stringContaining('18,000 tonnes of cod') })],
      timings: expect.objectContaining({ totalMs: expect.any(Number), retrievalMs: expect.any(Number) }),
    });
    expect(typeof asked.answer).toBe('string');
    expect((asked.citations as { score: number }[])[0].score).toBeGreaterThan(0);
    expect(stderr.join('\n')).toMatch(/harbour\.pdf: 2 pages, \d+ passages? in [\d.]+ s \(\d+ pages\/s\)/);
    expect(failures).toBe(0);
  });

  it('indexes a folder recursively with a progress line per file, refusing what it cannot read', async () => {
    const { stdout } = await session(core, ['/index reports'], { json: false, cwd });
    const text = stdout.join('\n');
    expect(text).toMatch(/\[1\/3\] harbour\.pdf: already indexed here/);
    expect(text).toMatch(/\[2\/3\] .*scan\.pdf.*no extractable text/);
    expect(text).toMatch(/\[3\/3\] nested[/\\]trains\.pdf: 1 page, \d+ passages? in [\d.]+ s \(\d+ pages\/s\)/);
    expect(text).toContain('Indexed 1 of 3 files');
    expect(text).toContain('1 already indexed, 1 refused');
    expect(text).not.toContain('readme');
  });

  it('/docs lists pages, passages, when and by whom; /forget removes by name', async () => {
    const listed = await session(core, ['/docs'], { json: false, cwd });
    expect(listed.stdout.join('\n')).toMatch(/harbour\.pdf — 2 pages, \d+ passages?, added \d{4}-\d\d-\d\d \d\d:\d\d UTC by Dana/);
    const forgot = await session(core, ['/forget nested/trains.pdf', '/docs'], { json: true, cwd });
    expect(JSON.parse(forgot.stdout[0])).toMatchObject({ command: 'forget', ok: true, forgotten: { name: 'nested/trains.pdf' } });
    const docs = JSON.parse(forgot.stdout[1]) as { documents: { name: string; pages: number; chunks: number; uploadedBy: string; indexedAt: string }[] };
    expect(docs.documents.map((d) => d.name)).toEqual(['harbour.pdf']);
    expect(docs.documents[0]).toMatchObject({ pages: 2, uploadedBy: 'Dana', indexedAt: expect.any(String) });
  });

  it('/digest set, list, now and off work in the console, and a digest there lists the documents indexed', async () => {
    const run = await session(core, ['/digest set weekdays 09:00 Europe/Brussels', '/digest list', '/digest now', '/settings alttext on', '/settings show', '/settings forgetdeleted off', '/settings show', '/settings forgetdeleted on'], { json: true, cwd });
    const [set, list, now, alttext, show, keep, shown, forget] = run.stdout.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(show).toMatchObject({ forgetdeleted: true });
    expect(keep).toMatchObject({ ok: true, forgetdeleted: false });
    expect(shown).toMatchObject({ alttext: true, forgetdeleted: false });
    expect(forget).toMatchObject({ ok: true, forgetdeleted: true });
    expect(set).toMatchObject({ command: 'digest', ok: true, expression: '0 9 * * 1-5', timezone: 'Europe/Brussels', channels: ['general'] });
    expect((list as { digests: { id: string }[] }).digests.map((d) => d.id)).toEqual([set.id]);
    expect(now).toMatchObject({ ok: true, quiet: false });
    expect(alttext).toMatchObject({ ok: true, alttext: true });
    expect(show).toMatchObject({ alttext: true });
    const text = await session(core, ['/digest now', `/digest off ${String(set.id)}`, '/digest list', '/digest weekly'], { json: false, cwd });
    const out = text.stdout.join('\n');
    expect(out).toMatch(/📬 \*\*Digest — #general\*\*/);
    expect(out).toMatch(/• harbour\.pdf — 2 pages, posted by Dana in #general/);
    expect(out).toContain(`Digest \`${String(set.id)}\` (weekdays at 09:00) is off.`);
    expect(out).toContain('No digests are posted in this channel.');
    expect(text.stderr.join('\n') + out).toMatch(/\/digest needs one of: set, list, off, now \(“weekly” is not one of them\)/);
  });

  it('/channel switches the scope: documents of #general are not visible in #ops', async () => {
    const { stdout } = await session(core, ['/channel ops', '/docs', '/ask cod fleet', '/channel general', '/ask cod fleet'], { json: true, cwd });
    const results = stdout.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(results[0]).toEqual({ command: 'channel', ok: true, channel: 'ops' });
    expect(results[1]).toMatchObject({ command: 'docs', documents: [] });
    expect(results[2]).toMatchObject({ command: 'ask', grounded: false, citations: [] });
    expect(results[4]).toMatchObject({ command: 'ask', grounded: true });
  });

  it('/about sums up the channel (documents, pages, passages, digests, settings) and what this Docent runs, without saying where data is stored', async () => {
    const { stdout } = await session(core, ['/docs', '/about', '/channel about-empty', '/about'], { json: true, cwd });
    const [docs, about, , empty] = stdout.map((l) => JSON.parse(l) as Record<string, unknown>);
    const listed = (docs as { documents: { pages: number; chunks: number }[] }).documents;
    expect(listed.length).toBeGreaterThan(0);
    expect(about).toMatchObject({
      command: 'about',
      ok: true,
      documents: listed.length,
      pages: listed.reduce((n, d) => n + d.pages, 0),
      passages: listed.reduce((n, d) => n + d.chunks, 0),
      settings: { alttext: expect.any(Boolean) },
    });
    const capabilities = (about as { capabilities: { name: string; active: boolean }[] }).capabilities;
    expect(capabilities.map((c) => c.name)).toEqual(expect.arrayContaining(['/ask answers', '/summarize', 'images']));
    expect(capabilities.map((c) => c.name)).not.toContain('store');
    expect(empty).toMatchObject({ command: 'about', documents: 0, pages: 0, passages: 0, digests: 0 });

    const human = await session(core, ['/channel about-empty', '/about'], { json: false, cwd });
    const text = human.stdout.join('\n');
    expect(text).toContain('• Documents: none yet. Post a PDF here (or use /index) to add one.');
    expect(text).toContain('• Digests posted here: none (/digest set adds one).');
    expect(text).toMatch(/• \/ask answers: /);
    expect(text).not.toMatch(/sqlite|\.db\b|DATA_DIR/i);
  });

  it('a line without a slash is a question', async () => {
    const { stdout } = await session(core, ['How many container ships did the harbour handle?'], { json: true, cwd });
    const asked = JSON.parse(stdout[0]) as { command: string; grounded: boolean; citations: { page: number; heading: string }[] };
    expect(asked).toMatchObject({ command: 'ask', grounded: true });
    expect(asked.citations[0]).toMatchObject({ page: 1, heading: 'Harbour Traffic' });
  });

  it('unknown commands and bad arguments get one clear message (that command’s usage on the line below), not the command list, and the session goes on', async () => {
    const lines = ['/frobnicate', '/ask', '/forget', '/docs now', '/channel bad!name', '/index missing.pdf', '/index reports/notes.odt', '/', '/ask cod landed', '/forgte x'];
    const human = await session(core, lines, { json: false, cwd });
    const text = human.stdout.join('\n');
    expect(human.stdout).toContain('✖ Unknown command /frobnicate. /help lists the commands.');
    expect(human.stdout).toContain('✖ Unknown command /forgte. Did you mean /forget? /help lists the commands.');
    expect(text).toContain('✖ /ask: question is required (what you want to know).\n  Usage: /ask <question> [version=current|previous]');
    expect(text).toMatch(/^✖ \/forget: document is required .*\.\n {2}Usage: \/forget <document>$/m);
    expect(text).toMatch(/^✖ \/docs takes no arguments\.\n {2}Usage: \/docs$/m);
    expect(text).toContain('✖ “bad!name” is not a valid channel name (letters, digits, . _ - only).\n  Usage: /channel <name>');
    expect(text).toContain('✖ No such file or folder: missing.pdf\n  Usage: /index <file>');
    expect(text).toContain('✖ Docent can\'t index “notes.odt”: Docent reads PDF, Word (.docx), PowerPoint (.pptx), Excel (.xlsx), Markdown (.md), HTML (.html), CSV (.csv, .tsv) and plain text (.txt), and this is none of them (it looks like a ZIP archive or Office document (docx, xlsx, pptx)).');
    expect(text).toContain('✖ Type a command after the slash.');
    expect(text).not.toContain('Commands: ');
    for (const line of human.stdout.filter((l) => l.startsWith('✖'))) expect(line.match(/Usage:/g)?.length ?? 0).toBeLessThanOrEqual(1);
    expect(text).toContain('Most relevant passages');
    expect(human.failures).toBe(9);

    const json = await session(core, lines, { json: true, cwd });
    expect(json.stdout).toHaveLength(lines.length);
    const parsed = json.stdout.map((l) => JSON.parse(l) as { ok: boolean; error?: { code: string }; usage?: string });
    expect(parsed[0]).toMatchObject({ command: 'frobnicate', ok: false, error: { code: 'unknown_command' } });
    expect(parsed[5]).toMatchObject({ command: 'index', ok: false, usage: '/index <file>' });
    expect(parsed.slice(0, 8).every((p) => p.ok === false)).toBe(true);
    expect(parsed[8].ok).toBe(true);
  });

  it('/help lists the commands, including /channel and /quit', async () => {
    const { stdout } = await session(core, ['/help'], { json: false, cwd });
    const text = stdout.join('\n');
    for (const usage of ['/ask <question>', '/index <file>', '/docs', '/forget <document>', '/help', '/channel <name>', '/quit']) expect(text).toContain(usage);
    expect(text).toMatch(/^ {2}\/quit {2,}Leave the console/m);
  });

  it('/help <command> explains one command: its verbs or options, and its longer help', async () => {
    const { stdout } = await session(core, ['/help digest', '/help /summarize', '/help nothing'], { json: false, cwd });
    const text = stdout.join('\n');
    expect(text).toContain('/digest — Scheduled recaps of channels, posted here');
    expect(text).toContain('  /digest set — Post a recap here on a schedule');
    expect(text).toMatch(/Examples: \/digest set weekdays 09:00 Europe\/Brussels/);
    expect(text).toContain('  since (optional): Only messages since then: 2h, 3d, 1w or a date');
    expect(text).toMatch(/Docent has no \/nothing\. The commands are: \/ask, /);
  });
});

describe('console bot with an answer model', () => {
  let groq: FakeGroq;
  let core: Core;
  let cwd: string;

  beforeAll(async () => {
    groq = await startFakeGroq();
    cwd = tempDir('docent-console-model-');
    fs.writeFileSync(
      path.join(cwd, 'budget.pdf'),
      await makePdf([
        { heading: 'Budget', paragraphs: ['The museum budget was 5 million euros in 2023.'] },
        { heading: 'History', paragraphs: ['In 2022 the museum budget was 4 million euros.'] },
      ]),
    );
    core = await startCore(testConfig({ GROQ_API_KEY: groq.apiKey, GROQ_BASE_URL: groq.url }));
    await core.start();
  });
  afterAll(async () => {
    await core.close();
    await groq.close();
  });

  it('prints the answer as it streams, then the cited sources and the footer', async () => {
    const { stdout } = await session(core, ['/index budget.pdf', '/ask What was the museum budget in 2023?'], { json: false, cwd });
    const text = stdout.join('\n');
    expect(text).toMatch(/According to the documents, the museum budget was 5 million euros in 2023\. \[1\]/);
    expect(text).toMatch(/\*\*Sources\*\*\n\[1\] budget\.pdf, page 1 — “The museum budget was 5 million euros in 2023\.”/);
    expect(text).toMatch(/_groq:openai\/gpt-oss-20b · \d+\.\d s · 1 source_/);
  });

  it('--json prints the final object with model, citations, usage and timings', async () => {
    const { stdout } = await session(core, ['/ask What was the museum budget in 2023?'], { json: true, cwd });
    expect(stdout).toHaveLength(1);
    expect(JSON.parse(stdout[0])).toMatchObject({
      command: 'ask',
      grounded: true,
      mode: 'generated',
      model: 'groq:openai/gpt-oss-20b',
      citations: [{ n: 1, file: 'budget.pdf', page: 1 }],
      usage: { inputTokens: expect.any(Number), outputTokens: expect.any(Number) },
      timings: { retrievalMs: expect.any(Number), firstTokenMs: expect.any(Number), totalMs: expect.any(Number) },
    });
  });

  it('understands a follow-up within the channel, and forgets it in another channel', async () => {
    const { stdout } = await session(core, ['/ask What was the museum budget in 2023?', '/ask and in 2022?', '/channel other', '/ask and in 2022?'], { json: true, cwd });
    const results = stdout.map((l) => JSON.parse(l) as { query?: string; grounded?: boolean });
    expect(results[1]).toMatchObject({ query: 'What was the museum budget in 2023? and in 2022?', grounded: true });
    expect(results[3]).toMatchObject({ query: 'and in 2022?', grounded: false });
  });
});

describe('console /summarize', () => {
  it('summarizes a transcript file, and refuses when none is given', async () => {
    const core = await startCore(testConfig());
    await core.start();
    const cwd = tempDir('docent-summarize-');
    fs.writeFileSync(
      path.join(cwd, 'standup.txt'),
      ['[2026-11-20 09:00] Ana: The kiln firing moves to Thursday.', '[2026-11-20 09:01] Ben: Thursday works, the kiln firing needs two people.', '[2026-11-20 09:02] Cy: I can help with the kiln firing on Thursday.'].join('\n'),
    );
    const { stdout } = await session(core, ['/summarize standup.txt', '/summarize', '/summarize standup.txt 2'], { json: false, cwd });
    const text = stdout.join('\n');
    expect(text).toContain('**Summary of standup.txt** — 3 messages, 3 people');
    expect(text).toContain('Set GEMINI_API_KEY for a written summary');
    expect(text).toContain('✖ Nothing to summarize here: give a transcript file');
    expect(text).toContain('**Summary of standup.txt** — 2 messages, 2 people');
    await core.close();
  });
});

describe('console options by name', () => {
  it('sets options by name=value, yes/no options only by name, and validates them', async () => {
    const core = await startCore(testConfig());
    await core.start();
    const cwd = tempDir('docent-named-');
    fs.writeFileSync(
      path.join(cwd, 'chat.json'),
      JSON.stringify([
        { author: 'Ana', text: 'Kiln firing on Thursday for the glaze batch.', at: '2026-11-20T09:00:00Z' },
        { author: 'CI', text: 'Kiln build passed for the glaze batch on Thursday.', at: '2026-11-20T09:01:00Z', bot: true },
        { author: 'Ben', text: 'Thursday kiln firing works for the glaze batch.', at: '2026-11-20T09:02:00Z' },
      ]),
    );
    const { stdout } = await session(core, ['/summarize chat.json', '/summarize chat.json bots=yes', '/summarize chat.json bots=maybe', '/summarize chat.json since="2026-11-20T09:01:30Z"'], { json: true, cwd });
    const [without, withBots, bad, since] = stdout.map((l) => JSON.parse(l) as { messages?: number; ok: boolean; error?: { message: string } });
    expect(without.messages).toBe(2);
    expect(withBots.messages).toBe(3);
    expect(bad).toMatchObject({ ok: false, error: { message: expect.stringContaining('bots must be yes or no') } });
    expect(since.messages).toBe(1);
    await core.close();
  });
});
