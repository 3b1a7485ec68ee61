import { strFromU8, strToU8, zipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { declaredTotal, listZip, safeUnzip, unzipLimits, withUnzipLimits, ZipFormatError, type UnzipLimits } from '../../../src/core/lib/safe-unzip.js';
import { streamedZip } from '../../helpers/hostile-files.js';

const MIB = 1024 * 1024;
const limits = (over: Partial<UnzipLimits> = {}): UnzipLimits => ({ ...unzipLimits(MIB), ...over });
const zeros = (mib: number) => ({ chunk: new Uint8Array(MIB), times: mib });

describe('safeUnzip: archives judged by what they really inflate to', () => {
  it('unpacks an honest archive to exactly its parts', () => {
    const archive = zipSync({ 'a.xml': strToU8('<a>first</a>'), 'dir/b.xml': strToU8('second part'), 'stored.txt': [strToU8('kept as is'), { level: 0 }] });
    const files = safeUnzip(archive, undefined, limits());
    expect(Object.keys(files).sort()).toEqual(['a.xml', 'dir/b.xml', 'stored.txt']);
    expect(strFromU8(files['dir/b.xml'] as Uint8Array)).toBe('second part');
    expect(strFromU8(files['stored.txt'] as Uint8Array)).toBe('kept as is');
    expect(declaredTotal(listZip(archive))).toBe(12 + 11 + 10);
  });

  it('a part whose directory claims 4 KB but inflates past MAX_UNPACKED_MB is refused on the bytes it produced', () => {
    const bomb = streamedZip([{ name: 'word/document.xml', data: zeros(8), declared: 4096 }]);
    expect(declaredTotal(listZip(bomb))).toBe(4096);
    expect(() => safeUnzip(bomb, undefined, limits({ maxRatio: 1_000_000 }))).toThrow(
      expect.objectContaining({ code: 'zip_bomb', userMessage: 'its part word/document.xml alone unpacks to more than 0.5 MB (half of MAX_UNPACKED_MB), far more than a document holds (a zip bomb?)' }),
    );
  });

  it('the caps hold in total across parts, per part, and relative to the archive’s size', () => {
    const three = streamedZip(['a', 'b', 'c'].map((name) => ({ name, data: zeros(1), declared: 10 })));
    expect(() => safeUnzip(three, undefined, limits({ maxBytes: 2.5 * MIB, maxEntryBytes: 2.5 * MIB, maxRatio: 1_000_000 }))).toThrow(/it unpacks to more than 2.5 MB \(MAX_UNPACKED_MB\)/);
    expect(() => safeUnzip(three, undefined, limits({ maxBytes: 10 * MIB, maxEntryBytes: MIB / 2, maxRatio: 1_000_000 }))).toThrow(/its part a alone unpacks to more than 0.5 MB \(half of MAX_UNPACKED_MB\)/);
    expect(() => safeUnzip(three, undefined, limits({ maxBytes: 10 * MIB, maxEntryBytes: 10 * MIB, maxRatio: 200 }))).toThrow(/it unpacks to more than 200 times its size/);
    expect(Object.keys(safeUnzip(three, undefined, limits({ maxBytes: 10 * MIB, maxEntryBytes: 10 * MIB, maxRatio: 1_000_000 })))).toEqual(['a', 'b', 'c']);
  });

  it('parts the reader does not want are never inflated, so an archive inside the archive is never opened', () => {
    const inner = streamedZip([{ name: 'sheet.xml', data: zeros(64), declared: 10 }]);
    const outer = streamedZip([
      { name: 'ppt/slides/slide1.xml', data: strToU8('<p>slide</p>') },
      { name: 'ppt/embeddings/book.xlsx', data: inner },
      { name: 'ppt/media/huge.bin', data: zeros(64), declared: 10 },
    ]);
    const files = safeUnzip(outer, (name) => name.endsWith('.xml'), limits());
    expect(Object.keys(files)).toEqual(['ppt/slides/slide1.xml']);
  });

  it('refuses an archive listing more parts than a document holds before reading any of them', () => {
    const many = zipSync(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`p${i}.xml`, strToU8('x')])));
    expect(() => listZip(many, 20)).toThrow(expect.objectContaining({ code: 'zip_bomb', userMessage: expect.stringMatching(/^its archive lists 30 parts, more than the 20 a document holds/) }));
  });

  it('a damaged archive is a format error, not a crash', () => {
    const archive = Buffer.from(zipSync({ 'a.xml': strToU8('<a>'.repeat(1000)) }));
    expect(() => listZip(Buffer.from('PK\u0003\u0004 not really a zip'))).toThrow(ZipFormatError);
    const cut = Buffer.concat([archive.subarray(0, 40), archive.subarray(archive.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])))]);
    expect(() => safeUnzip(cut, undefined, limits())).toThrow();
  });

  it('without explicit limits it uses the limits of the reading it runs in', () => {
    const bomb = streamedZip([{ name: 'x.xml', data: zeros(3), declared: 1 }]);
    expect(() => withUnzipLimits(limits({ maxRatio: 1_000_000 }), () => safeUnzip(bomb))).toThrow(/more than 0.5 MB/);
    expect(Object.keys(withUnzipLimits(limits({ maxBytes: 4 * MIB, maxEntryBytes: 4 * MIB, maxRatio: 1_000_000 }), () => safeUnzip(bomb)))).toEqual(['x.xml']);
  });
});
