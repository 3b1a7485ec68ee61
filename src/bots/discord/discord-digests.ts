import { PermissionFlagsBits, Routes, type APIChannel, type APIMessage, type Client, type Guild } from 'discord.js';
import type { DigestPlatform } from '../../core/ports/ports.js';
import { discordConversation } from './discord-conversations.js';
import { splitMessage } from './split-message.js';

/**
 * Digests on Discord: a channel's history through the REST API, who can read a channel from the
 * guild's roles and the channel's overwrites (View Channel and Read Message History), posts split
 * at 2,000 characters with mentions disabled, and failures told to the schedule's owner in a DM.
 */
export function discordDigestPlatform(client: () => Client, messageContent = false): DigestPlatform {
  const post = async (channel: string, markdown: string): Promise<APIMessage[]> => {
    const sent: APIMessage[] = [];
    for (const content of splitMessage(markdown)) {
      sent.push((await client().rest.post(Routes.channelMessages(channel), { body: { content, allowed_mentions: { parse: [] } } })) as APIMessage);
    }
    return sent;
  };
  // A schedule may tick on a replica whose shards do not hold its guild: what the cache lacks is fetched over REST.
  const guildOf = async (id: string): Promise<Guild | undefined> => client().guilds.cache.get(id) ?? (await client().guilds.fetch(id).catch(() => undefined));
  const channelOf = async (guild: Guild, id: string) => guild.channels.cache.get(id) ?? (await guild.channels.fetch(id).catch(() => null)) ?? undefined;
  return {
    platform: 'discord',
    conversation(workspace, channel, label) {
      return discordConversation(client().rest, { channelId: channel, guildId: workspace === 'dm' ? undefined : workspace, label, botUserId: client().user?.id ?? '', messageContent });
    },
    async canRead(workspace, userId, channel) {
      if (workspace === 'dm') return true;
      const guild = await guildOf(workspace);
      const target = guild ? await channelOf(guild, channel) : undefined;
      if (!guild || !target) return false;
      const member = await guild.members.fetch(userId).catch(() => undefined);
      if (!member) return false;
      return target.permissionsFor(member).has([PermissionFlagsBits.ViewChannel, PermissionFlagsBits.ReadMessageHistory]);
    },
    async channelLabel(workspace, channel) {
      const cached = workspace === 'dm' ? undefined : client().guilds.cache.get(workspace)?.channels.cache.get(channel);
      if (cached) return `#${cached.name}`;
      const fetched = (await client().rest.get(Routes.channel(channel)).catch(() => undefined)) as APIChannel | undefined;
      return fetched && 'name' in fetched && fetched.name ? `#${fetched.name}` : `#${channel}`;
    },
    async findChannel(workspace, name) {
      const wanted = name.toLowerCase();
      const guild = await guildOf(workspace);
      if (!guild) return undefined;
      if (guild.channels.cache.size === 0) await guild.channels.fetch().catch(() => undefined);
      return guild.channels.cache.find((c) => c.name.toLowerCase() === wanted && c.isTextBased())?.id;
    },
    async post(workspace, channel, markdown) {
      const [first] = await post(channel, markdown);
      return first ? `https://discord.com/channels/${workspace}/${channel}/${first.id}` : '';
    },
    async notify(_workspace, userId, markdown) {
      const dm = (await client().rest.post(Routes.userChannels(), { body: { recipient_id: userId } })) as APIChannel;
      await post(dm.id, markdown);
    },
  };
}
