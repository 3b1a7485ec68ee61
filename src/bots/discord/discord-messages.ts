import { isDocumentFile } from '../../core/public-surface.js';
import { isImageFile, isVideoFile } from '../../core/ports/types.js';
import { messageOrigin } from './discord-deletions.js';
import type { Attachment, Client, Message } from 'discord.js';
import { planPost, type PostedFile } from '../../commands/plan-post.js';
import { runCommand, type PlatformContext } from '../../commands/run-command.js';
import type { Core } from '../../core/index.js';
import type { Logger } from '../../core/ports/ports.js';
import type { Actor, Scope } from '../../core/ports/types.js';
import { conversationKey } from '../shared/turn-memory.js';
import { attachmentSource } from './discord-files.js';
import { MessageReply } from './message-reply.js';

export interface DiscordMessageOptions {
  readonly core: Core;
  readonly logger: Logger;
  readonly client: () => Client;
  /** The privileged Message Content intent is enabled: every PDF and image posted is seen. */
  readonly messageContent: boolean;
  readonly cdnHosts: readonly string[];
  /** What the platform supplies for a message: its conversation, the rule for a right. */
  readonly platform: (message: Message) => Omit<PlatformContext, 'memory'>;
}

/** What an attachment is to Docent, by its name and Discord's content type; other files are not Docent's. */
export function attachmentKind(a: Attachment): PostedFile['kind'] | undefined {
  const type = a.contentType ?? undefined;
  return isDocumentFile(a.name, type) ? 'document' : isImageFile(a.name, type) ? 'image' : isVideoFile(a.name, type) ? 'video' : undefined;
}

/**
 * Ordinary messages, read into a platform-neutral post (planPost decides what to do: index its
 * PDFs, describe its images, answer or summarize) and run through the command runner, so
 * validation, progress, permissions, logging and error messages are those of the commands.
 */
export class DiscordMessages {
  constructor(private readonly options: DiscordMessageOptions) {}

  async handle(message: Message): Promise<void> {
    if (message.author.bot) return;
    const client = this.options.client();
    const direct = message.guildId === null;
    const mentioned = client.user !== null && message.mentions.users.has(client.user.id);
    const scope = this.scope(message);
    const files: PostedFile[] = [...message.attachments.values()].flatMap((a): PostedFile[] => {
      const kind = attachmentKind(a);
      return kind ? [{ kind, source: attachmentSource(a, { cdnHosts: this.options.cdnHosts, link: message.url, origins: [messageOrigin(message.id)] }) }] : [];
    });
    const text = message.content.replace(/<@!?\d+>/g, '').trim();
    const addressed = mentioned || direct;
    const plan = await planPost({
      files,
      text,
      addressed,
      indexesAll: this.options.messageContent,
      altText: files.some((f) => f.kind === 'image') && (await this.options.core.settings.get(scope, 'alttext')),
    });
    // Another replica on the same shard sees this message too: whoever takes it first acts on it.
    if ((plan.hint || plan.runs.length > 0) && !(await this.options.core.deliveries.first('discord:message', message.id))) return;
    if (plan.hint) {
      await message.reply({ content: plan.hint, allowedMentions: { repliedUser: false } });
      return;
    }
    const key = conversationKey(message.channel.isThread() ? { channel: message.channelId, thread: message.channelId, user: message.author.id } : { channel: message.channelId, user: message.author.id });
    for (const run of plan.runs) {
      await runCommand({
        command: run.command,
        options: run.options,
        origin: 'posted',
        core: this.options.core,
        scope,
        user: this.actor(message),
        logger: this.options.logger,
        reply: new MessageReply(message, { reactions: run.reactions, botUserId: () => client.user?.id }),
        platform: { ...this.options.platform(message), memory: this.options.core.conversations.of(scope, key) },
      });
    }
  }

  scope(message: Message): Scope {
    const channel = message.channel as { isThread?: () => boolean; parentId?: string | null };
    const channelId = channel.isThread?.() && channel.parentId ? channel.parentId : message.channelId;
    return { platform: 'discord', workspace: message.guildId ?? 'dm', channel: channelId };
  }

  private actor(message: Message): Actor {
    return { id: message.author.id, name: message.member?.displayName ?? message.author.globalName ?? message.author.username };
  }
}
