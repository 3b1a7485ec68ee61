/**
 * What a video clip is, read from its container headers without decoding anything: MP4 and
 * QuickTime (.mp4, .mov: ISO base media boxes) or WebM/Matroska (EBML). Gives the duration
 * (from the movie header, or WebM's Segment Info, or, for recordings that never wrote one as
 * browsers' MediaRecorder does, from the last block's timestamp) and whether there is a
 * picture at all. Undefined when the bytes are neither container.
 *
 * The bytes are untrusted uploads: every size is cut at its parent's end, every loop moves
 * forward through the buffer (so the work is bounded by its length), nothing recurses, and a
 * duration is given only when it is a finite, positive number (test/core/vision/
 * video-probe-hostile.test.ts feeds it truncated, lying, nested and random input). It stays
 * hand-written: music-metadata, the maintained parser that reads both containers, takes an
 * MP4's duration from its audio track only (a silent screen recording would have none) and
 * skips WebM Clusters (a browser recording without a Duration would have none).
 */
export interface VideoProbe {
  readonly container: 'mp4' | 'webm';
  /** Seconds, or undefined when the file does not say (a live recording cut short, a broken header). */
  readonly seconds: number | undefined;
  /** Whether a video track was found (false: an audio-only file named .mp4). Undefined when unknown. */
  readonly hasVideo: boolean | undefined;
}

export function probeVideo(data: Buffer): VideoProbe | undefined {
  if (data.length >= 4 && data.readUInt32BE(0) === EBML_HEADER) return probeWebm(data);
  return probeMp4(data);
}

// ---- MP4 / QuickTime ----

interface Box {
  readonly type: string;
  readonly start: number;
  readonly end: number;
}

const TOP_LEVEL_BOXES = new Set(['ftyp', 'moov', 'mdat', 'free', 'skip', 'wide', 'pnot', 'uuid', 'moof', 'mfra', 'styp', 'sidx', 'meta']);

function* boxes(data: Buffer, from: number, to: number): Generator<Box> {
  let pos = from;
  while (pos + 8 <= to) {
    let size = data.readUInt32BE(pos);
    const type = data.toString('latin1', pos + 4, pos + 8);
    let header = 8;
    if (size === 1) {
      if (pos + 16 > to) return;
      size = Number(data.readBigUInt64BE(pos + 8));
      header = 16;
    } else if (size === 0) size = to - pos;
    if (size < header) return;
    yield { type, start: pos + header, end: Math.min(to, pos + size) };
    pos += size;
  }
}

const child = (data: Buffer, box: Box, type: string) => [...boxes(data, box.start, box.end)].find((b) => b.type === type);

function probeMp4(data: Buffer): VideoProbe | undefined {
  const top = [...boxes(data, 0, data.length)];
  if (top.length === 0 || !TOP_LEVEL_BOXES.has(top[0].type)) return undefined;
  const moov = top.find((b) => b.type === 'moov');
  if (!moov) return { container: 'mp4', seconds: undefined, hasVideo: undefined };
  const handlers = [...boxes(data, moov.start, moov.end)]
    .filter((b) => b.type === 'trak')
    .map((trak) => child(data, trak, 'mdia'))
    .map((mdia) => (mdia ? child(data, mdia, 'hdlr') : undefined))
    .flatMap((hdlr) => (hdlr && hdlr.start + 12 <= hdlr.end ? [data.toString('latin1', hdlr.start + 8, hdlr.start + 12)] : []));
  return { container: 'mp4', seconds: mp4Seconds(data, moov), hasVideo: handlers.length === 0 ? undefined : handlers.includes('vide') };
}

function mp4Seconds(data: Buffer, moov: Box): number | undefined {
  const mvhd = child(data, moov, 'mvhd');
  if (!mvhd || mvhd.start + 32 > mvhd.end) return undefined;
  const version = data[mvhd.start];
  const timescale = data.readUInt32BE(mvhd.start + (version === 1 ? 20 : 12));
  let duration = version === 1 ? Number(data.readBigUInt64BE(mvhd.start + 24)) : data.readUInt32BE(mvhd.start + 16);
  if (version !== 1 && duration === 0xffffffff) duration = 0;
  if (duration === 0) {
    // A fragmented MP4 leaves the movie header's duration empty and says it in mvex/mehd.
    const mvex = child(data, moov, 'mvex');
    const mehd = mvex ? child(data, mvex, 'mehd') : undefined;
    if (mehd && mehd.start + 8 <= mehd.end) duration = data[mehd.start] === 1 && mehd.start + 12 <= mehd.end ? Number(data.readBigUInt64BE(mehd.start + 4)) : data.readUInt32BE(mehd.start + 4);
  }
  return timescale > 0 ? usableSeconds(duration / timescale) : undefined;
}

/** A duration the caller can use as it is: finite and positive, or none (a lying or broken header). */
const usableSeconds = (seconds: number) => (Number.isFinite(seconds) && seconds > 0 ? seconds : undefined);

// ---- WebM / Matroska ----

const EBML_HEADER = 0x1a45dfa3;
const SEGMENT = 0x18538067;
const INFO = 0x1549a966;
const TIMECODE_SCALE = 0x2ad7b1;
const DURATION = 0x4489;
const TRACKS = 0x1654ae6b;
const TRACK_ENTRY = 0xae;
const TRACK_TYPE = 0x83;
const CLUSTER = 0x1f43b675;
const CLUSTER_TIMECODE = 0xe7;
const SIMPLE_BLOCK = 0xa3;
const BLOCK_GROUP = 0xa0;
const BLOCK = 0xa1;
/** Elements that sit directly in a Segment: one of them ends a Cluster of unknown size. */
const SEGMENT_CHILDREN = new Set([0x114d9b74, INFO, TRACKS, CLUSTER, 0x1c53bb6b, 0x1254c367, 0x1043a770, 0x1941a469]);

