import { Events, type Client } from 'discord.js';
import type { Core } from '../../core/index.js';

/** The origin key of a Discord message documents were posted in (see FileSource.origins). */
export const messageOrigin = (messageId: string) => `discord:message:${messageId}`;

/**
 * Deleted messages (one, or a bulk delete by a moderator) forget the documents they carried, in
 * the server's channels (a thread's documents belong to its parent channel), unless a channel
 * turned forgetdeleted off. Needs Partials.Message: Discord sends only ids for messages the
 * client has not cached, which is most of them.
 */
export function forgetDeletedMessages(client: Client, core: Core, track: (work: () => Promise<unknown>) => void): void {
  const forget = async (guildId: string | null, ids: readonly string[]) => {
    for (const id of ids) await core.knowledge.forgetPosted({ platform: 'discord', workspace: guildId ?? 'dm' }, messageOrigin(id));
  };
  client.on(Events.MessageDelete, (message) => track(() => forget(message.guildId, [message.id])));
  client.on(Events.MessageBulkDelete, (messages, channel) => track(() => forget(channel.guildId, [...messages.keys()])));
}

/**
 * Channels and servers Docent leaves: a deleted channel, or Docent removed from a server, has its
 * documents purged after CHANNEL_PURGE_DAYS; being in the server again (GUILD_CREATE, also sent
 * for every server at each connection) keeps them. An outage (the server unavailable) is not a
 * departure: discord.js reports it as GuildUnavailable.
 */
export function purgeLeftChannels(client: Client, core: Core, track: (work: () => Promise<unknown>) => void): void {
  client.on(Events.ChannelDelete, (channel) => {
    if (!('guildId' in channel) || !channel.guildId) return;
    const guildId = channel.guildId;
    track(() => core.lifecycle.departed({ platform: 'discord', workspace: guildId, channel: channel.id }, 'the channel was deleted'));
  });
  // An outage is GuildUnavailable in discord.js; GuildDelete is a removal.
  client.on(Events.GuildDelete, (guild) => {
    track(() => core.lifecycle.departed({ platform: 'discord', workspace: guild.id }, 'Docent was removed from the server'));
  });
  client.on(Events.GuildCreate, (guild) => track(() => core.lifecycle.returned({ platform: 'discord', workspace: guild.id })));
}
