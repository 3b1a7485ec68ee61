import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { tempDir } from '../test/helpers/core.js';
import { docxBomb, oneLineHtml, oneLineText, pptxBomb, sharedStringsBomb, streamedZip, wideCsv } from '../test/helpers/hostile-files.js';

const run = promisify(execFile);
const CHILD = new URL('../test/helpers/measure-ingest.ts', import.meta.url).pathname;
const MIB = 1024 * 1024;
const LIMIT_MIB = 1024;

/** Shared strings that compress about as real ones do (numbers and words that vary), `bytes` long: an honest large workbook. */
function ledgerWorkbook(bytes: number): Buffer {
  const rows: string[] = [];
  let size = 0;
  for (let i = 0; size < bytes; i++) {
    const entry = `<si><t>Ledger line ${i} for vessel ${(i * 7919) % 100_003} at berth ${(i * 31) % 97}, ${(i * 2654435761) % 1_000_000} euros</t></si>`;
    rows.push(entry);
    size += entry.length;
  }
  const S = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"';
  return streamedZip([
    { name: 'xl/workbook.xml', data: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><workbook ${S}><sheets><sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>`) },
    {
      name: 'xl/_rels/workbook.xml.rels',
      data: Buffer.from('<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'),
    },
    { name: 'xl/worksheets/sheet1.xml', data: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><worksheet ${S}><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row></sheetData></worksheet>`) },
    { name: 'xl/sharedStrings.xml', data: Buffer.from(`<?xml version="1.0" encoding="UTF-8"?><sst ${S}>${rows.join('')}</sst>`) },
  ]);
}

/** The hostile uploads, at the sizes that were measured to stall or swell the bot before. */
function uploads(): [string, () => Buffer][] {
  return [
    ['html-one-line-49MB.html', () => oneLineHtml(49 * 1000 * 1000)],
    ['csv-1M-columns.csv', () => wideCsv(1_000_000)],
    ['text-one-line-50MB.txt', () => oneLineText(50 * 1000 * 1000)],
    ['docx-bomb-claims-4KB-inflates-1GiB.docx', () => docxBomb(1024 * MIB)],
    ['xlsx-shared-strings-claims-4KB-inflates-1GiB.xlsx', () => sharedStringsBomb(1024 * MIB, 4096)],
    ['pptx-bomb-claims-4KB-inflates-1GiB.pptx', () => pptxBomb(1024 * MIB)],
    ['xlsx-honest-120MB-shared-strings.xlsx', () => ledgerWorkbook(120 * MIB)],
  ];
}

/**
 * Each hostile upload indexed in a fresh process with the default limits: wall time, the longest
 * the main thread's event loop was blocked, and the whole process's peak memory (target ≤ 1 GiB).
 */
export async function benchHostileUploads(): Promise<Record<string, unknown>> {
  const dir = tempDir('docent-hostile-');
  const results: Record<string, { outcome: string; message?: string; seconds: number; peakMiB: number; maxBlockMs: number; bytes: number }> = {};
  try {
    for (const [name, make] of uploads()) {
      const file = path.join(dir, name);
      const data = make();
      fs.writeFileSync(file, data);
      const { stdout } = await run(process.execPath, ['--import', 'tsx', CHILD, file], { maxBuffer: 1 << 20, timeout: 15 * 60_000 });
      results[name] = { bytes: data.length, ...JSON.parse(stdout.trim().split('\n').at(-1) as string) };
      fs.rmSync(file);
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const worst = Math.max(...Object.values(results).map((r) => r.peakMiB));
  return {
    files: Object.keys(results).length,
    worstPeakMiB: worst,
    worstMaxBlockMs: Math.max(...Object.values(results).map((r) => r.maxBlockMs)),
    target: `every upload ≤ ${LIMIT_MIB} MiB for the whole process, refused or read within PDF_TIMEOUT_SECONDS`,
    targetMet: worst <= LIMIT_MIB,
    perFile: results,
  };
}

if (import.meta.url === `file://${process.argv[1]}`) process.stdout.write(`${JSON.stringify(await benchHostileUploads(), null, 2)}\n`);
