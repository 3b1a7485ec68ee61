import fs from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { createRequire } from 'node:module';
import path from 'node:path';
import sharp from 'sharp';
import { createScheduler, createWorker, OEM, type Scheduler, type Worker } from 'tesseract.js';
import type { OcrEngine, PreparedImage } from '../../ports/ports.js';
import { pickHanReading, type ReadLine } from './han-script.js';

const require = createRequire(import.meta.url);

/** Mean confidence (0–100) under which a page may be turned, or in another script: it is read again. */
const TURNED_BELOW = 60;
/** A rotation this confident is kept without trying the others. */
const CONFIDENT = 75;
/** Longest side of the copy tesseract's OSD looks at: enough for the script of printed text, at a third of the time. */
const OSD_SIDE = 1024;

/**
 * The languages that read each script OSD names (tesseract's script names; `@tesseract.js-data`
 * package codes), used when installed. Latin is read with OCR_LANGUAGES. Han has two: simplified
 * and traditional Chinese, told apart per page (han-script.ts).
 */
const SCRIPT_LANGUAGES: Readonly<Record<string, readonly string[]>> = {
  Han: ['chi_sim', 'chi_tra'],
  HanS: ['chi_sim'],
  HanT: ['chi_tra'],
  Japanese: ['jpn'],
  Hiragana: ['jpn'],
  Katakana: ['jpn'],
  Hangul: ['kor'],
  Korean: ['kor'],
  Cyrillic: ['rus'],
  Greek: ['ell'],
  Arabic: ['ara'],
  Hebrew: ['heb'],
  Devanagari: ['hin'],
  Thai: ['tha'],
};

interface Reading {
  readonly text: string;
  readonly confidence: number;
  readonly language: string;
  readonly lines: readonly ReadLine[];
}

/**
 * Offline OCR with tesseract.js: language models come from the @tesseract.js-data/<code> packages
 * (OCR_LANGUAGES, default eng+deu; never downloaded), nothing is cached on disk. Each page's script
 * is told first by tesseract's OSD (the osd package): a page in a script OCR_LANGUAGES does not
 * cover (Chinese) is read with that script's installed languages, loaded only then. OSD needs a
 * few lines of text; on less, a page the configured languages read with low confidence is read
 * with the other installed scripts too and the most confident reading kept. Chinese is read as
 * simplified and as traditional and the reading whose characters match the page's glyphs kept.
 * A page read with low confidence is read again turned (OSD's angle first, then 180°, 90°, 270°).
 * Per set of languages a scheduler spreads pages over `workers` tesseract workers (one per core by
 * default), started on first use and reused, so the pages of a scanned PDF are read in parallel.
 */
export class TesseractOcr implements OcrEngine {
  private readonly pools = new Map<string, Promise<Scheduler>>();
  private osd: Promise<Worker> | undefined;
  private readonly workers: number;
  private readonly languages: readonly string[];
  private readonly installed: (language: string) => boolean;

  constructor(options: { workers?: number; languages?: readonly string[]; installed?: (language: string) => boolean } = {}) {
    this.workers = options.workers && options.workers > 0 ? options.workers : Math.max(1, availableParallelism());
    // Tesseract keeps its first language's reading of a word when that is confident: English, whose
    // alphabet has no accents, goes last, or "über" would be read as "uber".
    const languages = options.languages && options.languages.length > 0 ? options.languages : ['eng', 'deu'];
    this.languages = [...languages.filter((l) => l !== 'eng'), ...languages.filter((l) => l === 'eng')];
    this.installed = options.installed ?? hasLanguageData;
  }

  /** The sets of languages whose data is loaded so far ("deu+eng", "chi_tra"): a script's only once a page needed it. */
  get loaded(): string[] {
    return [...this.pools.keys()];
  }

  /** How many pages can be read at once. */
  get parallelism(): number {
    return this.workers;
  }

