import sharp, { type Sharp } from 'sharp';

/** A line tesseract read, where it stands on the page (pixels). */
export interface ReadLine {
  readonly text: string;
  readonly bbox: { readonly x0: number; readonly y0: number; readonly x1: number; readonly y1: number };
}

/** One reading of a page with one Chinese model (chi_sim or chi_tra). */
export interface HanReading {
  readonly language: string;
  readonly confidence: number;
  readonly lines: readonly ReadLine[];
}

const HAN = /\p{Script=Han}/u;
/** Height of the small grey images lines are compared at: a character's shape, not its font's details. */
const SIDE = 24;
/** Enough lines to tell the script; more only cost time. */
const MOST_PAIRS = 8;

/**
 * Which reading of a Chinese page has the characters printed on it. Tesseract's simplified and
 * traditional models each read the other script too, writing its characters in their own (a
 * traditional 體 comes out of chi_sim as 体, a simplified 报 out of chi_tra as 報, both
 * confidently), so confidence alone cannot tell the page's script. Where the two readings of a
 * line disagree, the line on the page is compared with both readings of it drawn (sharp, with
 * whatever CJK font fontconfig finds; layout gives a line's box reliably, unlike a character's):
 * the characters both readings share look alike in both drawings, so the ones they disagree on
 * decide which looks like the page, each line by how much closer one drawing is. With no such font (a simplified and a
 * traditional character come out alike) or no disagreement, the more confident reading is kept.
 */
export async function pickHanReading<R extends HanReading>(page: Buffer, readings: readonly [R, R]): Promise<R> {
  const [first, second] = readings;
  const byConfidence = second.confidence > first.confidence ? second : first;
  const pairs = disagreements(first.lines, second.lines).slice(0, MOST_PAIRS);
  if (pairs.length === 0 || !(await canDrawHan())) return byConfidence;
  const { width = 0, height = 0 } = await sharp(page).metadata();
  // Each line weighs by how much better one drawing matches it than the other, per pixel.
  let lead = 0;
  for (const [a, b] of pairs) {
    try {
      const line = await pageLine(page, a.bbox, { width, height });
      if (!line) continue;
      const [drawnA, drawnB] = await Promise.all([drawn(a.text, line.size), drawn(b.text, line.size)]);
      lead += (distance(line.pixels, drawnB) - distance(line.pixels, drawnA)) / line.pixels.length;
    } catch {
      // A line that cannot be cut out or drawn has no say.
    }
  }
  return lead > 0 ? first : lead < 0 ? second : byConfidence;
}

let drawsHan: Promise<boolean> | undefined;

/** Whether a font on this machine draws Chinese: 体 and 體 come out differently (not as the same empty box). */
function canDrawHan(): Promise<boolean> {
  const size = { width: SIDE, height: SIDE };
  drawsHan ??= Promise.all([drawn('体', size), drawn('體', size)]).then(
    ([a, b]) => !a.equals(b),
    () => false,
  );
  return drawsHan;
}

/** Lines with Chinese in them that the two readings read differently at the same place. */
function disagreements(a: readonly ReadLine[], b: readonly ReadLine[]): [ReadLine, ReadLine][] {
  const pairs: [ReadLine, ReadLine][] = [];
  for (const line of a) {
    if (!HAN.test(line.text)) continue;
    const match = b.find((other) => overlap(line.bbox, other.bbox) > 0.5);
    if (match && match.text !== line.text) pairs.push([line, match]);
  }
  return pairs;
}

function overlap(a: ReadLine['bbox'], b: ReadLine['bbox']): number {
  const w = Math.min(a.x1, b.x1) - Math.max(a.x0, b.x0);
  const h = Math.min(a.y1, b.y1) - Math.max(a.y0, b.y0);
  if (w <= 0 || h <= 0) return 0;
  const area = (box: ReadLine['bbox']) => (box.x1 - box.x0) * (box.y1 - box.y0);
  return (w * h) / Math.min(area(a), area(b));
}

type Size = { width: number; height: number };

/** The line at `box` on the page as a small grey image of its ink, SIDE high (undefined for a box off the page). */
async function pageLine(page: Buffer, box: ReadLine['bbox'], pageSize: Size): Promise<{ pixels: Buffer; size: Size } | undefined> {
  const left = Math.max(0, box.x0);
  const top = Math.max(0, box.y0);
  const width = Math.min(pageSize.width, box.x1) - left;
  const height = Math.min(pageSize.height, box.y1) - top;
  if (width < 4 || height < 4) return undefined;
  // Two steps: sharp trims before it extracts when both are asked of one pipeline.
  const cut = await sharp(page).extract({ left, top, width, height }).greyscale().normalise().threshold(128).png().toBuffer();
  const ink = await sharp(cut).trim({ background: '#ffffff', threshold: 10 }).png().toBuffer({ resolveWithObject: true });
  const size = { width: Math.max(SIDE, Math.round((SIDE * ink.info.width) / ink.info.height)), height: SIDE };
  return { pixels: await normalised(sharp(ink.data), size), size };
}

/** Characters drawn black on white, cut to their ink, as the same small grey image. */
async function drawn(text: string, size: Size): Promise<Buffer> {
  const length = [...text].length;
  const escaped = text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${length * 120 + 20}" height="140"><rect width="100%" height="100%" fill="white"/><text x="10" y="112" font-family="sans-serif" font-size="110" fill="black">${escaped}</text></svg>`;
  return normalised(sharp(Buffer.from(svg)).greyscale().threshold(128).trim({ background: '#ffffff', threshold: 10 }), size);
}

/** Stretched to `size` and softened, so stroke weight and small offsets matter less than shape. */
async function normalised(image: Sharp, size: Size): Promise<Buffer> {
  const png = await image.png().toBuffer();
  return sharp(png).resize(size.width, size.height, { fit: 'fill' }).blur(1).greyscale().raw().toBuffer();
}

function distance(a: Buffer, b: Buffer): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs(a[i] - (b[i] ?? 255));
  return sum;
}
