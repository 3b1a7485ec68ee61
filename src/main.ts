import { readFileSync } from 'node:fs';
import { ConsoleBot } from './bots/console/console-bot.js';
import { formatBanner } from './banner.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { buildCore } from './composition/compose-core.js';
import { wireProviders } from './composition/providers.js';
import type { CapabilityStatus, Core } from './core/index.js';
import { DatabaseUnavailableError } from './core/ports/errors.js';
import { EnvFileError, loadEnvFile } from './env-file.js';
import { startHealthServer, type HealthServer, type HealthState } from './health-server.js';
import { startAdminPage } from './admin/start-admin.js';
import type { AdminServer } from './admin/admin-server.js';
import { createLogger } from './logger.js';
import { startPlatforms, type Platform } from './start-platforms.js';

const USAGE = `Usage: npm start [-- options]

Runs Docent: the Discord bot when DISCORD_TOKEN is set, the Slack bot when SLACK_BOT_TOKEN is set,
and otherwise the console bot (type /help there). Settings come from the environment and from
.env in this folder (or the file DOCENT_ENV_FILE names); variables already set in the environment win.
See .env.example and the README for every variable.

Options:
  --console   run the console bot even when a platform token is set
  --json      console output as one JSON object per command (for scripts)
  --help, -h  print this help and exit

Other commands: npm run deploy:discord (register Discord's slash commands), npm test, npm run eval, npm run bench.
`;

/** The configuration from the environment and the env file; undefined (after saying why on stderr) when it is invalid. */
function readConfig(): Config | undefined {
  try {
    loadEnvFile();
    return loadConfig(process.env);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\nSee .env.example for every variable and its meaning.\n`);
      return undefined;
    }
    if (error instanceof EnvFileError) {
      process.stderr.write(`${error.message}\n`);
      return undefined;
    }
    throw error;
  }
}

/**
 * Composition root: configuration → logger → providers → answer models → core → bots (the
 * decisions are in composition/). Each platform with a token runs; with none (or with --console)
 * the console bot runs. SIGTERM/SIGINT stop taking new work, let replies in progress finish, then
 * close the store.
 */
async function main(argv: readonly string[]): Promise<number> {
  if (argv.includes('--help') || argv.includes('-h')) {
    process.stdout.write(USAGE);
    return 0;
  }
  const json = argv.includes('--json');
  const config = readConfig();
  if (config === undefined) return 78;
  const runConsole = (!config.discord.token && !config.slack.botToken) || argv.includes('--console');
  const interactive = runConsole && Boolean(process.stdin.isTTY) && !json;
  // At a terminal prompt, info lines would interleave with answers: warnings only, unless LOG_LEVEL says otherwise.
  const logger = createLogger({ level: config.log.level ?? (interactive ? 'warn' : 'info'), format: config.log.format, secrets: config.secrets });
  const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

  const providers = wireProviders(config, logger);
  const platforms: Platform[] = [];
  const bots: CapabilityStatus[] = [];
  const health: HealthState = { status: 'starting', bots: [], dependencies: () => providers.dependencies() };
  let healthServer: HealthServer | undefined;
  let adminServer: AdminServer | undefined;
  let core: Core | undefined;
  try {
    if (config.health.port > 0) {
      healthServer = await startHealthServer(config.health.port, config.health.host, health);
      logger.info({ port: healthServer.port, host: config.health.host }, 'health endpoint listening (GET /healthz)');
    }
    // The answer models are decided before the core is built (Groq is asked which models it hosts).
    core = await buildCore(config, providers, logger);
    const { recovered } = await core.start();
    if (recovered > 0) logger.warn({ recovered }, 'rolled back work interrupted by the last shutdown');
    await core.digests.load(); // a bad DIGEST_SCHEDULES_FILE stops the start, before any bot connects
    adminServer = await startAdminPage(config, core, logger);
    bots.push(...(await startPlatforms(config, core, logger, platforms)));
  } catch (error) {
    logger.fatal({ err: error }, 'Docent could not start');
    // An unreachable database is said with the driver's reason, which the operator needs.
    const reason = error instanceof DatabaseUnavailableError ? `${error.userMessage} (${error.message})` : undefined;
    process.stderr.write(`Docent could not start: ${reason ?? (error instanceof Error && 'userMessage' in error ? String(error.userMessage) : error instanceof Error ? error.message : String(error))}\n`);
    await Promise.allSettled(platforms.map((p) => p.stop()));
    await (core ?? providers).close().catch(() => undefined);
    await healthServer?.close();
    await adminServer?.close();
    return 1;
  }

  if (runConsole) {
    bots.unshift({ name: 'console bot', active: true, detail: interactive ? `interactive, channel #${config.console.channel} (type /help)` : 'reading commands from standard input' });
  }
  process.stderr.write(`${formatBanner(version, bots, await core.capabilities())}\n`);
  if (adminServer) process.stderr.write(`Admin page: ${adminServer.url} (sign in with ADMIN_TOKEN)\n`);
  health.bots = bots.filter((b) => b.active).map((b) => b.name.replace(/ bot$/, '').toLowerCase());
  health.status = 'ok';

  let stopSignal: (signal: string) => void = () => undefined;
  const stopped = new Promise<string>((resolve) => (stopSignal = resolve));
  const onSignal = (signal: string) => {
    logger.info({ signal }, 'stopping: finishing the work in progress');
    process.stdin.destroy();
    stopSignal(signal);
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));

  let failures = 0;
  const consoleBot = runConsole
    ? new ConsoleBot({ core, logger, input: process.stdin, output: process.stdout, errorOutput: process.stderr, json, interactive, channel: config.console.channel })
    : undefined;
  // Scheduled digests tick while Docent serves a platform or an interactive console; a piped
  // console session only runs its commands (/digest now still previews).
  if (!runConsole || interactive) await core.digests.start();
  if (consoleBot) failures = await consoleBot.run();
  else await stopped;
  health.status = 'stopping';
  await core.digests.stop();
  await Promise.allSettled(platforms.map((p) => p.stop()));
  await adminServer?.close();
  await core.close();
  await healthServer?.close();
  return runConsole && !interactive && failures > 0 ? 1 : 0;
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
