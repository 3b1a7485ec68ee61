import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/index.js';
import { changesScript } from '../../fakes/chat-script.js';
import { startFakeGemini, type FakeGemini } from '../../fakes/gemini-fake.js';
import { runConsole } from '../../helpers/console.js';
import { startCore, tempDir, testConfig } from '../../helpers/core.js';
import { makePdf } from '../../helpers/pdfs.js';

const run = (core: Core, cwd: string, lines: string[], json = false) => runConsole(core, cwd, lines, { json, channel: 'versions' });

const budgetPlan = (amount: string, extra: string[] = []) =>
  makePdf([
    { heading: 'Budget', paragraphs: [`The harbour project starts in March. The budget is ${amount} euros.`] },
    { heading: 'Team', paragraphs: ['The team has four engineers and one designer.', ...extra] },
  ]);

describe('versions in the console: /docs history, /diff, /ask version:previous, setting versionsummary', () => {
  let cwd: string;
  const file = () => path.join(cwd, 'plan.pdf');
  /** The first version's bytes (each generated PDF differs, by its creation date). */
  let first: Buffer;

  beforeAll(async () => {
    cwd = tempDir('docent-versions-');
  });

  describe('without a Gemini key', () => {
    let core: Core;
    beforeAll(async () => {
      core = await startCore(testConfig());
      await core.start();
    });
    afterAll(() => core.close());

    it('a file posted again under its name is a new version; the previous one is listed, asked and compared offline', async () => {
      first = await budgetPlan('100 thousand');
      fs.writeFileSync(file(), first);
      fs.writeFileSync(path.join(cwd, 'notes.md'), '# Notes\n\nThe harbour opens at six.\n');
      expect((await run(core, cwd, ['/index plan.pdf', '/index notes.md'])).failures).toBe(0);
      expect((await run(core, cwd, ['/diff plan.pdf'])).out).toContain('“plan.pdf” has only one version in this channel');

      fs.writeFileSync(file(), await budgetPlan('250 thousand', ['We hire two more engineers in May.']));
      const indexed = await run(core, cwd, ['/index plan.pdf']);
      expect(indexed.out).toContain('This is a new version of plan.pdf; the previous one (added ');
      expect(indexed.out).toContain('/diff plan.pdf shows what changed.');

      const docs = (await run(core, cwd, ['/docs'])).out;
      expect(docs).toMatch(/2 documents indexed in this channel/);
      expect(docs).toMatch(/Previous versions \(\/diff <name> shows what changed; \/ask … version:previous asks them\):\n• plan\.pdf — 2 pages, added .* by Dana, replaced .* by Dana/);

      const diff = (await run(core, cwd, ['/diff plan.pdf'])).out;
      expect(diff).toContain('**What changed in plan.pdf**');
      expect(diff).toContain('Changed: page 1, page 2 (2 sentences added, 1 removed, ');
      expect(diff).toContain('__page 1__\n− The budget is 100 thousand euros.\n+ The budget is 250 thousand euros.');
      expect(diff).toContain('+ We hire two more engineers in May.');
      expect(diff).toContain('A written summary of the changes needs a Gemini key (GEMINI_API_KEY)');

      const json = JSON.parse((await run(core, cwd, ['/diff plan.pdf'], true)).out) as { parts: { location: string }[]; previous: { name: string }; summary: null };
      expect([json.parts.map((p) => p.location), json.previous.name, json.summary]).toEqual([['page 1', 'page 2'], 'plan.pdf', null]);

      const now = (await run(core, cwd, ['/ask What is the budget of the harbour project?'])).out;
      expect(now).toContain('250 thousand');
      expect(now).not.toContain('100 thousand');
      for (const typed of ['/ask What is the budget of the harbour project? version=previous', '/ask version:previous What is the budget of the harbour project?']) {
        const before = (await run(core, cwd, [typed])).out;
        expect(before).toContain("previous versions of this channel's documents");
        expect(before).toContain('100 thousand');
        expect(before).not.toContain('250 thousand');
      }
      const asked = JSON.parse((await run(core, cwd, ['/ask What is the budget? version=previous'], true)).out) as { version: string; documents: string[] };
      expect([asked.version, asked.documents]).toEqual(['previous', ['plan.pdf']]);
      // notes.md has one version only: nothing of it is asked with version:previous.
      expect((await run(core, cwd, ['/ask When does the harbour open? version=previous'])).out).not.toContain('six');
      expect((await run(core, cwd, ['/ask What is the budget? version=older'])).out).toContain('version must be one of current, previous');
    });

    it('the previous version posted again is current again; /forget removes both versions', async () => {
      fs.writeFileSync(file(), first);
      const again = await run(core, cwd, ['/index plan.pdf'], true);
      expect(JSON.parse(again.out)).toMatchObject({ files: [{ status: 'reinstated', previous: { name: 'plan.pdf' } }] });
      expect(again.err).toContain('plan.pdf: this is its previous version posted again, so it is the current version again');
      expect((await run(core, cwd, ['/ask What is the budget of the harbour project?'])).out).toContain('100 thousand');
      expect((await run(core, cwd, ['/diff plan.pdf'])).out).toContain('− The budget is 250 thousand euros.');

      const forgot = (await run(core, cwd, ['/forget plan.pdf'])).out;
      expect(forgot).toContain('Forgot “plan.pdf” and its previous version');
      expect((await run(core, cwd, ['/docs'])).out).not.toContain('plan.pdf');
      expect((await run(core, cwd, ['/ask What is the budget? version=previous'])).out).toContain('No previous versions of documents are kept in this channel');
    });
  });

  describe('with Gemini', () => {
    let gemini: FakeGemini;
    let core: Core;
    beforeAll(async () => {
      gemini = await startFakeGemini();
      gemini.script = changesScript;
      core = await startCore(testConfig({ GEMINI_API_KEY: gemini.apiKey, GEMINI_BASE_URL: gemini.url }));
      await core.start();
    });
    afterAll(async () => {
      await core.close();
      await gemini.close();
    });

    it('/diff adds a written summary; with versionsummary on, a new version is posted with it; a failing model leaves the offline comparison', async () => {
      fs.writeFileSync(file(), await budgetPlan('100 thousand'));
      await run(core, cwd, ['/index plan.pdf']);
      fs.writeFileSync(file(), await budgetPlan('250 thousand'));
      await run(core, cwd, ['/index plan.pdf']);
      const diff = (await run(core, cwd, ['/diff plan.pdf'])).out;
      expect(diff).toMatch(/\*\*Summary\*\* \(gemini:[\w.-]+\)\n• page 1: “The budget is 100 thousand euros\.” became “The budget is 250 thousand euros\.”/);
      const prompt = gemini.chats.at(-1)?.body;
      expect(prompt?.systemInstruction?.parts[0]?.text).toContain('what changed between two versions');
      expect(prompt?.contents[0]?.parts[0]?.text).toContain('<changes>\n[page 1]\n- The budget is 100 thousand euros.\n+ The budget is 250 thousand euros.\n</changes>');

      expect((await run(core, cwd, ['/settings versionsummary on'])).out).toContain('Docent says what changed in it');
      fs.writeFileSync(file(), await budgetPlan('400 thousand'));
      const posted = await run(core, cwd, ['/index plan.pdf'], true);
      const outcome = (JSON.parse(posted.out) as { files: { changes: { summary: string } }[] }).files[0];
      expect(outcome.changes.summary).toContain('“The budget is 250 thousand euros.” became “The budget is 400 thousand euros.”');
      const shown = await run(core, cwd, ['/index plan.pdf']);
      expect(`${shown.out}${shown.err}`).toContain('plan.pdf: already indexed here');

      fs.writeFileSync(file(), await budgetPlan('500 thousand'));
      const text = (await run(core, cwd, ['/index plan.pdf'])).out;
      expect(text).toContain('This is a new version of plan.pdf');
      expect(text).toContain('Changed: page 1 (1 sentence added, 1 removed');
      expect(text).toContain('became “The budget is 500 thousand euros.”');

      gemini.failNext(10, { status: 500, body: { error: { code: 500, message: 'Internal error', status: 'INTERNAL' } } });
      const failed = (await run(core, cwd, ['/diff plan.pdf'])).out;
      expect(failed).toContain('+ The budget is 500 thousand euros.');
      expect(failed).toContain('The changed sentences are listed instead.');
      expect(failed).not.toContain('**Summary**');
    });
  });
});
