import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../../src/core/index.js';
import { GeminiVideo } from '../../../src/core/providers/media/gemini-video.js';
import { clock } from '../../../src/core/vision/video.js';
import type { FakeGemini } from '../../fakes/gemini-fake.js';
import { startGeminiCores, type GeminiCores } from '../../helpers/gemini-cores.js';
import { bufferFile, memoryLogger } from '../../helpers/core.js';
import { makeMp4, makeWebm } from '../../helpers/video-clips.js';

let gemini: FakeGemini;
let withKey: Core;
let offline: Core;

type SentPart = { text?: string; inlineData?: { mimeType: string; data: string }; fileData?: { fileUri: string; mimeType?: string } };
const partsOf = (i: number) => gemini.chats[i].body.contents[0].parts as SentPart[];

/** The provider on its own, against the fake, with real waits and no retries. */
const directVideo = (options: { inlineMaxBytes: number; pollMs?: number; processingTimeoutMs?: number }) =>
  new GeminiVideo('gemini-2.5-flash', {
    apiKey: gemini.apiKey,
    baseUrl: gemini.url,
    maxOutputTokens: 256,
    timeoutMs: 10_000,
    maxRetries: 0,
    clock: { now: () => new Date(), sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)) },
    logger: memoryLogger(),
    ...options,
  });

let cores: GeminiCores;
beforeAll(async () => {
  // Clips above 64 KB go through the Files API here, so both paths are tested with small files.
  cores = await startGeminiCores({}, { VIDEO_INLINE_MB: '0.0625', VIDEO_MAX_MB: '12', VIDEO_MAX_SECONDS: '120' });
  ({ gemini, withKey, offline } = cores);
});
afterAll(() => cores.close());
beforeEach(() => {
  gemini.chats.length = 0;
  gemini.filesApi.chunks.length = 0;
  gemini.filesApi.processingReads = 1;
  gemini.filesApi.failProcessing = false;
  gemini.script = ({ user }) => (user.includes('caption') ? 'A dog catches a frisbee.\nmore' : user.includes('question') ? 'At 0:04 the dog jumps.' : 'A dog runs across a park (0:00–0:08) and catches a frisbee.');
});

describe('video clips, inline', () => {
  it('sends a small clip inline, the video before the prompt, and captions it in one line', async () => {
    const clip = makeMp4({ seconds: 8, bytes: 20_000 });
    const result = await withKey.video.watch(bufferFile('dog.mp4', clip), 'caption', undefined);
    expect(result.text).toBe('A dog catches a frisbee.');
    expect(result.clip).toMatchObject({ delivery: 'inline', seconds: 8, mimeType: 'video/mp4', estimatedTokens: 2400 });
    const [video, prompt] = partsOf(0);
    expect(video.inlineData?.mimeType).toBe('video/mp4');
    expect(Buffer.from(video.inlineData?.data ?? '', 'base64').equals(clip)).toBe(true);
    expect(prompt.text).toMatch(/caption/);
    expect(gemini.filesApi.chunks).toHaveLength(0);
  });

  it('asks a question about a clip, and names QuickTime and WebM as Gemini does', async () => {
    const asked = await withKey.video.watch(bufferFile('clip.mov', makeMp4({ seconds: 5, quicktime: true })), 'ask', 'when does the dog jump?');
    expect(asked.text).toBe('At 0:04 the dog jumps.');
    expect(partsOf(0)[0].inlineData?.mimeType).toBe('video/mov');
    expect(partsOf(0)[1].text).toContain('when does the dog jump?');
    await withKey.video.watch(bufferFile('screen.webm', makeWebm({ seconds: 30, withDuration: false })), 'describe', undefined);
    expect(partsOf(1)[0].inlineData?.mimeType).toBe('video/webm');
  });
});

