import { describe, expect, it } from 'vitest';
import { BadInputError } from '../../../src/core/ports/errors.js';
import type { VideoModel } from '../../../src/core/ports/ports.js';
import { createVideoService } from '../../../src/core/vision/video.js';
import { probeVideo, type VideoProbe } from '../../../src/core/vision/video-probe.js';
import { bufferFile, memoryLogger } from '../../helpers/core.js';
import { makeMp4, makeWebm } from '../../helpers/video-clips.js';

// The probe reads the headers of untrusted uploads. Whatever the bytes, it returns undefined
// (no clip) or a probe whose fields are usable as they are (a finite, positive duration or
// none), never throws, and finishes: every loop in it advances through the buffer.

/** mulberry32: a small seeded PRNG, so every run feeds the same inputs. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function expectUsable(probe: VideoProbe | undefined): void {
  if (probe === undefined) return;
  expect(['mp4', 'webm']).toContain(probe.container);
  if (probe.seconds !== undefined) {
    expect(Number.isFinite(probe.seconds)).toBe(true);
    expect(probe.seconds).toBeGreaterThan(0);
  }
  expect([true, false, undefined]).toContain(probe.hasVideo);
}

const probeOk = (data: Buffer) => {
  const probe = probeVideo(data);
  expectUsable(probe);
  return probe;
};

// ---- MP4 boxes, written by hand so their sizes can lie ----

const u32 = (value: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value >>> 0, 0);
  return b;
};
const rawBox = (size: number, type: string, ...parts: Buffer[]) => Buffer.concat([u32(size), Buffer.from(type, 'latin1'), ...parts]);
const box = (type: string, ...parts: Buffer[]) => {
  const body = Buffer.concat(parts);
  return rawBox(body.length + 8, type, body);
};
const largeBox = (size: bigint, type: string, ...parts: Buffer[]) => {
  const large = Buffer.alloc(8);
  large.writeBigUInt64BE(size, 0);
  return Buffer.concat([u32(1), Buffer.from(type, 'latin1'), large, ...parts]);
};
const ftyp = box('ftyp', Buffer.from('isom', 'latin1'), u32(512), Buffer.from('isomavc1', 'latin1'));
const mvhd = (version: 0 | 1, timescale: number, duration: bigint) =>
  version === 1
    ? box('mvhd', Buffer.from([1, 0, 0, 0]), Buffer.alloc(16), u32(timescale), (() => {
        const b = Buffer.alloc(8);
        b.writeBigUInt64BE(duration, 0);
        return b;
      })(), Buffer.alloc(80))
    : box('mvhd', Buffer.from([0, 0, 0, 0]), u32(0), u32(0), u32(timescale), u32(Number(duration)), Buffer.alloc(80));
const trak = (handler: string) => box('trak', box('mdia', box('hdlr', Buffer.alloc(8), Buffer.from(handler, 'latin1'), Buffer.alloc(12))));

// ---- EBML elements ----

const ebmlId = (value: number) => {
  const bytes: number[] = [];
  for (let v = value; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.from(bytes);
};
/** A size written as an 8-byte vint (all value bits set means "unknown"). */
const vsize = (length: bigint | 'unknown') => {
  const b = Buffer.alloc(8, 0xff);
  if (length !== 'unknown') b.writeBigUInt64BE(length, 0);
  b[0] = 0x01;
  return b;
};
const el = (id: number, body: Buffer, size: bigint | 'unknown' = BigInt(body.length)) => Buffer.concat([ebmlId(id), vsize(size), body]);
const EBML = 0x1a45dfa3;
const SEGMENT = 0x18538067;
const INFO = 0x1549a966;
const TIMECODE_SCALE = 0x2ad7b1;
const DURATION = 0x4489;
const TRACKS = 0x1654ae6b;
const CLUSTER = 0x1f43b675;
const ebmlHeader = el(EBML, el(0x4282, Buffer.from('webm')));
const double = (value: number) => {
  const b = Buffer.alloc(8);
  b.writeDoubleBE(value, 0);
  return b;
};
const webmWith = (...segmentBody: Buffer[]) => Buffer.concat([ebmlHeader, el(SEGMENT, Buffer.concat(segmentBody))]);

