import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfig, type Config } from '../../src/config.js';
import { composeCore } from '../../src/composition/compose-core.js';
import type { CoreOverrides } from '../../src/composition/providers.js';
import type { Core } from '../../src/core/index.js';
import type { Logger } from '../../src/core/ports/ports.js';
import type { FileSource, Scope } from '../../src/core/ports/types.js';

export function tempDir(prefix = 'docent-test-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({ DATA_DIR: tempDir(), LOG_LEVEL: 'silent', ...env });
}

/** A logger that keeps every entry, for assertions. */
export function memoryLogger(entries: { level: string; obj: object; msg?: string }[] = []): Logger & { entries: typeof entries } {
  const make = (bindings: Record<string, unknown>): Logger & { entries: typeof entries } => {
    const log = (level: string) => (obj: object, msg?: string) => entries.push({ level, obj: { ...bindings, ...obj }, msg });
    return { entries, debug: log('debug'), info: log('info'), warn: log('warn'), error: log('error'), child: (b) => make({ ...bindings, ...b }) };
  };
  return make({});
}

/** A core built through the composition, as main builds it (not started: call start()). */
export async function startCore(config: Config, overrides: CoreOverrides = {}): Promise<Core> {
  return composeCore(config, memoryLogger(), overrides);
}

export function bufferFile(name: string, data: Buffer, options: { size?: number | undefined; link?: string } = {}): FileSource {
  return {
    name,
    size: 'size' in options ? options.size : data.length,
    link: options.link,
    read: async (maxBytes) => data.subarray(0, maxBytes + 1),
  };
}

export const alice = { id: 'U1', name: 'Alice' };

export function scope(channel: string, workspace = 'W1', platform = 'slack'): Scope {
  return { platform, workspace, channel };
}
