import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DigestSchedule, StateStore } from '../../src/core/ports/state-store.js';
import type { DocumentRecord } from '../../src/core/ports/types.js';

export interface StateUnderTest {
  readonly state: StateStore;
  cleanup(): Promise<void>;
}

const T = 'slack:W1:C-alpha';
const OTHER = 'slack:W1:C-beta';
const at = (iso: string) => new Date(iso);

function doc(id: string, name: string, tenant = T): Omit<DocumentRecord, 'status' | 'indexedAt' | 'pages' | 'chunks' | 'ocrPages'> {
  return { id, tenant, storeKey: 'sqlite', name, sha256: `sha-${id}`, bytes: 1234, uploadedBy: { id: 'U1', name: 'Ana' }, link: 'https://example.com/m/1', createdAt: '2026-11-30T10:00:00.000Z' };
}

function schedule(id: string, source: 'chat' | 'config' = 'chat'): DigestSchedule {
  return {
    id,
    platform: 'slack',
    workspace: 'W1',
    channel: 'C-alpha',
    spec: 'weekdays 09:00',
    expression: '0 9 * * 1-5',
    timezone: 'Europe/Brussels',
    description: 'weekdays at 09:00',
    channels: ['C-alpha', 'C-gamma'],
    createdBy: { id: 'U1', name: 'Ana' },
    createdAt: at('2026-11-30T08:00:00.000Z'),
    source,
  };
}

/**
 * The behaviour every StateStore must have, run on SQLite and on a real PostgreSQL: what is
 * written reads back the same, channels never see each other's state, and the keys that make
 * things happen once (a document per content, a digest run per period, a vote per person, a
 * delivery per id) hold under concurrent callers.
 */
