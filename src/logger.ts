import { Writable } from 'node:stream';
import pino, { type DestinationStream, type Logger as PinoLogger } from 'pino';
import pretty from 'pino-pretty';
import type { Config, LogLevel } from './config.js';

export interface LoggerOptions {
  readonly level: LogLevel;
  readonly format: Config['log']['format'];
  /** Every configured secret; scrubbed from every line wherever it appears. */
  readonly secrets: readonly string[];
  /** Where lines go: stderr by default, so stdout stays free for console output. */
  readonly destination?: DestinationStream & { isTTY?: boolean };
}

/** Field names whose values are always redacted, whatever they hold. */
const REDACT_PATHS = [
  'apiKey',
  'token',
  'authorization',
  '*.apiKey',
  '*.token',
  '*.authorization',
  'headers.authorization',
  'headers["x-goog-api-key"]',
  'headers["api-key"]',
  '*.headers.authorization',
];

/**
 * pino: pretty on a terminal, JSON lines otherwise. Secrets are removed twice: by field name,
 * and by value in the final line, so a key that slips into an error message is still scrubbed.
 */
export function createLogger(options: LoggerOptions): PinoLogger {
  const destination = options.destination ?? pino.destination({ fd: 2, sync: true });
  const usePretty = options.format === 'pretty' || (options.format === 'auto' && isTty(destination));
  const secrets = [...options.secrets].filter((s) => s.length >= 4).sort((a, b) => b.length - a.length);
  const scrub = (line: string): string => {
    let out = line;
    for (const secret of secrets) {
      if (out.includes(secret)) out = out.split(secret).join('[REDACTED]');
      const escaped = JSON.stringify(secret).slice(1, -1);
      if (escaped !== secret && out.includes(escaped)) out = out.split(escaped).join('[REDACTED]');
    }
    return out;
  };
  const sink = usePretty
    ? pretty({ sync: true, colorize: isTty(destination), destination: scrubbing(destination, scrub), translateTime: 'SYS:HH:MM:ss' })
    : scrubbing(destination, scrub);
  return pino(
    {
      level: options.level,
      base: { app: 'docent' },
      redact: { paths: REDACT_PATHS, censor: '[REDACTED]' },
      serializers: { err: pino.stdSerializers.err },
    },
    sink,
  );
}

/** A stream that scrubs each line before handing it to the real destination. */
function scrubbing(destination: DestinationStream, scrub: (line: string) => string): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, callback) {
      destination.write(scrub(chunk.toString()));
      callback();
    },
  });
}

function isTty(destination: DestinationStream & { isTTY?: boolean }): boolean {
  if (destination.isTTY !== undefined) return destination.isTTY;
  return (destination as { fd?: number }).fd === 2 ? Boolean(process.stderr.isTTY) : false;
}
