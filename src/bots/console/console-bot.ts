import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { runCommand, type RunOutcome } from '../../commands/run-command.js';
import { allCommands, findCommand, helpCommand } from '../../commands/registry.js';
import { helpLine } from '../../commands/help.js';
import { usage, type CommandDefinition, type CommandFailure, type CommandResult, type RawOptions, type Reply } from '../../commands/types.js';
import { isDocentError } from '../../core/ports/errors.js';
import type { Core } from '../../core/index.js';
import type { Logger } from '../../core/ports/ports.js';
import type { Actor, Scope } from '../../core/ports/types.js';
import { consoleDigestPlatform } from './console-digests.js';
import { resolvePaths } from './console-files.js';
import { parseLine } from '../../commands/parse-line.js';
import { textOptions } from '../../commands/text-options.js';

export interface ConsoleBotOptions {
  readonly core: Core;
  readonly logger: Logger;
  readonly input: Readable;
  readonly output: Writable;
  /** Progress lines in --json mode, so stdout stays one JSON object per command. */
  readonly errorOutput: Writable;
  readonly json: boolean;
  readonly interactive: boolean;
  readonly channel: string;
  readonly cwd?: string;
  readonly user?: Actor;
}

const CHANNEL_NAME = /^[\w.-]{1,80}$/;

/**
 * The console platform adapter: the shared commands over stdin/stdout. Interactive with a
 * prompt on a terminal; one command per line, in order, when piped, ending with the input.
 * With --json each command prints exactly one JSON object on stdout.
 */
export class ConsoleBot {
  /** Follow-ups belong to this console session: a new session starts a new conversation. */
  private readonly session = `console:${randomUUID()}`;
  private channel: string;
  private failures = 0;
  /** Questions and answers per channel, for follow-ups. */
  private streamed = false;
  private readonly user: Actor;
  private readonly cwd: string;
  /** Shows the prompt again (interactive sessions), e.g. after a digest was printed. */
  private prompt: (() => void) | undefined;

  constructor(private readonly options: ConsoleBotOptions) {
    this.channel = options.channel;
    const name = safeUsername();
    this.user = options.user ?? { id: name, name };
    this.cwd = options.cwd ?? process.cwd();
    options.core.digests.attach(consoleDigestPlatform(options.json ? options.errorOutput : options.output, () => this.prompt?.()));
  }

  get scope(): Scope {
    return { platform: 'console', workspace: 'local', channel: this.channel };
  }

  /** Reads commands until the input ends; resolves with the number of commands that failed. */
  async run(): Promise<number> {
    const rl = readline.createInterface({
      input: this.options.input,
      ...(this.options.interactive ? { output: this.options.output, terminal: true } : {}),
      crlfDelay: Infinity,
    });
    const prompt = () => {
      if (!this.options.interactive) return;
      rl.setPrompt(`docent #${this.channel}> `);
      rl.prompt();
    };
    this.prompt = prompt;
    prompt();
    for await (const line of rl) {
      try {
        await this.handleLine(line);
      } catch (error) {
        // handleLine reports its own errors; this is the last guard that keeps the console alive.
        this.options.logger.error({ err: error }, 'console command crashed');
        this.failures++;
      }
      prompt();
    }
    return this.failures;
  }

  async handleLine(line: string): Promise<void> {
    const parsed = parseLine(line);
    if (parsed === undefined) return;
    if (parsed.name === 'channel') return this.switchChannel(parsed.rest);
    if (parsed.name === 'quit' || parsed.name === 'exit') {
      this.options.input.destroy();
      return;
    }
    const command = findCommand(parsed.name);
    if (command === undefined) {
      this.failures++;
      const near = parsed.name === '' ? undefined : closestCommand(parsed.name);
      const message =
        parsed.name === '' ? 'Type a command after the slash. /help lists the commands.' : `Unknown command /${parsed.name}.${near ? ` Did you mean /${near}?` : ''} /help lists the commands.`;
      this.emitFailure(parsed.name, { code: 'unknown_command', message });
      return;
    }
    let options: RawOptions;
    try {
      options = await this.toOptions(command, parsed.rest);
    } catch (error) {
      if (!isDocentError(error)) throw error;
      this.failures++;
      this.emitFailure(command.name, { code: error.code, message: error.userMessage, usage: usage(command) });
      return;
    }
    this.streamed = false;
    const outcome = await runCommand({
      command,
      options,
      core: this.options.core,
      scope: this.scope,
      user: this.user,
      logger: this.options.logger,
      reply: this.reply(),
      platform: { memory: this.options.core.conversations.of(this.scope, this.session) },
    });
    this.emitOutcome(command, outcome);
  }

