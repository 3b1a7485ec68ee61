import type { REST} from 'discord.js';
import { Routes, type APIMessage } from 'discord.js';
import type { ConversationMessage, ConversationSource } from '../../core/ports/ports.js';
import { hidesContent, MessageContentMissingError } from './message-content.js';

const PAGE = 100;

export interface DiscordChannelRef {
  /** The channel or thread whose messages to read. */
  readonly channelId: string;
  /** The guild, for message links; undefined in DMs. */
  readonly guildId: string | undefined;
  readonly label: string;
  /** Docent's own user id, so its replies can be skipped. */
  readonly botUserId: string;
  /** Whether Docent has the Message Content intent; without it, hidden text is reported, not summarized. */
  readonly messageContent?: boolean;
}

/**
 * A Discord channel or thread as a conversation: `GET /channels/{id}/messages`, newest first, 100
 * at a time with `before`, until the limit or the `since` time; handed over oldest first, with
 * names as people see them, mentions resolved, and a jump link per message.
 */
export function discordConversation(rest: REST, ref: DiscordChannelRef): ConversationSource {
  return {
    label: ref.label,
    async messages({ limit, since, signal }) {
      const collected: APIMessage[] = [];
      let before: string | undefined;
      let capped = false;
      fetching: while (true) {
        const query = new URLSearchParams({ limit: String(PAGE) });
        if (before) query.set('before', before);
        const page = (await rest.get(Routes.channelMessages(ref.channelId), { query, signal })) as APIMessage[];
        for (const message of page) {
          if (since && new Date(message.timestamp) < since) break fetching;
          if (collected.length === limit) {
            capped = true;
            break fetching;
          }
          collected.push(message);
        }
        if (page.length < PAGE) break;
        before = page[page.length - 1].id;
      }
      if (ref.messageContent !== true && hidesContent(collected, ref.botUserId)) throw new MessageContentMissingError();
      const messages = collected.reverse().map((m) => toConversationMessage(m, ref));
      return {
        capped,
        pages: (async function* () {
          for (let i = 0; i < messages.length; i += PAGE) yield messages.slice(i, i + PAGE);
        })(),
      };
    },
  };
}

function displayName(user: APIMessage['author']): string {
  return user.global_name ?? user.username;
}

function toConversationMessage(message: APIMessage, ref: DiscordChannelRef): ConversationMessage {
  const names = new Map(message.mentions.map((u) => [u.id, displayName(u)]));
  let text = message.content.replace(/<@!?(\d+)>/g, (_m, id: string) => `@${names.get(id) ?? 'someone'}`);
  if (message.attachments.length > 0) text += `${text ? ' ' : ''}[attached: ${message.attachments.map((a) => a.filename).join(', ')}]`;
  return {
    id: message.id,
    author: { id: message.author.id, name: displayName(message.author), bot: message.author.bot === true },
    text,
    at: new Date(message.timestamp),
    link: `https://discord.com/channels/${ref.guildId ?? '@me'}/${message.channel_id}/${message.id}`,
    fromDocent: message.author.id === ref.botUserId,
  };
}
