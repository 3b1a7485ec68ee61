import { describe, expect, it } from 'vitest';
import { createLogger } from '../src/logger.js';

function capture() {
  const lines: string[] = [];
  return { lines, destination: { write: (line: string) => void lines.push(line), isTTY: false } };
}

describe('logger', () => {
  const secret = 'AIzaSy-super-secret-key-123';

  it('writes JSON lines when not on a terminal', () => {
    const { lines, destination } = capture();
    createLogger({ level: 'info', format: 'auto', secrets: [], destination }).info({ a: 1 }, 'hello');
    expect(JSON.parse(lines[0])).toMatchObject({ level: 30, msg: 'hello', a: 1, app: 'docent' });
  });

  it('never prints a configured secret, wherever it appears', () => {
    const { lines, destination } = capture();
    const logger = createLogger({ level: 'debug', format: 'json', secrets: [secret, 'gsk_other_secret'], destination });
    logger.info({ apiKey: secret }, 'field by name');
    logger.info({ config: { gemini: { key: secret } } }, 'nested field');
    logger.info({}, `in the message ${secret}`);
    logger.error({ err: new Error(`request to https://x?key=${secret} failed`) }, 'in an error');
    logger.child({ token: 'gsk_other_secret' }).warn({ url: `http://proxy/${secret}/v1` }, 'child bindings');
    logger.info({ quoted: `"${secret}"`, headers: { authorization: `Bearer ${secret}` } }, 'quoted');
    const all = lines.join('');
    expect(lines).toHaveLength(6);
    expect(all).not.toContain(secret);
    expect(all).not.toContain('gsk_other_secret');
    expect(all).toContain('[REDACTED]');
  });

  it('scrubs pretty output too', () => {
    const { lines, destination } = capture();
    createLogger({ level: 'info', format: 'pretty', secrets: [secret], destination }).info({ detail: secret }, `key ${secret}`);
    expect(lines.join('')).toContain('[REDACTED]');
    expect(lines.join('')).not.toContain(secret);
  });
});