  private switchChannel(rest: string): void {
    const name = rest.trim().replace(/^#/, '');
    if (!CHANNEL_NAME.test(name)) {
      this.failures++;
      this.emitFailure(
        'channel',
        { code: 'bad_option', message: name === '' ? `You are in #${this.channel}.` : `“${name}” is not a valid channel name (letters, digits, . _ - only).`, usage: '/channel <name>' },
      );
      return;
    }
    this.channel = name;
    if (this.options.json) this.writeJson({ command: 'channel', ok: true, channel: name });
    else this.write(`Now in #${name}. Documents and questions are scoped to this channel.`);
  }

  private toOptions(command: CommandDefinition, rest: string): Promise<RawOptions> {
    return textOptions(command, rest, (path) => resolvePaths(path, this.cwd));
  }

  private reply(): Reply {
    return {
      defer: async () => undefined,
      progress: async (text) => {
        if (this.options.json) this.options.errorOutput.write(`${text}\n`);
        else this.write(text);
      },
      stream: async (tokens) => {
        for await (const token of tokens) {
          if (this.options.json) continue;
          this.streamed = true;
          this.options.output.write(token);
        }
      },
      send: async () => undefined,
      fail: async () => undefined,
    };
  }

  private emitOutcome(command: CommandDefinition, outcome: RunOutcome): void {
    if (!outcome.ok) {
      this.failures++;
      this.emitFailure(command.name, outcome.failure);
      return;
    }
    const result: CommandResult = outcome.result;
    const saved = (result.files ?? []).map((file) => {
      const target = path.resolve(this.cwd, file.name);
      fs.writeFileSync(target, file.data);
      return target;
    });
    if (this.options.json) {
      if (saved.length > 0) {
        const dataTimings = typeof result.data.timings === 'object' && result.data.timings !== null ? result.data.timings : {};
        this.writeJson({ command: command.name, ok: true, ...result.data, ...(result.details ? { details: result.details } : {}), files: saved, timings: { ...dataTimings, totalMs: outcome.durationMs } });
        return;
      }
      const dataTimings = typeof result.data.timings === 'object' && result.data.timings !== null ? result.data.timings : {};
      // What the reply sent where (the Details button on Discord and Slack).
      this.writeJson({ command: command.name, ok: true, ...result.data, ...(result.details ? { details: result.details } : {}), timings: { ...dataTimings, totalMs: outcome.durationMs } });
    } else if (this.streamed) {
      // The answer was printed as it arrived; finish the line and add its sources.
      this.write(result.afterStream ? `\n\n${result.afterStream}` : '');
    } else {
      this.write(result.text);
      for (const file of saved) this.write(`Saved ${file}`);
      if (command === helpCommand && Array.isArray(result.data.commands)) {
        this.write(helpLine('/channel <name>', 'Switch the console to another channel (scope)'));
        this.write(helpLine('/quit', 'Leave the console (also /exit)'));
      }
    }
  }

  /** One line: the reason and, for a malformed command, that command's usage; and a log line. */
  private emitFailure(command: string, failure: CommandFailure): void {
    if (failure.code === 'unknown_command' || failure.usage) this.options.logger.info({ command, code: failure.code }, `console: /${command} refused`);
    if (this.options.json) {
      this.writeJson({
        command,
        ok: false,
        error: { code: failure.code, message: failure.message, ...(failure.reference ? { reference: failure.reference } : {}) },
        ...(failure.usage ? { usage: failure.usage } : {}),
      });
      return;
    }
    this.write(`✖ ${failure.message}${failure.usage ? `\n  Usage: ${failure.usage}` : ''}`);
  }

  private write(text: string): void {
    this.options.output.write(`${text}\n`);
  }

  private writeJson(value: Record<string, unknown>): void {
    this.options.output.write(`${JSON.stringify(value)}\n`);
  }
}

/** The command a mistyped name was probably meant to be ("/forgte" → forget), if one is close. */
function closestCommand(name: string): string | undefined {
  const names = [...allCommands.map((c) => c.name), 'channel'];
  let best: { name: string; distance: number } | undefined;
  for (const candidate of names) {
    const distance = editDistance(name.toLowerCase(), candidate);
    if (!best || distance < best.distance) best = { name: candidate, distance };
  }
  return best && best.distance <= Math.max(1, Math.floor(best.name.length / 3)) ? best.name : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length] ?? 0;
}

function safeUsername(): string {
  try {
    return os.userInfo().username || 'console';
  } catch {
    return 'console';
  }
}
