import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseSetWords } from '../../../src/commands/digest.js';
import { occurrences, parseWhen } from '../../../src/core/digest/cron.js';
import type { Core } from '../../../src/core/index.js';
import { bufferFile, startCore, tempDir, testConfig } from '../../helpers/core.js';
import { FakeDigestPlatform, ManualClock, ManualScheduler } from '../../helpers/digests.js';
import { makePdf } from '../../helpers/pdfs.js';

const HERE = { platform: 'slack', workspace: 'T1', channel: 'general' };
const ANA = { id: 'ana', name: 'Ana' };
const cores: Core[] = [];

async function setup(env: Record<string, string> = {}, start = '2027-03-22T12:00:00Z', dataDir = tempDir()) {
  const clock = new ManualClock(new Date(start));
  const scheduler = new ManualScheduler();
  const core = await startCore(testConfig({ DATA_DIR: dataDir, ...env }), { clock, scheduler, embedder: null });
  cores.push(core);
  await core.start();
  const platform = new FakeDigestPlatform('slack', clock);
  platform.allow('ana', 'general', 'design', 'ops');
  core.digests.attach(platform);
  await core.digests.start();
  return { core, clock, scheduler, platform, dataDir };
}

afterEach(async () => {
  for (const core of cores.splice(0)) await core.close();
});

/** Runs every half hour from `from` to `to`, as an over-eager trigger would; returns when posts happened. */
async function sweep(core: Core, clock: ManualClock, id: string, from: string, to: string): Promise<void> {
  for (let t = new Date(from).getTime(); t <= new Date(to).getTime(); t += 30 * 60_000) {
    clock.set(new Date(t));
    await core.digests.runDue(id);
  }
}

describe('digest schedules: on time across daylight-saving changes', () => {
  it('a weekdays-09:00 Europe/Brussels digest posts at 08:00 UTC before the March change and 07:00 UTC after, once each', async () => {
    const { core, clock, platform } = await setup();
    const { schedule } = await core.digests.create({ scope: HERE, when: 'weekdays 09:00', timezone: 'Europe/Brussels', creator: ANA });
    await sweep(core, clock, schedule.id, '2027-03-22T12:00:00Z', '2027-04-01T12:00:00Z');
    expect(platform.posts.map((p) => p.at.toISOString())).toEqual([
      '2027-03-23T08:00:00.000Z',
      '2027-03-24T08:00:00.000Z',
      '2027-03-25T08:00:00.000Z',
      '2027-03-26T08:00:00.000Z',
      '2027-03-29T07:00:00.000Z',
      '2027-03-30T07:00:00.000Z',
      '2027-03-31T07:00:00.000Z',
      '2027-04-01T07:00:00.000Z',
    ]);
  });

  it('and at 07:00 UTC before the October change, 08:00 UTC after', async () => {
    const { core, clock, platform } = await setup({}, '2027-10-26T12:00:00Z');
    const { schedule } = await core.digests.create({ scope: HERE, when: 'weekdays 09:00', timezone: 'Europe/Brussels', creator: ANA });
    await sweep(core, clock, schedule.id, '2027-10-26T12:00:00Z', '2027-11-02T12:00:00Z');
    expect(platform.posts.map((p) => p.at.toISOString())).toEqual([
      '2027-10-27T07:00:00.000Z',
      '2027-10-28T07:00:00.000Z',
      '2027-10-29T07:00:00.000Z',
      '2027-11-01T08:00:00.000Z',
      '2027-11-02T08:00:00.000Z',
    ]);
  });

  it('reads lists, ranges, steps, names and both day fields together (both must match)', () => {
    const expected: Record<string, string[]> = {
      '0 9 1 * 1': ['2027-02-01T14:00:00.000Z', '2027-03-01T14:00:00.000Z', '2027-11-01T13:00:00.000Z', '2028-05-01T13:00:00.000Z'],
      '0 9 1,15 * *': ['2027-01-01T14:00:00.000Z', '2027-01-15T14:00:00.000Z', '2027-02-01T14:00:00.000Z', '2027-02-15T14:00:00.000Z'],
      '15 */3 * * 1-5': ['2027-01-01T02:15:00.000Z', '2027-01-01T05:15:00.000Z', '2027-01-01T08:15:00.000Z', '2027-01-01T11:15:00.000Z'],
      '0 9 * jan,jul sun': ['2027-01-03T14:00:00.000Z', '2027-01-10T14:00:00.000Z', '2027-01-17T14:00:00.000Z', '2027-01-24T14:00:00.000Z', '2027-01-31T14:00:00.000Z', '2027-07-04T13:00:00.000Z'],
      '0 9 28-31 * *': ['2027-01-28T14:00:00.000Z', '2027-01-29T14:00:00.000Z', '2027-01-30T14:00:00.000Z', '2027-01-31T14:00:00.000Z', '2027-02-28T14:00:00.000Z', '2027-03-28T13:00:00.000Z'],
      '45 23 * * 0': ['2027-01-04T04:45:00.000Z', '2027-01-11T04:45:00.000Z', '2027-01-18T04:45:00.000Z', '2027-01-25T04:45:00.000Z'],
    };
    for (const [expression, instants] of Object.entries(expected)) {
      const schedule = parseWhen(expression, 'America/New_York');
      expect(occurrences(schedule, new Date('2027-01-01T00:00:00Z'), new Date('2031-01-01T00:00:00Z'), instants.length).map((d) => d.toISOString()), expression).toEqual(instants);
    }
  });

  it('a wall time skipped in spring does not run that day; one repeated in autumn runs once, at the second', () => {
    const night = parseWhen('30 2 * * *', 'Europe/Brussels');
    const spring = occurrences(night, new Date('2027-03-27T00:00:00Z'), new Date('2027-03-30T00:00:00Z')).map((d) => d.toISOString());
    const autumn = occurrences(night, new Date('2027-10-30T00:00:00Z'), new Date('2027-11-01T00:00:00Z')).map((d) => d.toISOString());
    expect(spring).toEqual(['2027-03-27T01:30:00.000Z', '2027-03-29T00:30:00.000Z']);
    expect(autumn).toEqual(['2027-10-30T00:30:00.000Z', '2027-10-31T01:30:00.000Z']);
  });
});