export function describeStateStoreContract(name: string, create: () => Promise<StateUnderTest>): void {
  describe(`StateStore contract: ${name}`, () => {
    let subject: StateUnderTest;
    let state: StateStore;
    beforeAll(async () => {
      subject = await create();
      state = subject.state;
    });
    afterAll(() => subject?.cleanup());

    it('documents: invisible while indexing, visible once published, the newer version replacing the older as current', async () => {
      const documents = state.documents;
      await documents.begin(doc('d1', 'budget.pdf'));
      expect(await documents.listReady(T, 'sqlite')).toEqual([]);
      expect((await documents.get('d1'))?.status).toBe('indexing');
      expect(await documents.publish('d1', { pages: 3, chunks: 9, ocrPages: 1 }, at('2026-11-30T10:01:00.000Z'))).toEqual({ previous: undefined, retired: [] });
      const [ready] = await documents.listReady(T, 'sqlite');
      expect(ready).toEqual({ ...doc('d1', 'budget.pdf'), status: 'ready', pages: 3, chunks: 9, ocrPages: 1, indexedAt: '2026-11-30T10:01:00.000Z' });
      expect(await documents.findReady(T, 'sqlite', 'sha-d1')).toEqual(ready);
      expect(await documents.findReady(OTHER, 'sqlite', 'sha-d1')).toBeUndefined();
      expect(await documents.listReady(OTHER, 'sqlite')).toEqual([]);

      await documents.begin(doc('d2', 'budget.pdf'));
      const replaced = await documents.publish('d2', { pages: 4, chunks: 10, ocrPages: 0 }, at('2026-11-30T10:02:00.000Z'));
      expect([replaced.previous?.id, replaced.retired]).toEqual(['d1', []]);
      expect((await documents.listReady(T, 'sqlite')).map((d) => d.id)).toEqual(['d2']);
      // The other tests count this store's documents: only the current version stays.
      await documents.markDeleting('d1');
      expect((await documents.listUnfinished('sqlite')).map((d) => d.id)).toEqual(['d1']);
      await documents.remove('d1');
      expect(await documents.get('d1')).toBeUndefined();
    });

    it('documents: a new version keeps the one it replaces as previous and retires older ones; a previous version posted again is current again', async () => {
      const documents = state.documents;
      // A store key of its own: the other tests count this store's documents.
      const key = 'versions-test';
      const version = async (id: string, when: string) => {
        await documents.begin({ ...doc(id, 'plan.pdf'), storeKey: key });
        return documents.publish(id, { pages: 1, chunks: id === 'v1' ? 2 : 3, ocrPages: 0 }, at(when));
      };
      await version('v1', '2026-11-30T10:01:00.000Z');
      const second = await version('v2', '2026-11-30T10:02:00.000Z');
      expect([second.previous?.id, second.retired]).toEqual(['v1', []]);
      expect((await documents.listReady(T, key)).map((d) => d.id)).toEqual(['v2']);
      expect((await documents.listReady(T, key, 'previous')).map((d) => d.id)).toEqual(['v1']);
      expect((await documents.findReady(T, key, 'sha-v1'))?.id).toBe('v1');
      // Term statistics count one version of each name: the current ones, or the previous ones.
      await documents.saveTerms('v1', new Map([['plan', 2]]));
      await documents.saveTerms('v2', new Map([['plan', 3]]));
      expect(await documents.termStats(T, key, ['plan'])).toEqual({ passages: 3, frequencies: new Map([['plan', 3]]), complete: true });
      expect(await documents.termStats(T, key, ['plan'], 'previous')).toEqual({ passages: 2, frequencies: new Map([['plan', 2]]), complete: true });

      // A clock set back still makes the version published last the current one.
      const third = await version('v3', '2026-11-30T09:00:00.000Z');
      expect(third.previous?.id).toBe('v2');
      expect(third.retired.map((r) => [r.id, r.status])).toEqual([['v1', 'deleting']]);
      expect((await documents.listReady(T, key)).map((d) => d.id)).toEqual(['v3']);
      expect((await documents.listReady(T, key, 'previous')).map((d) => d.id)).toEqual(['v2']);
      expect((await documents.listUnfinished(key)).map((d) => d.id)).toEqual(['v1']);
      await documents.remove('v1');

      // The previous version posted again is current again; the one it replaced becomes previous.
      expect((await documents.reinstate('v2', at('2026-11-30T10:04:00.000Z')))?.id).toBe('v3');
      expect((await documents.listReady(T, key)).map((d) => d.id)).toEqual(['v2']);
      expect((await documents.listReady(T, key, 'previous')).map((d) => d.id)).toEqual(['v3']);
      expect(await documents.reinstate('v2', at('2026-11-30T10:05:00.000Z'))).toBeUndefined();
      // Removing the current version makes the previous one current again.
      await documents.markDeleting('v2');
      expect((await documents.listReady(T, key)).map((d) => d.id)).toEqual(['v3']);
      expect(await documents.listReady(T, key, 'previous')).toEqual([]);
      // Previous versions are still found by retention and purges.
      expect((await documents.listReadyIn(T, key)).map((d) => d.id)).toEqual(['v3']);
    });

    it('documents: a posting goes when any of its keys is deleted; the document is released once no posting is left, only in the channels named', async () => {
      const documents = state.documents;
      // A workspace and store key of their own: the other tests count this store's documents.
      const [alpha, beta] = ['slack:W9:C-alpha', 'slack:W9:C-beta'];
      const ready = async (id: string, name: string, tenant: string, origins: string[]) => {
        await documents.begin({ ...doc(id, name, tenant), storeKey: 'origins-test', origins });
        await documents.publish(id, { pages: 1, chunks: 1, ocrPages: 0 }, at('2026-11-30T10:05:00.000Z'));
      };
      await ready('o1', 'plan.pdf', alpha, ['slack:message:C-alpha:1.1', 'slack:file:F1']);
      await ready('o2', 'plan.pdf', beta, ['slack:message:C-beta:2.2', 'slack:file:F1']);
      await documents.begin({ ...doc('o3', 'draft.pdf', alpha), storeKey: 'origins-test', origins: ['slack:message:C-alpha:3.3'] }); // still being read
      // The same file posted again in another message of the channel: a second posting.
      await documents.addOrigins('o1', ['slack:message:C-alpha:4.4']);

      expect(await documents.releaseOrigin(alpha, 'slack:file:F1')).toEqual([]); // the 4.4 posting remains
      expect((await documents.releaseOrigin(alpha, 'slack:message:C-alpha:4.4')).map((d) => d.id)).toEqual(['o1']);
      expect(await documents.releaseOrigin(alpha, 'slack:message:C-alpha:3.3')).toEqual([]); // not ready: untouched
      // A channel's key names that channel only; a workspace prefix reaches every channel.
      expect(await documents.releaseOrigin('slack:W9:C-bet', 'slack:file:F1')).toEqual([]);
      expect(await documents.releaseOrigin('slack:W8:', 'slack:file:F1')).toEqual([]);
      expect((await documents.releaseOrigin('slack:W9:', 'slack:file:F1')).map((d) => d.id)).toEqual(['o2']);
      expect(await documents.releaseOrigin('slack:W9:', 'slack:file:F1')).toEqual([]);
    });

    it('documents: the same content cannot be begun twice, even by concurrent callers', async () => {
      const results = await Promise.allSettled([state.documents.begin(doc('d-same', 'same.pdf')), state.documents.begin(doc('d-same', 'same.pdf'))]);
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
      await state.documents.markDeleting('d-same');
      await state.documents.remove('d-same');
    });

    it('documents: a store’s ready documents of every channel are listed by id, a page at a time, previous versions included', async () => {
      const documents = state.documents;
      const paged = (id: string, name: string, tenant = T) => ({ ...doc(id, name, tenant), storeKey: 'paged' });
      await documents.begin(paged('pg-c', 'c.pdf'));
      await documents.begin(paged('pg-a', 'a.pdf', OTHER));
      await documents.begin(paged('pg-b', 'a.pdf', OTHER));
      await documents.begin(paged('pg-d', 'd.pdf'));
      await documents.publish('pg-c', { pages: 1, chunks: 1, ocrPages: 0 }, at('2026-11-30T12:00:00.000Z'));
      await documents.publish('pg-a', { pages: 1, chunks: 1, ocrPages: 0 }, at('2026-11-30T12:01:00.000Z'));
      // pg-b replaces pg-a as a.pdf's current version; pg-d is still being read.
      await documents.publish('pg-b', { pages: 1, chunks: 1, ocrPages: 0 }, at('2026-11-30T12:02:00.000Z'));
      const first = await documents.listReadyAfter('paged', '', 2);
      expect(first.map((d) => d.id)).toEqual(['pg-a', 'pg-b']);
      expect(first[0]).toMatchObject({ tenant: OTHER, status: 'ready', storeKey: 'paged' });
      expect((await documents.listReadyAfter('paged', 'pg-b', 2)).map((d) => d.id)).toEqual(['pg-c']);
      expect(await documents.listReadyAfter('paged', 'pg-c', 2)).toEqual([]);
      expect(await documents.listReadyAfter('another-store', '', 10)).toEqual([]);
    });

    it('store versions: the work runs until it says it is done, once per store and subject, and concurrent callers take turns', async () => {
      const documents = state.documents;
      const told: (number | undefined)[] = [];
      const work = (done: boolean) => async (recorded: number | undefined) => {
        told.push(recorded);
        return done;
      };
      // Not done (a document failed): nothing recorded, so the next start does it again.
      expect(await documents.migrateStore('store-1', 'tokenizer', 2, work(false))).toBe(true);
      expect(await documents.migrateStore('store-1', 'tokenizer', 2, work(true))).toBe(true);
      expect(await documents.migrateStore('store-1', 'tokenizer', 2, work(true))).toBe(false);
      expect(told).toEqual([undefined, undefined]);
      // Each store and subject has its own version; a newer version runs again, told the recorded one.
      expect(await documents.migrateStore('store-2', 'tokenizer', 2, work(true))).toBe(true);
      expect(await documents.migrateStore('store-1', 'another', 2, work(true))).toBe(true);
      expect(await documents.migrateStore('store-1', 'tokenizer', 3, work(true))).toBe(true);
      expect(told).toEqual([undefined, undefined, undefined, undefined, 2]);
      // Work that stops with an error records nothing and lets the next caller in.
      await expect(documents.migrateStore('store-3', 'tokenizer', 2, () => Promise.reject(new Error('stopped midway')))).rejects.toThrow('stopped midway');
      let running = 0;
      let overlapped = false;
      let ran = 0;
      const slow = async () => {
        running++;
        overlapped ||= running > 1;
        ran++;
        await new Promise((resolve) => setTimeout(resolve, 30));
        running--;
        return true;
      };
      const results = await Promise.all([slow, slow, slow].map((w) => documents.migrateStore('store-3', 'tokenizer', 2, w)));
      expect(ran).toBe(1);
      expect(overlapped).toBe(false);
      expect(results.filter((r) => r)).toHaveLength(1);
    });

    it('documents: term statistics count passages per term over ready documents only, per channel', async () => {
      const documents = state.documents;
      await documents.begin(doc('t1', 'terms.pdf'));
      await documents.saveTerms('t1', new Map([['harbour', 3], ['cod', 1]]));
      expect((await documents.termStats(T, 'sqlite', ['harbour'])).frequencies.get('harbour')).toBeUndefined();
      await documents.publish('t1', { pages: 1, chunks: 4, ocrPages: 0 }, at('2026-11-30T11:00:00.000Z'));
      const stats = await documents.termStats(T, 'sqlite', ['harbour', 'cod', 'absent']);
      expect(stats.frequencies).toEqual(new Map([['harbour', 3], ['cod', 1]]));
      // d2 (published earlier) has no statistics: the channel's are incomplete until it gets them.
      expect(stats.complete).toBe(false);
      expect(stats.passages).toBe(14);
      expect((await documents.listWithoutTerms('sqlite')).map((d) => d.id)).toEqual(['d2']);
      await documents.saveTerms('d2', new Map([['cod', 2]]));
      expect(await documents.termStats(T, 'sqlite', ['cod'])).toEqual({ passages: 14, frequencies: new Map([['cod', 3]]), complete: true });
      expect((await documents.termStats(OTHER, 'sqlite', ['harbour'])).frequencies.size).toBe(0);
      expect(await documents.termStats(OTHER, 'sqlite', ['harbour'])).toMatchObject({ passages: 0, complete: true });
    });

    it('documents: a document of very many distinct terms has them all saved, with other work served while they are written', async () => {
      const documents = state.documents;
      await documents.begin(doc('many', 'wide.csv'));
      const terms = new Map(Array.from({ length: 120_000 }, (_, i) => [`term${i}`, 1 + (i % 3)]));
      let ticks = 0;
      const ticker = setInterval(() => ticks++, 0);
      try {
        await documents.saveTerms('many', terms);
      } finally {
        clearInterval(ticker);
      }
      expect(ticks).toBeGreaterThan(0);
      await documents.publish('many', { pages: 1, chunks: 3, ocrPages: 0 }, at('2026-11-30T11:00:00.000Z'));
      const stats = await documents.termStats(T, 'sqlite', ['term0', 'term119999', 'term60001']);
      expect(stats.frequencies).toEqual(new Map([['term0', 1], ['term119999', 3], ['term60001', 2]]));
    });

    it('digests: schedules round-trip; a config schedule no longer in the file stops and comes back; a chat schedule id is never reused', async () => {
      const digests = state.digests;
      expect(await digests.save(schedule('s1'))).toBe(true);
      await digests.save(schedule('cfg-1', 'config'));
      await digests.save(schedule('cfg-2', 'config'));
      expect(await digests.get('s1')).toEqual(schedule('s1'));
      expect((await digests.list({ platform: 'slack', workspace: 'W1', channel: 'C-alpha' })).map((s) => s.id).sort()).toEqual(['cfg-1', 'cfg-2', 's1']);
      expect(await digests.list({ platform: 'slack', workspace: 'W1', channel: 'C-beta' })).toEqual([]);
      expect(await digests.removeConfigSchedulesExcept(['cfg-1'], at('2026-11-30T12:00:00.000Z'))).toBe(1);
      expect(await digests.get('cfg-2')).toBeUndefined();
      expect(await digests.remove('s1', at('2026-11-30T12:00:00.000Z'))).toBe(true);
      expect(await digests.remove('s1', at('2026-11-30T12:00:00.000Z'))).toBe(false);
      // Another chat schedule drawn with a taken id (even a removed one's) is refused, never merged.
      expect(await digests.save({ ...schedule('s1'), spec: 'weekly mon 08:00' })).toBe(false);
      expect(await digests.get('s1')).toBeUndefined();
      expect(await digests.save(schedule('cfg-2', 'config'))).toBe(true);
      expect(await digests.get('cfg-2')).toBeDefined();
    });

    it('digests: a period is claimed once among concurrent callers, and the run records what happened', async () => {
      const digests = state.digests;
      const period = at('2026-12-01T08:00:00.000Z');
      const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => digests.claim('s1', period, `owner-${i}`, false, at('2026-12-01T08:00:01.000Z'))));
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await digests.skip('s1', period, 'another', at('2026-12-01T08:00:02.000Z'), 'late')).toBe(false);
      await digests.update('s1', period, { status: 'posting', coveredUntil: at('2026-12-01T08:00:03.000Z') });
      await digests.update('s1', period, { status: 'posted', message: 'm-1', finishedAt: at('2026-12-01T08:00:04.000Z') });
      expect(await digests.lastDelivered('s1')).toEqual({ scheduleId: 's1', period, status: 'posted', late: false, coveredUntil: at('2026-12-01T08:00:03.000Z'), message: 'm-1', detail: undefined });
      const next = at('2026-12-02T08:00:00.000Z');
      expect(await digests.skip('s1', next, 'o', at('2026-12-02T09:00:00.000Z'), 'missed')).toBe(true);
      expect((await digests.runBefore('s1', next))?.period).toEqual(period);
      expect((await digests.runBefore('s1'))?.period).toEqual(period);
      expect((await digests.lastDelivered('s1'))?.status).toBe('skipped');
    });

    it('feedback: one vote per person and answer (a second click changes it), answers listed by channel and time', async () => {
      const feedback = state.feedback;
      await feedback.addAnswer({ id: 'a1', tenant: T, question: 'What was the budget?', answer: '2 million [1]', grounded: true, model: 'groq:x', askedBy: 'Ana', at: at('2026-11-30T10:00:00.000Z') });
      await feedback.addAnswer({ id: 'a2', tenant: OTHER, question: 'Elsewhere?', answer: 'no', grounded: false, model: undefined, askedBy: 'Ben', at: at('2026-11-30T10:00:00.000Z') });
      expect(await feedback.hasAnswer('a1')).toBe(true);
      expect(await feedback.hasAnswer('nope')).toBe(false);
      await Promise.all([feedback.rate('a1', 'U1', 'up', at('2026-11-30T10:01:00.000Z')), feedback.rate('a1', 'U1', 'up', at('2026-11-30T10:01:00.000Z'))]);
      await feedback.rate('a1', 'U2', 'up', at('2026-11-30T10:01:00.000Z'));
      await feedback.rate('a1', 'U2', 'down', at('2026-11-30T10:02:00.000Z'));
      expect(await feedback.ratings('a1')).toEqual({ up: 1, down: 1 });
      expect(await feedback.answers(T, at('2026-11-30T00:00:00.000Z'), at('2026-12-01T00:00:00.000Z'))).toEqual([
        { question: 'What was the budget?', grounded: true, askedBy: 'Ana', at: at('2026-11-30T10:00:00.000Z') },
      ]);
      expect(await feedback.answers(T, at('2026-11-30T10:00:00.001Z'), at('2026-12-01T00:00:00.000Z'))).toEqual([]);
    });

    it('settings: written per channel, read back with who changed them', async () => {
      expect(await state.settings.read(T, 'alttext')).toBeUndefined();
      await state.settings.write(T, 'alttext', 'on', 'Ana', at('2026-11-30T10:00:00.000Z'));
      await state.settings.write(T, 'alttext', 'off', 'Ben', at('2026-11-30T10:05:00.000Z'));
      expect(await state.settings.read(T, 'alttext')).toEqual({ value: 'off', updatedBy: 'Ben' });
      expect(await state.settings.read(OTHER, 'alttext')).toBeUndefined();
    });

    it('conversations: the latest turns, oldest first, at most `keep`, and a week-old turn forgotten', async () => {
      const conversations = state.conversations;
      for (let i = 1; i <= 5; i++) await conversations.remember(`${T}|u1`, { question: `Q${i}?`, answer: `A${i}.` }, 3, at(`2026-11-30T10:0${i}:00.000Z`));
      expect((await conversations.turns(`${T}|u1`, 10)).map((t) => t.question)).toEqual(['Q3?', 'Q4?', 'Q5?']);
      expect((await conversations.turns(`${T}|u1`, 2)).map((t) => t.question)).toEqual(['Q4?', 'Q5?']);
      expect(await conversations.turns(`${OTHER}|u1`, 10)).toEqual([]);
      await conversations.remember(`${T}|u2`, { question: 'Later?', answer: 'Yes.' }, 3, at('2026-12-08T10:00:00.000Z'));
      expect(await conversations.turns(`${T}|u1`, 10)).toEqual([]);
    });

    it('deliveries: each id is taken on once, whoever asks and however many at once', async () => {
      const firsts = await Promise.all(Array.from({ length: 6 }, () => state.deliveries.first('slack:event', 'Ev1', at('2026-11-30T10:00:00.000Z'))));
      expect(firsts.filter(Boolean)).toHaveLength(1);
      expect(await state.deliveries.first('slack:event', 'Ev2', at('2026-11-30T10:00:00.000Z'))).toBe(true);
      expect(await state.deliveries.first('discord:interaction', 'Ev1', at('2026-11-30T10:00:00.000Z'))).toBe(true);
    });

    it('deliveries: a trigger id (a Slack slash command or interaction) is taken on once, apart from event ids', async () => {
      const firsts = await Promise.all(Array.from({ length: 3 }, () => state.deliveries.first('slack:trigger', '13345224609.738474920.8088930838d88f008e0', at('2026-11-30T10:00:00.000Z'))));
      expect(firsts.filter(Boolean)).toHaveLength(1);
      expect(await state.deliveries.first('slack:event', '13345224609.738474920.8088930838d88f008e0', at('2026-11-30T10:00:00.000Z'))).toBe(true);
    });

    it('admin sessions: open until they expire or are ended; one ended is ended for every reader of the store', async () => {
      const sessions = state.adminSessions;
      await sessions.open('hash-a', at('2026-11-30T22:00:00.000Z'), at('2026-11-30T10:00:00.000Z'));
      expect(await sessions.isOpen('hash-a', at('2026-11-30T10:00:01.000Z'))).toBe(true);
      expect(await sessions.isOpen('hash-a', at('2026-11-30T22:00:00.000Z'))).toBe(false);
      expect(await sessions.isOpen('hash-unknown', at('2026-11-30T10:00:01.000Z'))).toBe(false);
      await sessions.open('hash-b', at('2026-11-30T23:00:00.000Z'), at('2026-11-30T11:00:00.000Z'));
      expect(await sessions.end('hash-b')).toBe(true);
      expect(await sessions.end('hash-b')).toBe(false);
      expect(await sessions.isOpen('hash-b', at('2026-11-30T11:00:01.000Z'))).toBe(false);
      expect(await sessions.isOpen('hash-a', at('2026-11-30T11:00:01.000Z'))).toBe(true);
    });

    it('admin sessions: opening one prunes those expired by then, and keeps the others', async () => {
      const sessions = state.adminSessions;
      await sessions.open('hash-old', at('2026-12-01T08:00:00.000Z'), at('2026-11-30T20:00:00.000Z'));
      await sessions.open('hash-live', at('2026-12-01T12:00:00.000Z'), at('2026-12-01T00:00:00.000Z'));
      await sessions.open('hash-new', at('2026-12-01T21:00:00.000Z'), at('2026-12-01T09:00:00.000Z'));
      // Asked about an instant when it was still valid: it is gone from the store.
      expect(await sessions.isOpen('hash-old', at('2026-11-30T21:00:00.000Z'))).toBe(false);
      expect(await sessions.isOpen('hash-live', at('2026-12-01T09:00:01.000Z'))).toBe(true);
      expect(await sessions.isOpen('hash-new', at('2026-12-01T09:00:01.000Z'))).toBe(true);
    });
  });
}
