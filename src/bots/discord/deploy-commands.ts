import { REST, Routes, type RESTPostAPIApplicationCommandsJSONBody } from 'discord.js';
import { allCommands } from '../../commands/registry.js';
import { discordCommands } from './command-json.js';

export interface DeployResult {
  readonly scope: 'guild' | 'global';
  readonly count: number;
  readonly names: string[];
}

/**
 * Registers Docent's commands with Discord. PUT replaces the whole set, so running it again is
 * idempotent. With a guild id the commands appear in that server at once (development);
 * globally they reach every server the bot is in.
 */
export async function deployDiscordCommands(options: { token: string; apiUrl?: string; guildId?: string }): Promise<DeployResult> {
  const rest = new REST({ version: '10', ...(options.apiUrl ? { api: options.apiUrl } : {}) }).setToken(options.token);
  const application = (await rest.get(Routes.currentApplication())) as { id: string };
  const body: RESTPostAPIApplicationCommandsJSONBody[] = discordCommands(allCommands);
  const route = options.guildId ? Routes.applicationGuildCommands(application.id, options.guildId) : Routes.applicationCommands(application.id);
  const registered = (await rest.put(route, { body })) as { name: string }[];
  return { scope: options.guildId ? 'guild' : 'global', count: registered.length, names: registered.map((c) => c.name) };
}
