import fs from 'node:fs';
import path from 'node:path';
import { parseEnv } from 'node:util';

/** The env file named could not be read. */
export class EnvFileError extends Error {}

export interface EnvFileResult {
  readonly file: string;
  /** Variables taken from the file (those already in the environment are kept as they are). */
  readonly loaded: readonly string[];
}

/**
 * Reads `.env` (in the working folder, or the file `DOCENT_ENV_FILE` names) into `env`, the way
 * docker compose's env_file does for the container: `KEY=value` lines, `#` comments, quotes.
 * Variables already set in the environment win. A missing file is not an error; an unreadable one is.
 */
export function loadEnvFile(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): EnvFileResult | undefined {
  const file = path.resolve(cwd, env.DOCENT_ENV_FILE ?? '.env');
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT' && env.DOCENT_ENV_FILE === undefined) return undefined;
    throw new EnvFileError(`Could not read ${file}: ${(error as Error).message}`, { cause: error });
  }
  const loaded: string[] = [];
  for (const [key, value] of Object.entries(parseEnv(text))) {
    if (env[key] !== undefined) continue;
    env[key] = value;
    loaded.push(key);
  }
  return { file, loaded };
}