  async recognize(image: PreparedImage): Promise<{ text: string; confidence: number }> {
    const data = image.data;
    const osd = await this.detectScript(data);
    const configured = this.languages.join('+');
    // OSD named a script with languages of its own: read with those; otherwise with the configured languages first.
    let script = osd?.script;
    let best = script && this.scriptLanguages(script) ? undefined : await this.read(data, configured);
    script ??= best ? scriptOfText(best.text) : undefined;
    const own = script ? this.scriptLanguages(script) : undefined;
    if (own) {
      const reading = await this.readScript(data, own, best);
      if (!best || reading.confidence >= TURNED_BELOW || reading.confidence > best.confidence) best = reading;
    }
    best ??= await this.read(data, configured);
    if (best.confidence >= TURNED_BELOW || best.text.replace(/\s/g, '').length < 3) return best;
    // Not confident: the other installed scripts may read it (OSD needs several lines, and can be wrong on few).
    for (const languages of this.otherScripts(own)) {
      const reading = await this.readScript(data, languages);
      if (reading.confidence > best.confidence) best = reading;
    }
    if (best.confidence >= TURNED_BELOW) return best;
    const turns = [osd?.angle, 180, 90, 270].filter((a, i, all): a is number => a !== undefined && a !== 0 && all.indexOf(a) === i);
    for (const angle of turns) {
      const turned = await this.read(await sharp(data).rotate(angle).png().toBuffer(), best.language);
      if (turned.confidence > best.confidence) best = turned;
      if (best.confidence >= CONFIDENT) break;
    }
    return best;
  }

  /**
   * The installed languages a script is read with, when they are not simply the configured ones:
   * a script the configured languages do not cover, or Chinese with both its scripts installed.
   */
  private scriptLanguages(script: string): string[] | undefined {
    const languages = (SCRIPT_LANGUAGES[script] ?? []).filter((l) => this.installed(l));
    if (languages.length === 0) return undefined;
    return languages.length > 1 || !languages.every((l) => this.languages.includes(l)) ? languages : undefined;
  }

  /**
   * The page read with a script's languages: one reading, or for Chinese the one whose characters
   * are the page's. A language also configured is read together with the configured ones (its
   * reading of Latin words is theirs), and a reading already made is not made again.
   */
  private async readScript(data: Buffer, languages: readonly string[], made?: Reading): Promise<Reading> {
    const configured = this.languages.join('+');
    const sets = languages.map((l) => (this.languages.includes(l) ? configured : l));
    const readOnce = (set: string) => (made?.language === set ? made : this.read(data, set));
    const [first = configured, second] = sets;
    if (second === undefined) return readOnce(first);
    const readings = await Promise.all([readOnce(first), readOnce(second)]);
    return pickHanReading(data, [readings[0], readings[1]]);
  }

  /** The installed languages of every other script (each set once), to try on a page no language read confidently. */
  private otherScripts(tried: readonly string[] | undefined): string[][] {
    const sets = new Map<string, string[]>();
    for (const script of Object.keys(SCRIPT_LANGUAGES)) {
      const languages = this.scriptLanguages(script);
      if (!languages || languages.some((l) => tried?.includes(l) || [...sets.values()].some((set) => set.includes(l)))) continue;
      sets.set(languages.join('+'), languages);
    }
    return [...sets.values()];
  }

  /** The page read with a set of languages ("deu+eng"); with Chinese among them, with its lines and their boxes. */
  private async read(data: Buffer, languages: string): Promise<Reading> {
    const scheduler = await this.pool(languages);
    const withLines = languages.split('+').some((l) => SCRIPT_LANGUAGES.Han.includes(l));
    const { data: result } = await scheduler.addJob('recognize', data, {}, { text: true, blocks: withLines });
    const lines = withLines ? (result.blocks ?? []).flatMap((b) => b.paragraphs.flatMap((p) => p.lines.map((l) => ({ text: joinCjk(l.text.trim()), bbox: l.bbox })))) : [];
    return { text: joinCjk(result.text.replace(/\n{3,}/g, '\n\n').trim()), confidence: result.confidence, language: languages, lines };
  }

