import { readFileSync } from 'node:fs';
import { ConsoleBot } from './bots/console/console-bot.js';
import { formatBanner } from './banner.js';
import { ConfigError, loadConfig } from './config.js';
import { createCore } from './core/index.js';
import { createLogger } from './logger.js';

/**
 * Composition root: configuration → logger → core → bots. With no platform token set, the
 * console bot runs. SIGTERM/SIGINT stop reading new commands, let the current one finish, then
 * close the store.
 */
async function main(argv: readonly string[]): Promise<number> {
  const json = argv.includes('--json');
  let config;
  try {
    config = loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example for every variable and its meaning.\n`);
      return 78;
    }
    throw error;
  }
  const interactive = Boolean(process.stdin.isTTY) && !json;
  // At a terminal prompt, info lines would interleave with answers: warnings only, unless LOG_LEVEL says otherwise.
  const logger = createLogger({ level: config.log.level ?? (interactive ? 'warn' : 'info'), format: config.log.format, secrets: config.secrets });
  const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

  const core = createCore(config, logger);
  try {
    const { recovered } = await core.start();
    if (recovered > 0) logger.warn({ recovered }, 'rolled back work interrupted by the last shutdown');
  } catch (error) {
    logger.fatal({ err: error }, 'Docent could not start');
    process.stderr.write(`Docent could not start: ${error instanceof Error && 'userMessage' in error ? String(error.userMessage) : String(error)}\n`);
    await core.close().catch(() => undefined);
    return 1;
  }

  const bots = [
    { name: 'console bot', active: true, detail: interactive ? `interactive, channel #${config.console.channel} (type /help)` : 'reading commands from standard input' },
  ];
  process.stderr.write(`${formatBanner(version, bots, core.capabilities)}\n`);

  const bot = new ConsoleBot({
    core,
    logger,
    input: process.stdin,
    output: process.stdout,
    errorOutput: process.stderr,
    json,
    interactive,
    channel: config.console.channel,
  });
  const stop = (signal: string) => {
    logger.info({ signal }, 'stopping: finishing the current command');
    process.stdin.destroy();
  };
  process.once('SIGTERM', () => stop('SIGTERM'));
  process.once('SIGINT', () => stop('SIGINT'));

  const failures = await bot.run();
  await core.close();
  return interactive ? 0 : failures > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`Docent crashed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
