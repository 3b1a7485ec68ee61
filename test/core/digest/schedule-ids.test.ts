import { describe, expect, it } from 'vitest';
import { openSqliteDatabase } from '../../../src/core/providers/storage/sqlite/database.js';
import { sqliteStateStore } from '../../../src/core/providers/storage/sqlite/state-store.js';
import type { StateStore } from '../../../src/core/ports/state-store.js';
import { startCore, tempDir, testConfig } from '../../helpers/core.js';
import { FakeDigestPlatform, ManualClock, ManualScheduler } from '../../helpers/digests.js';

describe('digest schedule ids', () => {
  it('an id already taken (even by a removed schedule) is drawn again, never merged with the other schedule', async () => {
    const db = openSqliteDatabase(tempDir());
    const real = sqliteStateStore(db, { closeDatabase: true });
    const refused: string[] = [];
    // The store reports the first two ids drawn as taken, as it would after a collision.
    const state: StateStore = {
      ...real,
      digests: Object.assign(Object.create(real.digests) as typeof real.digests, {
        save: async (s: Parameters<typeof real.digests.save>[0]) => {
          if (s.source === 'chat' && refused.length < 2) {
            refused.push(s.id);
            return false;
          }
          return real.digests.save(s);
        },
      }),
    };
    const clock = new ManualClock(new Date('2027-03-22T12:00:00Z'));
    const core = await startCore(testConfig(), { state, clock, scheduler: new ManualScheduler(), embedder: null });
    await core.start();
    const platform = new FakeDigestPlatform('slack', clock);
    platform.allow('ana', 'general');
    core.digests.attach(platform);
    const scope = { platform: 'slack', workspace: 'T1', channel: 'general' };
    const { schedule } = await core.digests.create({ scope, when: 'daily 09:00', timezone: 'UTC', creator: { id: 'ana', name: 'Ana' } });
    expect(refused).toHaveLength(2);
    expect(refused).not.toContain(schedule.id);
    expect((await core.digests.list(scope)).map((l) => l.schedule.id)).toEqual([schedule.id]);
    await core.close();
  });
});