describe('video clips, through the Files API', () => {
  it('uploads a larger clip in 8 MB chunks, waits until it is ACTIVE, answers from the file and deletes it', async () => {
    const clip = makeMp4({ seconds: 90, bytes: 9 * 1024 * 1024, moovLast: true });
    gemini.filesApi.processingReads = 2;
    const result = await withKey.video.watch(bufferFile('match.mp4', clip), 'describe', undefined);
    expect(result.clip.delivery).toBe('uploaded');
    expect(result.text).toContain('catches a frisbee');
    expect(gemini.filesApi.chunks.map((c) => [c.command, c.offset])).toEqual([
      ['upload', 0],
      ['upload, finalize', 8 * 1024 * 1024],
    ]);
    const [video, prompt] = partsOf(0);
    expect(video.fileData?.mimeType).toBe('video/mp4');
    expect(video.inlineData).toBeUndefined();
    expect(prompt.text).toMatch(/timestamps/);
    const uploadedName = gemini.filesApi.deleted.at(-1) ?? '';
    expect(video.fileData?.fileUri).toContain(uploadedName.replace('files/', ''));
    expect(gemini.filesApi.files.size).toBe(0);
  });

  it('says plainly when Gemini cannot process the clip, and still deletes it', async () => {
    gemini.filesApi.failProcessing = true;
    const deletedBefore = gemini.filesApi.deleted.length;
    await expect(withKey.video.watch(bufferFile('broken.mp4', makeMp4({ seconds: 20, bytes: 100_000 })), 'describe', undefined)).rejects.toMatchObject({
      code: 'video_failed',
      userMessage: expect.stringMatching(/could not process “broken\.mp4”: Video could not be decoded/),
    });
    expect(gemini.filesApi.deleted.length).toBe(deletedBefore + 1);
    expect(gemini.chats).toHaveLength(0);
  });

  it('gives up on a clip still processing after the time limit, and deletes it', async () => {
    gemini.filesApi.processingReads = 1_000;
    const video = directVideo({ inlineMaxBytes: 10, pollMs: 8, processingTimeoutMs: 60 });
    const deletedBefore = gemini.filesApi.deleted.length;
    await expect(video.watch({ data: makeMp4({ seconds: 3 }), mimeType: 'video/mp4', name: 'slow.mp4' }, 'Describe it.', {})).rejects.toMatchObject({ code: 'video_processing_timeout' });
    expect(gemini.filesApi.deleted.length).toBe(deletedBefore + 1);
  });

  it('the fake refuses an inline request over 20 MB and a file not yet ACTIVE, as the API does', async () => {
    const video = directVideo({ inlineMaxBytes: 30 * 1024 * 1024 });
    await expect(video.watch({ data: makeMp4({ seconds: 60, bytes: 16 * 1024 * 1024 }), mimeType: 'video/mp4', name: 'big.mp4' }, 'Describe it.', {})).rejects.toMatchObject({
      status: 400,
      userMessage: expect.stringContaining('Request payload size exceeds the limit'),
    });
    const uri = `${gemini.url}/v1beta/files/still-processing`;
    gemini.filesApi.processingReads = 5;
    gemini.filesApi.files.set('files/still-processing', { name: 'files/still-processing', displayName: 'x.mp4', mimeType: 'video/mp4', sizeBytes: 10, uri, data: Buffer.alloc(10), reads: 0 });
    const early = await fetch(`${gemini.url}/v1beta/models/gemini-2.5-flash:generateContent`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-goog-api-key': gemini.apiKey },
      body: JSON.stringify({ contents: [{ role: 'user', parts: [{ fileData: { fileUri: uri, mimeType: 'video/mp4' } }, { text: 'Describe it.' }] }] }),
    });
    expect([early.status, ((await early.json()) as { error: { status: string } }).error.status]).toEqual([400, 'FAILED_PRECONDITION']);
    gemini.filesApi.files.delete('files/still-processing');
  });
});

describe('video clips refused before anything is sent', () => {
  it('refuses a clip over VIDEO_MAX_MB before downloading it', async () => {
    let read = false;
    const announced = { ...bufferFile('long.mp4', Buffer.alloc(10)), size: 13 * 1024 * 1024, read: async () => ((read = true), Buffer.alloc(0)) };
    await expect(withKey.video.watch(announced, 'describe', undefined)).rejects.toMatchObject({ code: 'video_too_large', userMessage: expect.stringContaining('VIDEO_MAX_MB') });
    expect(read).toBe(false);
  });

  it('refuses a clip longer than VIDEO_MAX_SECONDS, saying how long it is', async () => {
    await expect(withKey.video.watch(bufferFile('lecture.webm', makeWebm({ seconds: 400 })), 'describe', undefined)).rejects.toMatchObject({
      code: 'video_too_long',
      userMessage: '“lecture.webm” runs 6:40; Docent watches clips up to 2:00 (VIDEO_MAX_SECONDS). Trim it and post it again.',
    });
    expect(gemini.chats).toHaveLength(0);
  });

  it('refuses what is not a readable clip, a clip without a picture, and formats it cannot check', async () => {
    await expect(withKey.video.watch(bufferFile('fake.mp4', Buffer.from('%PDF-1.7 nope')), 'describe', undefined)).rejects.toMatchObject({ code: 'not_video' });
    await expect(withKey.video.watch(bufferFile('song.mp4', makeMp4({ seconds: 30, handlers: ['soun'] })), 'describe', undefined)).rejects.toMatchObject({ code: 'no_picture' });
    await expect(withKey.video.watch(bufferFile('old.avi', Buffer.alloc(100)), 'describe', undefined)).rejects.toMatchObject({ code: 'unsupported_video', userMessage: expect.stringContaining('MP4') });
    expect(gemini.chats).toHaveLength(0);
  });

  it('refuses image-only modes for a clip, and ask without a question', async () => {
    const clip = bufferFile('dog.mp4', makeMp4({ seconds: 3 }));
    await expect(withKey.video.watch(clip, 'ocr' as never, undefined)).rejects.toMatchObject({ code: 'bad_option', userMessage: expect.stringContaining('caption, describe or ask') });
    await expect(withKey.video.watch(clip, 'ask', '  ')).rejects.toMatchObject({ code: 'bad_option' });
  });

  it('without a Gemini key, or with providers off in the channel, says video needs Gemini', async () => {
    const clip = bufferFile('dog.mp4', makeMp4({ seconds: 3 }));
    await expect(offline.video.watch(clip, 'describe', undefined)).rejects.toMatchObject({ code: 'not_configured', userMessage: expect.stringContaining('GEMINI_API_KEY') });
    await expect(withKey.video.watch(clip, 'describe', undefined, undefined, { offline: true })).rejects.toMatchObject({ code: 'ai_off', userMessage: expect.stringContaining('/settings ai') });
    expect(gemini.chats).toHaveLength(0);
  });
});

describe('clock', () => {
  it('writes durations as people read them', () => {
    expect([clock(5), clock(95), clock(400), clock(3725)]).toEqual(['0:05', '1:35', '6:40', '1:02:05']);
  });
});
