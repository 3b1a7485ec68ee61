import type { WebClient } from '@slack/web-api';
import type { ConversationMessage, ConversationSource } from '../../core/ports/ports.js';
import { isBotMessage } from './slack-envelope.js';
import { inChannel } from './not-in-channel.js';

interface SlackMessage {
  ts?: string;
  thread_ts?: string;
  user?: string;
  bot_id?: string | null;
  subtype?: string;
  text?: string;
  username?: string;
  files?: { name?: string }[];
}

export interface SlackConversationRef {
  readonly channelId: string;
  /** Set to read one thread (conversations.replies); unset for the channel (conversations.history). */
  readonly threadTs: string | undefined;
  readonly label: string;
  /** The workspace URL from auth.test, e.g. https://acme.slack.com/, for permalinks. */
  readonly workspaceUrl: string;
  /** Docent's own bot id and user id, so its replies can be skipped. */
  readonly botId: string | undefined;
  readonly botUserId: string | undefined;
}

const PAGE = 200;

/**
 * A Slack channel or thread as a conversation, read with cursor pagination
 * (conversations.history newest first; conversations.replies oldest first), names looked up
 * once per person with users.info, mentions resolved, and a permalink per message.
 */
export function slackConversation(client: WebClient, ref: SlackConversationRef, names = new Map<string, string>()): ConversationSource {
  const nameOf = async (userId: string): Promise<string> => {
    const known = names.get(userId);
    if (known) return known;
    try {
      const info = await client.users.info({ user: userId });
      const profile = info.user?.profile;
      const name = profile?.display_name || profile?.real_name || info.user?.real_name || info.user?.name || userId;
      names.set(userId, name);
      return name;
    } catch {
      return userId;
    }
  };

  return {
    label: ref.label,
    async messages({ limit, since }) {
      const oldest = since ? (since.getTime() / 1000).toFixed(6) : undefined;
      let raw: SlackMessage[] = [];
      let capped = false;
      let cursor: string | undefined;
      const threadTs = ref.threadTs;
      if (threadTs) {
        // Replies come oldest first: read the whole thread, keep the most recent `limit`.
        do {
          const page = await inChannel(() => client.conversations.replies({ channel: ref.channelId, ts: threadTs, limit: PAGE, cursor, ...(oldest ? { oldest } : {}) }));
          raw.push(...((page.messages ?? []) as SlackMessage[]));
          cursor = page.response_metadata?.next_cursor || undefined;
        } while (cursor);
        if (raw.length > limit) {
          capped = true;
          raw = raw.slice(raw.length - limit);
        }
      } else {
        // History comes newest first: stop once `limit` messages are in.
        do {
          const page = await inChannel(() => client.conversations.history({ channel: ref.channelId, limit: PAGE, cursor, ...(oldest ? { oldest } : {}) }));
          for (const message of (page.messages ?? []) as SlackMessage[]) {
            if (raw.length === limit) {
              capped = true;
              break;
            }
            raw.push(message);
          }
          cursor = raw.length < limit ? page.response_metadata?.next_cursor || undefined : undefined;
          if (raw.length === limit && page.has_more) capped = true;
        } while (cursor);
        raw.reverse();
      }
      const usable = raw.filter((m) => m.ts && !['channel_join', 'channel_leave', 'message_deleted'].includes(m.subtype ?? ''));
      const messages: ConversationMessage[] = [];
      for (const m of usable) messages.push(await toConversationMessage(m, ref, nameOf));
      return {
        capped,
        pages: (async function* () {
          for (let i = 0; i < messages.length; i += PAGE) yield messages.slice(i, i + PAGE);
        })(),
      };
    },
  };
}

async function toConversationMessage(m: SlackMessage, ref: SlackConversationRef, nameOf: (id: string) => Promise<string>): Promise<ConversationMessage> {
  const ts = m.ts ?? '0';
  let text = m.text ?? '';
  for (const match of [...text.matchAll(/<@(U[A-Z0-9]+)(?:\|[^>]*)?>/g)]) text = text.replace(match[0], `@${await nameOf(match[1])}`);
  text = text.replace(/<(https?:[^|>]+)\|([^>]+)>/g, '$2 ($1)').replace(/<(https?:[^>]+)>/g, '$1').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
  if (m.files?.length) text += `${text ? ' ' : ''}[attached: ${m.files.map((f) => f.name ?? 'file').join(', ')}]`;
  const bot = isBotMessage(m);
  const author = m.user ? await nameOf(m.user) : (m.username ?? 'a bot');
  const base = ref.workspaceUrl.replace(/\/+$/, '');
  const thread = m.thread_ts && m.thread_ts !== ts ? `?thread_ts=${m.thread_ts}&cid=${ref.channelId}` : '';
  return {
    id: ts,
    author: { id: m.user ?? m.bot_id ?? 'unknown', name: author, bot },
    text,
    at: new Date(Number(ts) * 1000),
    link: `${base}/archives/${ref.channelId}/p${ts.replace('.', '')}${thread}`,
    fromDocent: (ref.botId !== undefined && m.bot_id === ref.botId) || (ref.botUserId !== undefined && m.user === ref.botUserId),
  };
}