describe('probeVideo on hostile input', () => {
  it('every truncation of a real MP4 and WebM is a usable probe or no clip, never an error', () => {
    const clips = [makeMp4({ seconds: 9 }), makeMp4({ seconds: 9, moovLast: true, bytes: 2_000 }), makeWebm({ seconds: 3 }), makeWebm({ seconds: 3, withDuration: false })];
    for (const clip of clips) for (let length = 0; length <= clip.length; length++) probeOk(clip.subarray(0, length));
    // Cut inside the movie header: the container is known, the duration is not.
    const whole = makeMp4({ seconds: 9 });
    const moovAt = whole.indexOf('moov', 0, 'latin1') - 4;
    expect(probeOk(whole.subarray(0, moovAt + 40))).toEqual({ container: 'mp4', seconds: undefined, hasVideo: undefined });
  });

  it('MP4 boxes claiming more bytes than the file has are cut at its end', () => {
    // moov says 4 GB; its mvhd is still read from what is there.
    const liar = Buffer.concat([ftyp, rawBox(0xffffffff, 'moov', mvhd(0, 600, 6000n), trak('vide'))]);
    expect(probeOk(liar)).toEqual({ container: 'mp4', seconds: 10, hasVideo: true });
    // A 64-bit size of 2^63 and one of 2^64 - 1 (beyond what a double holds exactly).
    expect(probeOk(Buffer.concat([ftyp, largeBox(1n << 63n, 'moov', mvhd(0, 600, 6000n))]))?.seconds).toBe(10);
    expect(probeOk(Buffer.concat([ftyp, largeBox((1n << 64n) - 1n, 'mdat', Buffer.alloc(64))]))).toEqual({ container: 'mp4', seconds: undefined, hasVideo: undefined });
    // An mvhd that says 2^32 bytes inside a small moov.
    expect(probeOk(Buffer.concat([ftyp, box('moov', rawBox(0xffffffff, 'mvhd', Buffer.from([0, 0, 0, 0]), u32(0), u32(0), u32(600), u32(60), Buffer.alloc(12)))]))?.seconds).toBe(0.1);
  });

  it('MP4 boxes whose size is smaller than their header stop the walk instead of looping', () => {
    for (const size of [0, 1, 2, 7]) {
      // 0 means "to the end of the file"; 1 means a 64-bit size follows (here truncated or tiny).
      const data = Buffer.concat([ftyp, rawBox(size, 'moov', mvhd(0, 600, 600n))]);
      const probe = probeOk(data);
      expect(probe?.container).toBe('mp4');
    }
    for (const large of [0n, 8n, 15n]) expect(probeOk(Buffer.concat([ftyp, largeBox(large, 'moov', mvhd(0, 600, 600n))]))?.container).toBe('mp4');
    // Ten thousand empty boxes: each is passed once.
    expect(probeOk(Buffer.concat([ftyp, ...Array.from({ length: 10_000 }, () => rawBox(8, 'free'))]))).toEqual({ container: 'mp4', seconds: undefined, hasVideo: undefined });
  });

  it('MP4 movie headers with no time base or an endless duration give no duration', () => {
    const movie = (header: Buffer) => Buffer.concat([ftyp, box('moov', header, trak('vide'))]);
    expect(probeOk(movie(mvhd(0, 0, 6000n)))?.seconds).toBeUndefined();
    expect(probeOk(movie(mvhd(0, 600, 0xffffffffn)))?.seconds).toBeUndefined();
    expect(probeOk(movie(mvhd(1, 600, 0n)))?.seconds).toBeUndefined();
    // 2^64 - 1 units: finite, and far over any limit, so it is refused as too long (below).
    expect(probeOk(movie(mvhd(1, 1, (1n << 64n) - 1n)))?.seconds).toBeGreaterThan(1e18);
  });

  it('MP4 boxes nested a hundred thousand deep are read without recursion', () => {
    const depth = 100_000;
    const inner = mvhd(0, 600, 600n);
    // Box i (outermost first) holds every box after it.
    const headers = Array.from({ length: depth }, (_, i) => rawBox(8 * (depth - i) + inner.length, i % 2 ? 'trak' : 'moov'));
    const probe = probeOk(Buffer.concat([ftyp, ...headers, inner]));
    expect(probe?.container).toBe('mp4');
  });

  it('EBML elements claiming sizes past the file’s end are cut at its end', () => {
    const info = el(INFO, Buffer.concat([el(TIMECODE_SCALE, Buffer.from([0x0f, 0x42, 0x40])), el(DURATION, double(4000))]), (1n << 56n) - 2n);
    expect(probeOk(webmWith(info))).toMatchObject({ container: 'webm', seconds: 4 });
    // A Segment of 2^56 - 2 bytes around nothing.
    expect(probeOk(Buffer.concat([ebmlHeader, el(SEGMENT, Buffer.alloc(0), (1n << 56n) - 2n)]))).toEqual({ container: 'webm', seconds: undefined, hasVideo: undefined });
  });

  it('WebM durations that are not a finite positive number give no duration', () => {
    for (const value of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -5, 0]) {
      expect(probeOk(webmWith(el(INFO, el(DURATION, double(value)))))?.seconds).toBeUndefined();
    }
    // A TimecodeScale of zero, or one wider than eight bytes, is no time base.
    expect(probeOk(webmWith(el(INFO, Buffer.concat([el(TIMECODE_SCALE, Buffer.from([0])), el(DURATION, double(1000))]))))?.seconds).toBeUndefined();
    expect(probeOk(webmWith(el(INFO, Buffer.concat([el(TIMECODE_SCALE, Buffer.alloc(400, 0xff)), el(DURATION, double(1000))]))))?.seconds).toBeUndefined();
  });

  it('unknown-size Clusters, one inside another, and a megabyte of empty elements end the walk', () => {
    const endless = Buffer.concat(Array.from({ length: 50_000 }, () => el(CLUSTER, Buffer.alloc(0), 'unknown')));
    expect(probeOk(webmWith(el(TRACKS, Buffer.alloc(0)), endless))?.container).toBe('webm');
    // Two-byte elements (an id and a zero size) fill the rest of an unknown-size Cluster.
    const tiny = Buffer.alloc(1_000_000);
    for (let i = 0; i < tiny.length; i += 2) tiny.set([0xe7, 0x80], i);
    expect(probeOk(Buffer.concat([ebmlHeader, el(SEGMENT, Buffer.concat([el(CLUSTER, tiny, 'unknown')]), 'unknown')]))?.container).toBe('webm');
    // Vints with no marker bit in their first byte (0x00) are no element: the walk stops there.
    expect(probeOk(Buffer.concat([ebmlHeader, el(SEGMENT, Buffer.alloc(1000, 0), 'unknown')]))).toEqual({ container: 'webm', seconds: undefined, hasVideo: undefined });
  });

  it('a few thousand random buffers and mutations of real clips never throw', () => {
    const random = prng(0x5eed);
    const byte = () => Math.floor(random() * 256);
    const seeds = [makeMp4({ seconds: 30 }), makeMp4({ seconds: 5, moovLast: true, bytes: 600 }), makeWebm({ seconds: 4 }), makeWebm({ seconds: 4, withDuration: false })];
    let clips = 0;
    for (let i = 0; i < 4_000; i++) {
      let data: Buffer;
      if (i % 4 === 0) {
        // Pure noise, sometimes behind a real signature so the container parsers are reached.
        data = Buffer.from(Array.from({ length: Math.floor(random() * 600) }, byte));
        if (i % 8 === 0 && data.length >= 12) data.set(random() < 0.5 ? [0x1a, 0x45, 0xdf, 0xa3] : [0, 0, 0, 24, 0x66, 0x74, 0x79, 0x70], 0);
      } else {
        // A real clip with a few bytes changed, some of them in its sizes.
        data = Buffer.from(seeds[i % seeds.length]);
        const flips = 1 + Math.floor(random() * 6);
        for (let f = 0; f < flips; f++) data[Math.floor(random() * data.length)] = byte();
        if (random() < 0.3) data = data.subarray(0, Math.floor(random() * data.length));
      }
      if (probeOk(data)) clips++;
    }
    // Most mutated clips are still recognised as clips (the walk got somewhere).
    expect(clips).toBeGreaterThan(2_000);
  });
});

