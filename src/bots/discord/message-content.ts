import type { APIMessage } from 'discord.js';
import { DocentError } from '../../core/ports/errors.js';

/** What to do when Discord hides message text from Docent. */
export const MESSAGE_CONTENT_NEEDED =
  'Discord hides the text of these messages from Docent: it needs the Message Content intent. Its operator must turn on *Message Content Intent* (Developer Portal → the application → Bot → Privileged Gateway Intents) and set DISCORD_MESSAGE_CONTENT=true, then restart Docent.';

export class MessageContentMissingError extends DocentError {
  constructor() {
    super('message_content_intent', MESSAGE_CONTENT_NEEDED);
  }
}

/** Message types people write (default and reply); joins, pins and the like have no text anyway. */
const WRITTEN = new Set([0, 19]);

/**
 * Without the Message Content intent Discord returns other people's messages over REST with empty
 * `content`, no attachments and no embeds (only messages that mention Docent, and DMs, keep theirs).
 * When at least half of the people's messages read are blank like that, the text is hidden, not
 * absent: summarizing them would say "no messages" or summarize nothing.
 */
export function hidesContent(messages: readonly APIMessage[], botUserId: string): boolean {
  const written = messages.filter((m) => !m.author.bot && m.author.id !== botUserId && WRITTEN.has(m.type));
  const blank = written.filter((m) => m.content === '' && m.attachments.length === 0 && m.embeds.length === 0 && (m.sticker_items?.length ?? 0) === 0 && !m.poll);
  return blank.length > 0 && blank.length * 2 >= written.length;
}
