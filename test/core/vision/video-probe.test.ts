import { describe, expect, it } from 'vitest';
import { probeVideo } from '../../../src/core/vision/video-probe.js';
import { makeMp4, makeWebm } from '../../helpers/video-clips.js';

describe('probeVideo', () => {
  it('reads an MP4’s duration from its movie header, wherever the moov box is', () => {
    expect(probeVideo(makeMp4({ seconds: 42.5 }))).toEqual({ container: 'mp4', seconds: 42.5, hasVideo: true });
    expect(probeVideo(makeMp4({ seconds: 7, moovLast: true, bytes: 50_000 }))?.seconds).toBe(7);
  });

  it('reads a QuickTime .mov the same way', () => {
    expect(probeVideo(makeMp4({ seconds: 3, quicktime: true }))).toMatchObject({ container: 'mp4', seconds: 3 });
  });

  it('tells an audio-only MP4 from a video', () => {
    expect(probeVideo(makeMp4({ seconds: 10, handlers: ['soun'] }))?.hasVideo).toBe(false);
  });

  it('reads a WebM’s duration from Segment Info', () => {
    expect(probeVideo(makeWebm({ seconds: 95 }))).toEqual({ container: 'webm', seconds: 95, hasVideo: true });
  });

  it('reads a browser recording without a Duration (unknown-size Segment and Clusters) from its last block', () => {
    const probe = probeVideo(makeWebm({ seconds: 20, withDuration: false, bytes: 40_000 }));
    expect(probe?.container).toBe('webm');
    expect(probe?.seconds).toBeGreaterThan(19.9);
    expect(probe?.seconds).toBeLessThanOrEqual(20);
  });

  it('tells an audio-only WebM', () => {
    expect(probeVideo(makeWebm({ seconds: 5, video: false }))?.hasVideo).toBe(false);
  });

  it('is undefined for bytes that are no video container', () => {
    expect(probeVideo(Buffer.from('%PDF-1.7 not a video at all'))).toBeUndefined();
    expect(probeVideo(Buffer.alloc(0))).toBeUndefined();
    expect(probeVideo(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13]))).toBeUndefined();
  });

  it('survives a truncated file: the container is known, the duration may not be', () => {
    const cut = makeMp4({ seconds: 12, moovLast: true, bytes: 20_000 }).subarray(0, 10_000);
    expect(probeVideo(cut)).toEqual({ container: 'mp4', seconds: undefined, hasVideo: undefined });
    const webm = makeWebm({ seconds: 4 }).subarray(0, 30);
    expect(probeVideo(webm)?.container).toBe('webm');
  });
});
