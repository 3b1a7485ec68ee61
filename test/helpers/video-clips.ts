/**
 * Small video files built byte by byte, laid out as real encoders write them: an MP4 with
 * ftyp, moov (mvhd, one trak per handler) and mdat; a WebM with the EBML header, a Segment
 * with Info (TimecodeScale, Duration) and Tracks, and Clusters of SimpleBlocks. The payload
 * is padding: nothing decodes frames, only headers are read.
 */

const box = (type: string, ...parts: Buffer[]) => {
  const body = Buffer.concat(parts);
  const header = Buffer.alloc(8);
  header.writeUInt32BE(body.length + 8, 0);
  header.write(type, 4, 'latin1');
  return Buffer.concat([header, body]);
};

const u32 = (value: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(value, 0);
  return b;
};

export interface Mp4Options {
  readonly seconds: number;
  /** Total size, padded with an mdat box. */
  readonly bytes?: number;
  readonly handlers?: readonly string[];
  /** Where the moov box goes: before mdat (a "fast start" file) or after it (a camera's). */
  readonly moovLast?: boolean;
  /** QuickTime brand (.mov). */
  readonly quicktime?: boolean;
}

export function makeMp4(options: Mp4Options): Buffer {
  const timescale = 600;
  const mvhd = box('mvhd', Buffer.from([0, 0, 0, 0]), u32(0), u32(0), u32(timescale), u32(Math.round(options.seconds * timescale)), Buffer.alloc(80));
  const traks = (options.handlers ?? ['vide', 'soun']).map((handler) =>
    box('trak', box('tkhd', Buffer.alloc(84)), box('mdia', box('mdhd', Buffer.alloc(24)), box('hdlr', Buffer.alloc(4), u32(0), Buffer.from(handler, 'latin1'), Buffer.alloc(13)))),
  );
  const ftyp = box('ftyp', Buffer.from(options.quicktime ? 'qt  ' : 'isom', 'latin1'), u32(512), Buffer.from(options.quicktime ? 'qt  ' : 'isomiso2avc1mp41', 'latin1'));
  const moov = box('moov', mvhd, ...traks);
  const fixed = ftyp.length + moov.length + 8;
  const mdat = box('mdat', Buffer.alloc(Math.max(16, (options.bytes ?? 0) - fixed), 0x11));
  return Buffer.concat(options.moovLast ? [ftyp, mdat, moov] : [ftyp, moov, mdat]);
}

// EBML: IDs keep their marker bits; sizes are written as 8-byte vints, or unknown.
const id = (value: number) => {
  const bytes: number[] = [];
  for (let v = value; v > 0; v = Math.floor(v / 256)) bytes.unshift(v % 256);
  return Buffer.from(bytes);
};
const size = (length: number | 'unknown') => {
  const b = Buffer.alloc(8, 0xff);
  if (length !== 'unknown') b.writeBigUInt64BE(BigInt(length), 0);
  b[0] = 0x01; // an 8-byte vint; all value bits set means "unknown size"
  return b;
};
const element = (elementId: number, body: Buffer, unknownSize = false) => Buffer.concat([id(elementId), size(unknownSize ? 'unknown' : body.length), body]);
const uint = (elementId: number, value: number) => element(elementId, Buffer.from(value.toString(16).padStart(8, '0'), 'hex'));
const float = (elementId: number, value: number) => {
  const b = Buffer.alloc(8);
  b.writeDoubleBE(value, 0);
  return element(elementId, b);
};

export interface WebmOptions {
  readonly seconds: number;
  /** false: no Duration in Info and unknown-size Segment and Clusters, as MediaRecorder writes. */
  readonly withDuration?: boolean;
  readonly bytes?: number;
  readonly video?: boolean;
}

export function makeWebm(options: WebmOptions): Buffer {
  const withDuration = options.withDuration ?? true;
  const header = element(0x1a45dfa3, Buffer.concat([uint(0x4286, 1), element(0x4282, Buffer.from('webm'))]));
  const info = element(0x1549a966, Buffer.concat([uint(0x2ad7b1, 1_000_000), ...(withDuration ? [float(0x4489, options.seconds * 1000)] : [])]));
  const tracks = element(0x1654ae6b, element(0xae, Buffer.concat([uint(0xd7, 1), uint(0x83, options.video === false ? 2 : 1)])));
  const clusters: Buffer[] = [];
  const perCluster = Math.max(1, Math.ceil((options.bytes ?? 0) / Math.max(1, options.seconds)));
  for (let second = 0; second < Math.ceil(options.seconds); second++) {
    const at = Math.min(second + 1, options.seconds) * 1000 - second * 1000 - 1;
    const block = (relative: number, payload: number) => element(0xa3, Buffer.concat([Buffer.from([0x81]), Buffer.from([(relative >> 8) & 0xff, relative & 0xff]), Buffer.from([0x80]), Buffer.alloc(payload, 0x22)]));
    clusters.push(element(0x1f43b675, Buffer.concat([uint(0xe7, second * 1000), block(0, 8), block(Math.max(0, Math.round(at)), Math.max(8, perCluster - 60))]), !withDuration));
  }
  const body = Buffer.concat([info, tracks, ...clusters]);
  return Buffer.concat([header, element(0x18538067, body, !withDuration)]);
}