interface Element {
  readonly id: number;
  readonly start: number;
  /** Undefined: unknown size (live streams and recordings write Segments and Clusters so). */
  readonly end: number | undefined;
}

function readVint(data: Buffer, pos: number, keepMarker: boolean): { value: number; length: number; unknown: boolean } | undefined {
  if (pos >= data.length) return undefined;
  const first = data[pos];
  let length = 1;
  while (length <= 8 && (first & (0x80 >> (length - 1))) === 0) length++;
  if (length > 8 || pos + length > data.length) return undefined;
  let value = keepMarker ? first : first & (0xff >> length);
  let allOnes = value === 0xff >> length;
  for (let i = 1; i < length; i++) {
    value = value * 256 + data[pos + i];
    allOnes &&= data[pos + i] === 0xff;
  }
  return { value, length, unknown: !keepMarker && allOnes };
}

function readElement(data: Buffer, pos: number, limit: number): Element | undefined {
  const id = readVint(data, pos, true);
  if (!id || id.length > 4) return undefined;
  const size = readVint(data, pos + id.length, false);
  if (!size) return undefined;
  const start = pos + id.length + size.length;
  return { id: id.value, start, end: size.unknown ? undefined : Math.min(limit, start + size.value) };
}

function* elements(data: Buffer, from: number, to: number): Generator<Element> {
  let pos = from;
  while (pos < to) {
    const element = readElement(data, pos, to);
    if (!element) return;
    yield element;
    if (element.end === undefined) return;
    pos = element.end;
  }
}

/** An unsigned integer element (at most 8 bytes; a wider one is no number: NaN). */
const uint = (data: Buffer, e: Element) => {
  if ((e.end ?? e.start) - e.start > 8) return Number.NaN;
  let value = 0;
  for (let i = e.start; i < (e.end ?? e.start); i++) value = value * 256 + data[i];
  return value;
};

function probeWebm(data: Buffer): VideoProbe {
  const header = readElement(data, 0, data.length);
  const segment = header?.end !== undefined ? readElement(data, header.end, data.length) : undefined;
  if (!segment || segment.id !== SEGMENT) return { container: 'webm', seconds: undefined, hasVideo: undefined };
  const segmentEnd = segment.end ?? data.length;
  let scale = 1_000_000;
  let duration: number | undefined;
  let hasVideo: boolean | undefined;
  let lastBlock: number | undefined;
  let pos = segment.start;
  while (pos < segmentEnd) {
    const element = readElement(data, pos, segmentEnd);
    if (!element) break;
    const end = element.end ?? (element.id === CLUSTER ? clusterEnd(data, element.start, segmentEnd) : segmentEnd);
    if (element.id === INFO) {
      for (const e of elements(data, element.start, end)) {
        if (e.id === TIMECODE_SCALE) scale = uint(data, e);
        if (e.id === DURATION && e.end !== undefined) duration = e.end - e.start === 4 ? data.readFloatBE(e.start) : e.end - e.start === 8 ? data.readDoubleBE(e.start) : undefined;
      }
    } else if (element.id === TRACKS) {
      hasVideo = [...elements(data, element.start, end)].filter((e) => e.id === TRACK_ENTRY).some((entry) => [...elements(data, entry.start, entry.end ?? end)].some((e) => e.id === TRACK_TYPE && uint(data, e) === 1));
    } else if (element.id === CLUSTER && duration === undefined) {
      lastBlock = Math.max(lastBlock ?? 0, lastBlockTime(data, element.start, end));
    }
    if (end <= pos) break;
    pos = end;
  }
  const units = duration ?? lastBlock;
  return { container: 'webm', seconds: units === undefined ? undefined : usableSeconds((units * scale) / 1e9), hasVideo };
}

/** Where a Cluster of unknown size ends: at the next element that belongs to the Segment. */
function clusterEnd(data: Buffer, from: number, to: number): number {
  let pos = from;
  while (pos < to) {
    const element = readElement(data, pos, to);
    if (!element || SEGMENT_CHILDREN.has(element.id) || element.end === undefined) return element && SEGMENT_CHILDREN.has(element.id) ? pos : to;
    pos = element.end;
  }
  return to;
}

/** The latest timestamp in a Cluster: its timecode plus its blocks' relative timecodes. */
function lastBlockTime(data: Buffer, from: number, to: number): number {
  let base = 0;
  let latest = 0;
  const relative = (block: Element) => {
    const track = readVint(data, block.start, false);
    const at = block.start + (track?.length ?? 1);
    return at + 2 <= (block.end ?? to) ? data.readInt16BE(at) : 0;
  };
  for (const e of elements(data, from, to)) {
    if (e.id === CLUSTER_TIMECODE) base = uint(data, e);
    else if (e.id === SIMPLE_BLOCK) latest = Math.max(latest, base + relative(e));
    else if (e.id === BLOCK_GROUP) {
      const block = [...elements(data, e.start, e.end ?? to)].find((b) => b.id === BLOCK);
      if (block) latest = Math.max(latest, base + relative(block));
    }
  }
  return Math.max(base, latest);
}
