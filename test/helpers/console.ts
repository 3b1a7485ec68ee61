import fs from 'node:fs';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import sharp from 'sharp';
import { ConsoleBot } from '../../src/bots/console/console-bot.js';
import type { Core } from '../../src/core/index.js';
import { memoryLogger, tempDir } from './core.js';
import { makePdf } from './pdfs.js';

/** Runs console lines through a real ConsoleBot (text mode unless `json`); what it printed, and its failures. */
export async function runConsole(core: Core, cwd: string, lines: string[], options: { json?: boolean; channel?: string } = {}): Promise<{ out: string; err: string; failures: number }> {
  const [input, output, errorOutput] = [new PassThrough(), new PassThrough(), new PassThrough()];
  let out = '';
  let err = '';
  output.on('data', (c: Buffer) => (out += c.toString()));
  errorOutput.on('data', (c: Buffer) => (err += c.toString()));
  const bot = new ConsoleBot({ core, logger: memoryLogger(), input, output, errorOutput, json: options.json ?? false, interactive: false, channel: options.channel ?? 'general', cwd, user: { id: 'u1', name: 'Dana' } });
  const running = bot.run();
  input.end(`${lines.join('\n')}\n`);
  const failures = await running;
  return { out, err, failures };
}

/**
 * A folder with one of each kind of thing a channel gets: a PDF (harbour.pdf, about cod), a chat
 * transcript (standup.txt, three people) and an image with text (sign.png, "OPEN AT NINE").
 */
export async function channelFiles(prefix: string): Promise<string> {
  const cwd = tempDir(prefix);
  fs.writeFileSync(path.join(cwd, 'harbour.pdf'), await makePdf([{ heading: 'Fisheries', paragraphs: ['In 2023 the fishing fleet landed 18,000 tonnes of cod.'] }]));
  fs.writeFileSync(path.join(cwd, 'standup.txt'), ['[2026-11-20 09:00] Ana: The kiln firing moves to Thursday.', '[2026-11-20 09:01] Ben: We decided the kiln firing needs two people.', '[2026-11-20 09:02] Cy: I can help on Thursday.'].join('\n'));
  const svg = '<svg xmlns="http://www.w3.org/2000/svg" width="900" height="200"><rect width="100%" height="100%" fill="white"/><text x="30" y="120" font-family="DejaVu Sans" font-size="64">OPEN AT NINE</text></svg>';
  fs.writeFileSync(path.join(cwd, 'sign.png'), await sharp(Buffer.from(svg)).png().toBuffer());
  return cwd;
}
