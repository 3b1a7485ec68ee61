import { PassThrough } from 'node:stream';
import { ConsoleBot } from '../../src/bots/console/console-bot.js';
import type { Core } from '../../src/core/index.js';
import { memoryLogger } from './core.js';

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
