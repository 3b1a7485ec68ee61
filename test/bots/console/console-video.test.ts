import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/index.js';
import { startFakeGemini, type FakeGemini } from '../../fakes/gemini-fake.js';
import { runConsole } from '../../helpers/console.js';
import { startCore, tempDir, testConfig } from '../../helpers/core.js';
import { makeMp4, makeWebm } from '../../helpers/video-clips.js';

let gemini: FakeGemini;
let withKey: Core;
let offline: Core;
let cwd: string;

beforeAll(async () => {
  gemini = await startFakeGemini();
  gemini.script = ({ user }) => (user.includes('question about the video clip') ? 'Two people, at 0:03.' : 'A cat jumps onto a shelf (0:02).');
  withKey = await startCore(testConfig({ GEMINI_API_KEY: gemini.apiKey, GEMINI_BASE_URL: gemini.url, VIDEO_MAX_MB: '1' }));
  offline = await startCore(testConfig({}));
  await withKey.start();
  await offline.start();
  cwd = tempDir('console-video');
  fs.writeFileSync(path.join(cwd, 'cat.mp4'), makeMp4({ seconds: 7 }));
  fs.writeFileSync(path.join(cwd, 'big.webm'), makeWebm({ seconds: 30, bytes: 2 * 1024 * 1024 }));
});
afterAll(async () => {
  await withKey.close();
  await offline.close();
  await gemini.close();
});

describe('console: video clips', () => {
  it('/caption describes a clip and answers a question about it, with details of what was sent', async () => {
    const { out, failures } = await runConsole(withKey, cwd, ['/caption cat.mp4 describe', '/caption cat.mp4 ask how many people are there?']);
    expect(failures).toBe(0);
    expect(out).toContain('A cat jumps onto a shelf (0:02).');
    expect(out).toContain('Two people, at 0:03.');
    const json = await runConsole(withKey, cwd, ['/caption cat.mp4 describe'], { json: true });
    const reply = JSON.parse(json.out.trim().split('\n').at(-1) ?? '{}') as { clip: { seconds: number; delivery: string }; details: { kind: string; calls: { sent: string }[] } };
    expect(reply.clip).toMatchObject({ seconds: 7, delivery: 'inline' });
    expect(reply.details.kind).toBe('video');
    expect(reply.details.calls[0].sent).toMatch(/the whole clip of 7 s .* inline in the request/);
  });

  it('refuses a clip over VIDEO_MAX_MB, and an image-only mode for a clip', async () => {
    const { out, failures } = await runConsole(withKey, cwd, ['/caption big.webm', '/caption cat.mp4 ocr']);
    expect(failures).toBe(2);
    expect(out).toContain('“big.webm” is larger than 1 MB, the most Docent sends (VIDEO_MAX_MB)');
    expect(out).toContain('Reading text and finding objects work on images');
  });

  it('without a Gemini key says that video needs one', async () => {
    const { out } = await runConsole(offline, cwd, ['/caption cat.mp4']);
    expect(out).toContain('Watching video clips needs a Gemini key: set GEMINI_API_KEY');
  });
});