describe('schedule input', () => {
  it('reads daily, weekdays, weekly and cron forms, and rejects bad ones with the reason and an example', () => {
    expect(parseWhen('daily 7:30', 'UTC').expression).toBe('30 7 * * *');
    expect(parseWhen('weekly mon 09:00', 'UTC')).toMatchObject({ expression: '0 9 * * 1', description: 'every Monday at 09:00' });
    expect(parseWhen('every friday 5pm', 'UTC').expression).toBe('0 17 * * 5');
    expect(parseWhen('0 9 * * mon-fri', 'UTC')).toMatchObject({ expression: '0 9 * * mon-fri', description: 'weekdays at 09:00' });
    expect(parseWhen('30 7 * * 0', 'UTC').description).toBe('every Sunday at 07:30');
    expect(parseWhen('0 9 1 * *', 'UTC').description).toBe('cron “0 9 1 * *”');
    expect(() => parseWhen('daily 25:00', 'UTC')).toThrow(/“daily 25:00” is not a schedule: 25:00 is not a time of day\. Try daily 09:00/);
    expect(() => parseWhen('0 9 * *', 'UTC')).toThrow(/5 fields.*this one has 4/);
    expect(() => parseWhen('*/5 * * * *', 'UTC')).toThrow(/at most once an hour/);
    expect(() => parseWhen('0 9 31 2 *', 'UTC')).toThrow(/never runs/);
    expect(() => parseWhen('daily 09:00', 'Europe/Atlantis')).toThrow(/“Europe\/Atlantis” is not a time zone.*Europe\/Brussels/);
  });

  it('rejects what the cron engine cannot read, though each field looks right ("1/2/3", a step longer than the field)', () => {
    expect(() => parseWhen('0 1/2/3 * * *', 'UTC')).toThrow(/“0 1\/2\/3 \* \* \*” is not a schedule: Docent does not understand it\. Try daily 09:00/);
    expect(() => parseWhen('*/100 9 * * *', 'UTC')).toThrow(/Docent does not understand it/);
  });

  it('takes one line of words apart (schedule, zone in any case, channel mentions of either platform)', () => {
    expect(parseSetWords('weekdays 09:00 europe/brussels <#C1|general> <#900> #design')).toEqual({ when: 'weekdays 09:00', timezone: 'europe/brussels', channels: ['C1', '900', '#design'] });
    expect(parseSetWords('0 */2 * * 1-5 UTC')).toEqual({ when: '0 */2 * * 1-5', timezone: 'UTC', channels: [] });
    expect(parseWhen('daily 09:00', 'europe/brussels').timezone).toBe('Europe/Brussels');
  });

  it('refuses to set the same digest twice in a channel', async () => {
    const { core } = await setup();
    const { schedule } = await core.digests.create({ scope: HERE, when: 'weekdays 09:00', timezone: 'Europe/Brussels', creator: ANA });
    await expect(core.digests.create({ scope: HERE, when: '0 9 * * 1-5', timezone: 'europe/brussels', creator: ANA })).rejects.toMatchObject({
      code: 'digest_exists',
      userMessage: `This digest is already set here as ${schedule.id} (weekdays at 09:00, Europe/Brussels). /digest list shows it.`,
    });
    await core.digests.create({ scope: HERE, when: 'weekdays 09:00', timezone: 'UTC', creator: ANA });
    expect(await core.digests.list(HERE)).toHaveLength(2);
  });

  it('looks up channels typed by name, and names one it cannot find', async () => {
    const { core } = await setup();
    const { schedule } = await core.digests.create({ scope: HERE, when: 'daily 09:00', channels: ['general', '#design'], creator: ANA });
    expect(schedule.channels).toEqual(['general', 'design']);
    await expect(core.digests.create({ scope: HERE, when: 'daily 10:00', channels: ['#nowhere'], creator: ANA })).rejects.toMatchObject({
      code: 'unknown_channel',
      userMessage: 'Docent sees no channel called #nowhere here. Mention it (type # and pick it), and make sure Docent is in it.',
    });
  });

  it('refuses to recap a channel its creator cannot read', async () => {
    const { core } = await setup();
    await expect(core.digests.create({ scope: HERE, when: 'daily 09:00', channels: ['general', 'secret'], creator: ANA })).rejects.toMatchObject({
      code: 'channel_not_readable',
      userMessage: expect.stringContaining('You cannot read #secret'),
    });
    expect(await core.digests.list(HERE)).toHaveLength(0);
  });
});

