// Child process for the digest restart test: one Docent "life" on a DATA_DIR at a given instant.
// It optionally sets a daily digest, starts digests (which posts a missed run, once), and prints
// one JSON line: the posts it made and the schedules it found.
import { loadConfig } from '../../src/config.js';
import { composeCore } from '../../src/composition/compose-core.js';
import { memoryLogger } from './core.js';
import { FakeDigestPlatform, ManualClock, ManualScheduler } from './digests.js';

const [dataDir = '', now = '', mode = '', catchUp = 'once'] = process.argv.slice(2);
const clock = new ManualClock(new Date(now));
const core = await composeCore(loadConfig({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', DIGEST_CATCHUP: catchUp }), memoryLogger(), { clock, scheduler: new ManualScheduler(), embedder: null });
await core.start();
const platform = new FakeDigestPlatform('slack', clock);
platform.allow('ana', 'general');
platform.say('general', 'Ben', 'The kiln is booked for Thursday.', new Date(clock.now().getTime() - 3_600_000));
core.digests.attach(platform);
const scope = { platform: 'slack', workspace: 'T1', channel: 'general' };
if (mode === 'create') await core.digests.create({ scope, when: 'daily 09:00', timezone: 'Europe/Brussels', creator: { id: 'ana', name: 'Ana' } });
await core.digests.start();
await core.digests.stop();
const schedules = (await core.digests.list(scope)).map((l) => l.schedule.id);
await core.close();
process.stdout.write(`${JSON.stringify({ pid: process.pid, posts: platform.posts.map((p) => p.markdown), schedules })}\n`);
