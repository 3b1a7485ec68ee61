import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/** Debian's chromium (apt-get install chromium), or CHROMIUM_PATH; playwright-core downloads no browser. */
function chromiumPath(): string | undefined {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter((p): p is string => Boolean(p));
  return candidates.find((p) => fs.existsSync(p));
}

/** Why the browser tests cannot run here, or undefined when they can. */
export function browserUnavailable(): string | undefined {
  const path = chromiumPath();
  if (!path) return 'Chromium is not installed (apt-get install chromium); the browser tests are skipped';
  try {
    execFileSync(path, ['--version'], { stdio: 'ignore', timeout: 20_000 });
  } catch {
    return `${path} does not run here; the browser tests are skipped`;
  }
  return undefined;
}

export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  if (!executablePath) throw new Error('Chromium is not installed');
  // As root (CI containers) Chromium's sandbox cannot start; the pages opened are Docent's own.
  return chromium.launch({ executablePath, headless: true, args: process.getuid?.() === 0 ? ['--no-sandbox'] : [] });
}