  /** The script and turn OSD sees on the page; undefined when it cannot tell (too little text) or has no data. */
  private async detectScript(data: Buffer): Promise<{ script: string | undefined; angle: number | undefined } | undefined> {
    if (!this.installed('osd')) return undefined;
    if (!this.osd) {
      const starting = createWorker('osd', OEM.TESSERACT_ONLY, { langPath: path.join(packageFolder('osd'), '4.0.0'), cacheMethod: 'none', gzip: true, legacyCore: true, legacyLang: true });
      this.osd = starting;
      starting.catch(() => {
        if (this.osd === starting) this.osd = undefined;
      });
    }
    const worker = await this.osd;
    const small = await sharp(data).resize(OSD_SIDE, OSD_SIDE, { fit: 'inside', withoutEnlargement: true }).png().toBuffer();
    const { data: found } = await worker.detect(small);
    return found.script ? { script: found.script, angle: found.orientation_degrees ?? undefined } : undefined;
  }

  /** The scheduler for a set of languages ("deu+eng"), its workers started together on first use. */
  private pool(languages: string): Promise<Scheduler> {
    const existing = this.pools.get(languages);
    if (existing) return existing;
    const starting = (async () => {
      const scheduler = createScheduler();
      const langPath = languageFolder(languages.split('+'));
      const workers = await Promise.all(Array.from({ length: this.workers }, () => createWorker(languages, OEM.LSTM_ONLY, { langPath, cacheMethod: 'none', gzip: true })));
      for (const worker of workers) scheduler.addWorker(worker);
      return scheduler;
    })();
    this.pools.set(languages, starting);
    // A failed start (no memory, bad language data) is tried again next time, not cached.
    starting.catch(() => {
      if (this.pools.get(languages) === starting) this.pools.delete(languages);
    });
    return starting;
  }

  async close(): Promise<void> {
    const pools = [...this.pools.values()];
    const osd = this.osd;
    this.pools.clear();
    this.osd = undefined;
    await Promise.all([...pools.map(async (p) => (await p).terminate()), ...(osd ? [(await osd).terminate()] : [])]);
  }
}

/** The script most of a text's letters are written in, by Unicode's script property (the names OSD uses too). */
function scriptOfText(text: string): string | undefined {
  const letters = [...text.matchAll(/\p{L}/gu)].length;
  if (letters === 0) return undefined;
  for (const script of Object.keys(SCRIPT_LANGUAGES)) {
    let pattern: RegExp;
    try {
      pattern = new RegExp(`\\p{Script=${script}}`, 'gu');
    } catch {
      continue; // a name OSD uses that is not a Unicode script (HanS, Japanese)
    }
    if ([...text.matchAll(pattern)].length * 2 > letters) return script;
  }
  return undefined;
}

/** tesseract puts a space between Chinese and Japanese characters, which are written without: removed. */
const CJK_GAP = /(?<=[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])[ \t]+(?=[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}])/gu;

export function joinCjk(text: string): string {
  return text.replace(CJK_GAP, '');
}

function packageFolder(language: string): string {
  return path.dirname(require.resolve(`@tesseract.js-data/${language}/package.json`));
}

function hasLanguageData(language: string): boolean {
  try {
    packageFolder(language);
    return true;
  } catch {
    return false;
  }
}

/**
 * tesseract.js reads every language from one folder; each language's data is in its own package.
 * With one language that package's folder is used; with several, a temporary folder of links to each.
 */
function languageFolder(languages: readonly string[]): string {
  const folderOf = (language: string) => path.join(packageFolder(language), '4.0.0_best_int');
  if (languages.length === 1) return folderOf(languages[0] ?? 'eng');
  const folder = fs.mkdtempSync(path.join(tmpdir(), 'docent-tessdata-'));
  for (const language of languages) fs.symlinkSync(path.join(folderOf(language), `${language}.traineddata.gz`), path.join(folder, `${language}.traineddata.gz`));
  return folder;
}
