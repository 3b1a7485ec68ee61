import { execFileSync } from 'node:child_process';

/** The CJK font tests render Chinese with: Debian's fonts-wqy-microhei, which .ci/run installs. */
export const CJK_FONT = 'WenQuanYi Micro Hei';

/** Whether fontconfig (which sharp's SVG renderer uses) has the CJK font; says so when it is missing. */
export function hasCjkFont(): boolean {
  let found: boolean;
  try {
    found = execFileSync('fc-list', [':lang=zh'], { encoding: 'utf8' }).includes(CJK_FONT);
  } catch {
    found = false; // no fontconfig at all
  }
  if (!found) console.warn(`[notice] the ${CJK_FONT} font is absent (apt-get install fonts-wqy-microhei): Chinese OCR tests are skipped.`);
  return found;
}