describe('digest content', () => {
  it('recaps each channel’s messages with links, the documents indexed and the questions the documents could not answer', async () => {
    const { core, clock, platform } = await setup({}, '2027-05-03T10:00:00Z');
    const { schedule } = await core.digests.create({ scope: HERE, when: 'daily 09:00', timezone: 'UTC', channels: ['general', 'design'], creator: ANA });
    platform.say('general', 'Ben', 'The kiln firing moves to Thursday for the glaze batch.', '2027-05-03T15:00:00Z');
    platform.say('general', 'Cy', 'Thursday works, I will book the kiln room.', '2027-05-03T15:05:00Z');
    clock.set('2027-05-03T16:00:00Z');
    await core.knowledge.ingest({ ...HERE, channel: 'design' }, bufferFile('glaze.pdf', await makePdf([{ paragraphs: ['Glaze recipes: celadon fires at 1,280 degrees.'] }])), { id: 'cy', name: 'Cy' });
    await core.feedback.recordAnswer(HERE, { question: 'What temperature for celadon?', answer: '1,280 degrees [1]', grounded: true, model: undefined, askedBy: 'Ben' });
    await core.feedback.recordAnswer(HERE, { question: 'Who owns the kiln key?', answer: 'not in the documents', grounded: false, model: undefined, askedBy: 'Dee' });
    clock.set('2027-05-04T09:00:00Z');
    expect(await core.digests.runDue(schedule.id)).toMatchObject({ status: 'posted', late: false });
    const digest = platform.posts[0].markdown;
    expect(digest).toContain('📬 **Digest — #general, #design**');
    expect(digest).toMatch(/Summary of #general\*\* — 2 messages, 2 people/);
    expect(digest).toContain('https://chat.example/general/1');
    expect(digest).toContain('**#design**: no messages.');
    expect(digest).toMatch(/• glaze\.pdf — 1 page, posted by Cy in #design/);
    expect(digest).toMatch(/Questions asked with \/ask\*\*: 2, 1 the documents could not answer:\n• “Who owns the kiln key\?” — Dee in #general/);
    expect(digest).not.toContain('What temperature for celadon');
  });

  it('says so for a channel with model providers off (/settings ai off): its recap lists messages, never a written summary', async () => {
    const { core, clock, platform } = await setup({}, '2027-05-03T10:00:00Z');
    const { schedule } = await core.digests.create({ scope: HERE, when: 'daily 09:00', timezone: 'UTC', channels: ['general', 'design'], creator: ANA });
    await core.settings.set(HERE, 'ai', false, ANA);
    for (const channel of ['general', 'design']) {
      platform.say(channel, 'Ben', `The kiln firing in ${channel} moves to Thursday for the glaze batch.`, '2027-05-03T15:00:00Z');
      platform.say(channel, 'Cy', 'Thursday works, I will book the kiln room.', '2027-05-03T15:05:00Z');
    }
    clock.set('2027-05-04T09:00:00Z');
    await core.digests.runDue(schedule.id);
    const [general, design] = (platform.posts[0]?.markdown ?? '').split('Summary of #design');
    expect(general).toContain('Model providers are off in this channel (/settings ai): these are its most representative messages, not a written summary.');
    expect(design).toContain('No summary model is configured');
    expect(design).not.toContain('Model providers are off');
  });

  it('a quiet period posts one line, or nothing with DIGEST_QUIET=skip', async () => {
    const note = await setup({}, '2027-05-03T10:00:00Z');
    const a = await note.core.digests.create({ scope: HERE, when: 'daily 09:00', timezone: 'UTC', creator: ANA });
    note.clock.set('2027-05-04T09:00:00Z');
    expect(await note.core.digests.runDue(a.schedule.id)).toMatchObject({ status: 'quiet' });
    expect(note.platform.posts.map((p) => p.markdown)).toEqual(['📭 Quiet since Monday 3 May at 09:00: nothing new in #general.']);

    const skip = await setup({ DIGEST_QUIET: 'skip' }, '2027-05-03T10:00:00Z');
    const b = await skip.core.digests.create({ scope: HERE, when: 'daily 09:00', timezone: 'UTC', creator: ANA });
    skip.clock.set('2027-05-04T09:00:00Z');
    expect(await skip.core.digests.runDue(b.schedule.id)).toMatchObject({ status: 'quiet' });
    expect(skip.platform.posts).toHaveLength(0);
  });

  it('one failing channel does not stop the others: it is named in the digest and reported once to the creator', async () => {
    const { core, clock, platform } = await setup({}, '2027-05-03T10:00:00Z');
    const { schedule } = await core.digests.create({ scope: HERE, when: 'daily 09:00', timezone: 'UTC', channels: ['general', 'ops'], creator: ANA });
    platform.say('general', 'Ben', 'Release notes are ready for review.', '2027-05-03T12:00:00Z');
    platform.broken.add('ops');
    clock.set('2027-05-04T09:00:00Z');
    expect(await core.digests.runDue(schedule.id)).toMatchObject({ status: 'posted' });
    expect(platform.posts[0].markdown).toContain('Release notes are ready for review.');
    expect(platform.posts[0].markdown).toMatch(/\*\*#ops\*\*: ✖ could not be recapped — history of ops is unavailable \(missing_scope\)/);
    expect(platform.notes).toEqual([{ userId: 'ana', markdown: expect.stringMatching(/some channels could not be recapped:\n• #ops: history of ops is unavailable/) }]);
    // The same failure the next day is named in the digest again, but not reported again.
    clock.set('2027-05-05T09:00:00Z');
    expect(await core.digests.runDue(schedule.id)).toMatchObject({ status: 'posted' });
    expect(platform.posts[1].markdown).toMatch(/#ops\*\*: ✖ could not be recapped/);
    expect(platform.notes).toHaveLength(1);
  });

  it('an unexpected error marks the run failed, tells the creator once, and the next digest covers the period', async () => {
    const { core, clock, platform } = await setup({}, '2027-05-03T10:00:00Z');
    const { schedule } = await core.digests.create({ scope: HERE, when: 'daily 09:00', timezone: 'UTC', creator: ANA });
    platform.say('general', 'Ben', 'Monday note.', '2027-05-03T12:00:00Z');
    platform.crashing.add('general');
    clock.set('2027-05-04T09:00:00Z');
    expect(await core.digests.runDue(schedule.id)).toMatchObject({ status: 'failed' });
    expect(await core.digests.runDue(schedule.id)).toMatchObject({ status: 'already-run' });
    expect(platform.notes.map((n) => n.markdown)).toEqual([expect.stringMatching(/could not prepare your digest .* an unexpected error \(see the logs\)/)]);
    platform.crashing.clear();
    platform.say('general', 'Cy', 'Tuesday note.', '2027-05-04T12:00:00Z');
    clock.set('2027-05-05T09:00:00Z');
    expect(await core.digests.runDue(schedule.id)).toMatchObject({ status: 'posted' });
    expect(platform.posts[0].markdown).toMatch(/2 messages/);
  });

  it('a channel its creator can no longer read is left out, saying so', async () => {
    const { core, clock, platform } = await setup({}, '2027-05-03T10:00:00Z');
    const { schedule } = await core.digests.create({ scope: HERE, when: 'daily 09:00', timezone: 'UTC', channels: ['general', 'design'], creator: ANA });
    platform.say('design', 'Ben', 'Secret roadmap draft.', '2027-05-03T12:00:00Z');
    platform.readers.get('design')?.delete('ana');
    clock.set('2027-05-04T09:00:00Z');
    expect(await core.digests.runDue(schedule.id)).toMatchObject({ status: 'posted' });
    expect(platform.posts[0].markdown).toContain('**#design**: left out — Ana, who set this digest, cannot read it.');
    expect(platform.posts[0].markdown).not.toContain('Secret roadmap');
  });

  it('a post that keeps failing is retried, reported once, and the next digest covers that period too', async () => {
    const { core, clock, platform } = await setup({}, '2027-05-03T10:00:00Z');
    const { schedule } = await core.digests.create({ scope: HERE, when: 'daily 09:00', timezone: 'UTC', creator: ANA });
    platform.say('general', 'Ben', 'Monday: the budget review is moved to Friday.', '2027-05-03T12:00:00Z');
    platform.failPosts = 6;
    clock.set('2027-05-04T09:00:00Z');
    expect(await core.digests.runDue(schedule.id)).toMatchObject({ status: 'failed' });
    expect(platform.failPosts).toBe(3); // three attempts
    expect(platform.notes).toHaveLength(1);
    expect(platform.notes[0].markdown).toMatch(/could not post your digest .* channel_not_found\. The next one will cover this period too/);
    platform.say('general', 'Cy', 'Tuesday: Friday works for the budget review.', '2027-05-04T12:00:00Z');
    clock.set('2027-05-05T09:00:00Z');
    expect(await core.digests.runDue(schedule.id)).toMatchObject({ status: 'failed' });
    expect(platform.notes).toHaveLength(1); // the same failure is not reported twice
    platform.say('general', 'Dee', 'Wednesday: room booked.', '2027-05-05T12:00:00Z');
    clock.set('2027-05-06T09:00:00Z');
    expect(await core.digests.runDue(schedule.id)).toMatchObject({ status: 'posted' });
    expect(platform.posts[0].markdown).toMatch(/3 messages, 3 people/);
  });
});

describe('exactly once', () => {
  it('two overlapping ticks post once', async () => {
    const { core, clock, platform, scheduler } = await setup({}, '2027-05-03T10:00:00Z');
    const { schedule } = await core.digests.create({ scope: HERE, when: 'daily 09:00', timezone: 'UTC', creator: ANA });
    platform.postDelayMs = 100;
    clock.set('2027-05-04T09:00:00Z');
    const results = await Promise.all([core.digests.runDue(schedule.id), core.digests.runDue(schedule.id)]);
    expect(results.map((r) => r.status).sort()).toEqual(['already-run', 'quiet']);
    scheduler.tickAll();
    await core.digests.stop();
    expect(platform.posts).toHaveLength(1);
  });

  it('schedules survive a restart; a run missed while down is posted once, marked late, and not again after another restart', async () => {
    const first = await setup({}, '2027-05-03T10:00:00Z');
    const { schedule } = await first.core.digests.create({ scope: HERE, when: 'daily 09:00', timezone: 'UTC', creator: ANA });
    await first.core.close();
    cores.splice(cores.indexOf(first.core), 1);

    const second = await setup({}, '2027-05-04T11:30:00Z', first.dataDir);
    expect((await second.core.digests.list(HERE)).map((l) => l.schedule.id)).toEqual([schedule.id]);
    expect(second.scheduler.active.map((t) => [t.expression, t.timezone])).toEqual([['0 9 * * *', 'UTC']]);
    await second.core.digests.stop(); // waits for the catch-up started by start()
    expect(second.platform.posts).toHaveLength(1);
    expect(second.platform.posts[0].markdown).toMatch(/⏰ late: this digest was due Tuesday 4 May at 09:00/);
    await second.core.close();
    cores.splice(cores.indexOf(second.core), 1);

    const third = await setup({}, '2027-05-04T12:00:00Z', first.dataDir);
    await third.core.digests.stop();
    expect(third.platform.posts).toHaveLength(0);
  });

  it('with DIGEST_CATCHUP=skip a missed run is recorded as skipped and the next digest starts after it', async () => {
    const first = await setup({ DIGEST_CATCHUP: 'skip' }, '2027-05-03T10:00:00Z');
    const { schedule } = await first.core.digests.create({ scope: HERE, when: 'daily 09:00', timezone: 'UTC', creator: ANA });
    await first.core.close();
    cores.splice(cores.indexOf(first.core), 1);
    const second = await setup({ DIGEST_CATCHUP: 'skip' }, '2027-05-04T11:30:00Z', first.dataDir);
    await second.core.digests.stop();
    expect(second.platform.posts).toHaveLength(0);
    second.platform.say('general', 'Ben', 'Before the skipped run was recorded.', '2027-05-04T11:00:00Z');
    second.platform.say('general', 'Cy', 'After it: the poster is printed.', '2027-05-04T13:00:00Z');
    second.clock.set('2027-05-05T09:00:00Z');
    expect(await second.core.digests.runDue(schedule.id)).toMatchObject({ status: 'posted' });
    expect(second.platform.posts[0].markdown).toContain('poster is printed');
    expect(second.platform.posts[0].markdown).not.toContain('Before the skipped run');
  });

  it('after a crash, a run that was claimed but not posted is posted once (late); one caught mid-post is never repeated', async () => {
    const first = await setup({}, '2027-05-03T10:00:00Z');
    const a = await first.core.digests.create({ scope: HERE, when: 'daily 09:00', timezone: 'UTC', creator: ANA });
    const b = await first.core.digests.create({ scope: { ...HERE, channel: 'design' }, when: 'daily 09:00', timezone: 'UTC', channels: ['design'], creator: ANA });
    await first.core.close();
    cores.splice(cores.indexOf(first.core), 1);
    // What a crashed process leaves: one run claimed, one in the middle of posting.
    const Database = (await import('better-sqlite3')).default;
    const db = new Database(path.join(first.dataDir, 'docent.db'));
    const insert = db.prepare(`INSERT INTO digest_runs (schedule_id, period, status, late, owner, started_at) VALUES (?, '2027-05-04T09:00:00.000Z', ?, 0, 'dead', '2027-05-04T09:00:00.000Z')`);
    insert.run(a.schedule.id, 'claimed');
    insert.run(b.schedule.id, 'posting');
    db.close();
    const second = await setup({}, '2027-05-04T09:20:00Z', first.dataDir);
    await second.core.digests.stop();
    expect(second.platform.posts.map((p) => p.channel)).toEqual(['general']);
    expect(second.platform.posts[0].markdown).toMatch(/late/);
  });
});

describe('schedules from the config file', () => {
  it('loads them at start next to chat ones, drops those removed from the file, and names a bad entry', async () => {
    const dir = tempDir();
    const file = path.join(dir, 'digests.json');
    fs.writeFileSync(file, JSON.stringify([{ platform: 'slack', workspace: 'T1', channel: 'general', when: 'weekly mon 09:00', timezone: 'Europe/Brussels', channels: ['general', 'design'] }]));
    const first = await setup({ DIGEST_SCHEDULES_FILE: file });
    const [listed] = await first.core.digests.list(HERE);
    expect(listed.schedule).toMatchObject({ source: 'config', expression: '0 9 * * 1', timezone: 'Europe/Brussels', channels: ['general', 'design'] });
    // Declared by the operator, so not limited to what a chat user can read.
    first.platform.say('design', 'Ben', 'New palette is approved.', '2027-03-28T10:00:00Z');
    first.platform.say('design', 'Cy', 'I will update the style guide.', '2027-03-28T10:05:00Z');
    first.clock.set('2027-03-29T07:00:00Z');
    expect(await first.core.digests.runDue(listed.schedule.id)).toMatchObject({ status: 'posted' });
    expect(first.platform.posts[0].markdown).toMatch(/Summary of #design\*\* — 2 messages/);
    await expect(first.core.digests.remove(HERE, listed.schedule.id)).rejects.toThrow(/DIGEST_SCHEDULES_FILE/);
    await first.core.close();
    cores.splice(cores.indexOf(first.core), 1);

    fs.writeFileSync(file, '[]');
    const second = await setup({ DIGEST_SCHEDULES_FILE: file }, '2027-03-22T12:00:00Z', first.dataDir);
    expect(await second.core.digests.list(HERE)).toHaveLength(0);

    fs.writeFileSync(file, JSON.stringify([{ platform: 'slack', workspace: 'T1', channel: 'general', when: 'daily 26:00' }]));
    await expect(setup({ DIGEST_SCHEDULES_FILE: file })).rejects.toThrow(/DIGEST_SCHEDULES_FILE \(.*digests\.json\), schedule 1: “daily 26:00” is not a schedule/);
  });
});