describe('the video service on hostile input', () => {
  const model: VideoModel = { model: 'fake-video', watch: async () => ({ text: 'A clip.', delivery: 'inline' }) };
  const service = createVideoService({ model, maxBytes: 1_000_000, maxSeconds: 600, logger: memoryLogger() });

  it('each random or mutated upload is refused with a specific code or described', async () => {
    const random = prng(42);
    const seeds = [makeMp4({ seconds: 20 }), makeWebm({ seconds: 6, withDuration: false }), makeMp4({ seconds: 3, handlers: ['soun'] })];
    const outcomes = new Set<string>();
    for (let i = 0; i < 600; i++) {
      const data = Buffer.from(seeds[i % seeds.length]);
      for (let f = 0; f < 4; f++) data[Math.floor(random() * data.length)] = Math.floor(random() * 256);
      const name = i % 2 ? 'clip.mp4' : 'clip.webm';
      try {
        const result = await service.watch(bufferFile(name, data), 'caption', undefined);
        expect(result.text).toBe('A clip.');
        outcomes.add('described');
      } catch (error) {
        expect(error).toBeInstanceOf(BadInputError);
        expect(['not_video', 'no_picture', 'video_too_long']).toContain((error as BadInputError).code);
        outcomes.add((error as BadInputError).code);
      }
    }
    expect(outcomes).toContain('described');
  });

  it('a movie header claiming 2^64 units is refused as too long, with a readable length', async () => {
    const data = Buffer.concat([ftyp, box('moov', mvhd(1, 1, (1n << 64n) - 1n), trak('vide'))]);
    const refusal = await service.watch(bufferFile('endless.mp4', data), 'caption', undefined).catch((error: unknown) => error);
    expect(refusal).toBeInstanceOf(BadInputError);
    expect((refusal as BadInputError).code).toBe('video_too_long');
    expect((refusal as BadInputError).userMessage).toMatch(/runs \d+:\d\d:\d\d;/);
  });
});
