import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../helpers/core.js';

const run = promisify(execFile);
const script = path.resolve(import.meta.dirname, '../../helpers/digest-process.ts');

/** One Docent process on `dataDir` at `now`; what it posted and which schedules it found. */
async function life(dataDir: string, now: string, mode = '', catchUp = 'once'): Promise<{ pid: number; posts: string[]; schedules: string[] }> {
  const { stdout } = await run(process.execPath, ['--import', 'tsx', script, dataDir, now, mode, catchUp], { timeout: 60_000 });
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { pid: number; posts: string[]; schedules: string[] };
}

describe('digests across process restarts (same DATA_DIR, new processes)', () => {
  it('keeps the schedule, posts a run missed while down exactly once (late), and nothing on the next restart', async () => {
    const dataDir = tempDir();
    const first = await life(dataDir, '2027-05-03T10:00:00Z', 'create');
    expect(first.posts).toEqual([]);
    expect(first.schedules).toHaveLength(1);
    // Down over Tuesday 09:00 Brussels (07:00 UTC); back at 10:30 UTC.
    const second = await life(dataDir, '2027-05-04T10:30:00Z');
    expect(second.pid).not.toBe(first.pid);
    expect(second.schedules).toEqual(first.schedules);
    expect(second.posts).toHaveLength(1);
    expect(second.posts[0]).toMatch(/⏰ late: this digest was due Tuesday 4 May at 09:00/);
    const third = await life(dataDir, '2027-05-04T11:00:00Z');
    expect(third.posts).toEqual([]);
  }, 120_000);

  it('with DIGEST_CATCHUP=skip the missed run is not posted, before or after another restart', async () => {
    const dataDir = tempDir();
    await life(dataDir, '2027-05-03T10:00:00Z', 'create', 'skip');
    expect((await life(dataDir, '2027-05-04T10:30:00Z', '', 'skip')).posts).toEqual([]);
    expect((await life(dataDir, '2027-05-04T11:00:00Z', '', 'skip')).posts).toEqual([]);
  }, 120_000);
});
