// npm run deploy:discord — registers Docent's slash commands and context menus with Discord.
import { deployDiscordCommands } from '../src/bots/discord/deploy-commands.js';
import { ConfigError, loadConfig } from '../src/config.js';
import { EnvFileError, loadEnvFile } from '../src/env-file.js';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(
    'Usage: npm run deploy:discord\n\nRegisters Docent\'s slash commands and context menus with Discord. Reads DISCORD_TOKEN (and\n' +
      'DISCORD_GUILD_ID to register in one server at once) from the environment or from .env in this folder;\n' +
      'variables already set in the environment win. Run it again after upgrading Docent.\n',
  );
  process.exit(0);
}

try {
  loadEnvFile();
  const config = loadConfig(process.env);
  if (!config.discord.token) {
    process.stderr.write('Set DISCORD_TOKEN (the bot token) to register commands; DISCORD_GUILD_ID registers them in one server instantly.\n');
    process.exit(78);
  }
  const result = await deployDiscordCommands({ token: config.discord.token, apiUrl: config.discord.apiUrl, guildId: config.discord.guildId });
  process.stdout.write(
    `Registered ${result.count} commands ${result.scope === 'guild' ? `in server ${config.discord.guildId} (instant)` : 'globally (may take up to an hour to appear)'}: ${result.names.join(', ')}\n`,
  );
} catch (error) {
  if (error instanceof ConfigError || (error instanceof EnvFileError)) {
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
  process.stderr.write(`Could not register the commands: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
}
