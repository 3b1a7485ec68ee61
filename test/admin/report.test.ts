import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AdminReport, AdminScope } from '../../src/core/public-surface.js';
import { DESIGN, FERRIES, GENERAL, seedDocent, SEEDED_NOW, type SeededDocent } from '../helpers/admin-seed.js';
import { postgresUnavailable, startTestPostgres, type TestPostgres } from '../helpers/postgres.js';

// The admin report over a Docent used through its real services (ingest, /ask through the
// command runner, ratings, a digest run, a retired model, a failed Groq call), on SQLite and on
// a real PostgreSQL: the same figures from both stores.

const tenant = (s: { platform: string; workspace: string; channel: string }) => `${s.platform}:${s.workspace}:${s.channel}`;
const unavailable = postgresUnavailable();
if (unavailable) console.warn(`[admin report] ${unavailable}`);

type Store = { name: string; env: () => Promise<Record<string, string>>; stop?: () => Promise<void> };
let postgres: TestPostgres | undefined;
const stores: Store[] = [
  { name: 'SQLite', env: async () => ({}) },
  ...(unavailable
    ? []
    : [
        {
          name: 'PostgreSQL',
          env: async () => {
            postgres ??= await startTestPostgres();
            return { DATABASE_URL: await postgres.createDatabase() };
          },
          stop: async () => postgres?.stop(),
        },
      ]),
];

describe.each(stores)('the admin report on $name', (store) => {
  let seeded: SeededDocent;
  let shown: SeededDocent;
  const report = (scope: AdminScope, from = seeded) => from.core.admin.report(scope);
  let all: AdminReport;

  beforeAll(async () => {
    const env = await store.env();
    seeded = await seedDocent(env);
    all = await report({ kind: 'all' });
    // A second Docent, used the same way, with ADMIN_SHOW_QUESTIONS on.
    shown = await seedDocent({ ...(await store.env()), ADMIN_SHOW_QUESTIONS: 'true' });
  }, 120_000);
  afterAll(async () => {
    await seeded?.close();
    await shown?.close();
    await store.stop?.();
  });

  it('lists every channel with its documents, questions, answered share, 👎 and digests', () => {
    expect(all.channels.map((c) => c.tenant)).toEqual([tenant(FERRIES), tenant(DESIGN), tenant(GENERAL)]);
    const general = all.channels.find((c) => c.tenant === tenant(GENERAL));
    expect(general).toMatchObject({ documents: 1, passages: 2, questions: 4, answered: 2, ratedDown: 1, schedules: 1 });
    expect(all.totals).toEqual({ documents: 3, passages: 4, questions: 8, answered: 4, ratedDown: 1 });
  });

  it('counts questions per day over the whole window, days without questions included', () => {
    expect(all.perDay).toHaveLength(30);
    expect(all.perDay.at(-1)?.day).toBe(SEEDED_NOW.toISOString().slice(0, 10));
    expect(all.perDay.filter((d) => d.asked > 0)).toEqual([
      { day: '2026-11-22', asked: 1, answered: 1 },
      { day: '2026-11-24', asked: 2, answered: 1 },
      { day: '2026-11-25', asked: 3, answered: 0 },
      { day: '2026-11-27', asked: 2, answered: 2 },
    ]);
  });

  it('shows documents with pages, passages, who added them and their origin link', () => {
    expect(all.documents.find((d) => d.name === 'harbour.pdf')).toMatchObject({ tenant: tenant(GENERAL), pages: 2, passages: 2, ocrPages: 0, addedBy: 'Alice', link: 'https://files.example/harbour.pdf', previous: false, status: 'ready' });
  });

  it('records ingests with the reason for a refusal, models retired and the answers they wrote, and provider errors with latency', () => {
    expect(all.ingest.events.find((e) => e.subject === 'minutes.pdf')).toMatchObject({ outcome: 'refused', code: 'not_pdf', tenant: tenant(GENERAL) });
    expect(all.ingest.events.find((e) => e.subject === 'harbour.pdf')).toMatchObject({ outcome: 'indexed', detail: '2 pages, 2 passages' });
    expect(all.models.retired.map((e) => e.subject)).toContain('gemma2-9b-it');
    expect(all.models.retired.find((e) => e.subject === 'gemma2-9b-it')?.detail).toMatch(/decommissioned.*Used groq:/);
    expect(all.models.used).toEqual([{ model: 'groq:llama-3.1-8b-instant', answers: 3 }]);
    const served = all.providers.figures.find((f) => f.model === 'llama-3.1-8b-instant');
    expect(served).toMatchObject({ provider: 'groq', purpose: 'answer', calls: 4, errors: 1 });
    expect(served?.p95Ms).toBeGreaterThanOrEqual(served?.p50Ms ?? 0);
    expect(all.providers.errors.find((e) => e.code === 'provider_error')).toMatchObject({ tenant: tenant(FERRIES), detail: expect.stringContaining('HTTP 503') });
  });

  it('shows digest schedules with their last run', () => {
    expect(all.schedules).toHaveLength(1);
    expect(all.schedules[0]).toMatchObject({ tenant: tenant(GENERAL), spec: 'daily 11:00', runs: 1, failures: 0, lastRun: { status: 'posted', period: new Date('2026-11-27T11:00:00Z') } });
  });

  it('keeps question and answer texts out of the report unless ADMIN_SHOW_QUESTIONS is on', async () => {
    const text = JSON.stringify(all);
    for (const asked of ['boat shed', 'wifi password', 'How much cod', '18,000']) expect(text).not.toContain(asked);
    expect(all.unanswered).toEqual({ count: 4, groups: undefined });
    expect(all.ratedDown).toEqual([expect.objectContaining({ question: '', answer: '', sources: ['harbour.pdf, page 1'], down: 1 })]);

    const open = await report({ kind: 'all' }, shown);
    expect(open.showQuestions).toBe(true);
    const shed = open.unanswered.groups?.find((g) => /boat shed/i.test(g.question));
    expect(shed).toMatchObject({ count: 2, tenants: [tenant(GENERAL)] });
    expect([shed?.question, ...(shed?.variants ?? [])].sort()).toEqual(['Who has the key to the boat shed?', 'who has the boat shed key'].sort());
    expect(open.ratedDown[0]).toMatchObject({ question: 'How much cod did the fleet land in 2023?', answer: expect.stringContaining('18,000') });
  });

  it('narrows everything to a workspace or a channel, ids compared exactly', async () => {
    const slack = await report({ kind: 'workspace', platform: 'slack', workspace: 'T1' });
    expect(slack.channels.map((c) => c.tenant)).toEqual([tenant(DESIGN), tenant(GENERAL)]);
    expect(slack.documents.map((d) => d.name).sort()).toEqual(['harbour.pdf', 'kiln.pdf']);
    expect(slack.providers.errors.every((e) => e.tenant.startsWith('slack:T1:'))).toBe(true);
    const ferries = await report({ kind: 'channel', ...FERRIES });
    expect(ferries.channels.map((c) => c.tenant)).toEqual([tenant(FERRIES)]);
    expect(ferries.totals.questions).toBe(3);
    expect(ferries.schedules).toEqual([]);
    expect((await report({ kind: 'workspace', platform: 'slack', workspace: 'T' })).channels).toEqual([]);
    expect((await report({ kind: 'channel', platform: 'slack', workspace: 'T1', channel: 'C-gen' })).documents).toEqual([]);
  });
});
