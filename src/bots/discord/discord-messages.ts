import type { Attachment, Client, Message } from 'discord.js';
import { captionRequest } from '../../commands/caption.js';
import { findCommand } from '../../commands/registry.js';
import { runCommand } from '../../commands/run-command.js';
import type { RawOptions, Reply } from '../../commands/types.js';
import { isDocentError } from '../../core/errors.js';
import type { Core } from '../../core/index.js';
import type { Logger } from '../../core/ports.js';
import type { Actor, Scope } from '../../core/types.js';
import { conversationKey, type TurnMemory } from '../turn-memory.js';
import { attachmentSource } from './discord-files.js';
import { splitMessage } from './split-message.js';

export interface DiscordMessageOptions {
  readonly core: Core;
  readonly logger: Logger;
  readonly client: () => Client;
  readonly history: TurnMemory;
  /** The privileged Message Content intent is enabled: every PDF and image posted is seen. */
  readonly messageContent: boolean;
  readonly cdnHosts: readonly string[];
}

const isImage = (a: Attachment) => a.contentType?.startsWith('image/') === true || /\.(png|jpe?g|gif|webp|tiff?|heic|heif|avif)$/i.test(a.name);
const isPdf = (a: Attachment) => a.contentType === 'application/pdf' || a.name.toLowerCase().endsWith('.pdf');

/**
 * Ordinary messages: PDFs posted (all of them with Message Content, otherwise with an @mention or
 * in a DM) are indexed; images with an @mention or in a DM are described or their question
 * answered; in channels with alt text on, every image gets a description; @mention questions are
 * answered from the channel's documents.
 */
export class DiscordMessages {
  constructor(private readonly options: DiscordMessageOptions) {}

  async handle(message: Message): Promise<void> {
    if (message.author.bot) return;
    const client = this.options.client();
    const direct = message.guildId === null;
    const mentioned = client.user !== null && message.mentions.users.has(client.user.id);
    const addressed = mentioned || direct;
    const attachments = [...message.attachments.values()];
    const pdfs = attachments.filter(isPdf);
    if (pdfs.length > 0 && (this.options.messageContent || addressed)) return this.index(message, pdfs);
    const question = message.content.replace(/<@!?\d+>/g, '').trim();
    const images = attachments.filter(isImage);
    if (images.length > 0 && addressed) return this.describe(message, images[0], question);
    if (images.length > 0 && this.options.core.settings.get(this.scope(message), 'alttext')) {
      for (const image of images.slice(0, 4)) await this.describe(message, image, '');
      return;
    }
    if (addressed && question.length > 0) return this.answer(message, question);
  }

  scope(message: Message): Scope {
    const channel = message.channel as { isThread?: () => boolean; parentId?: string | null };
    const channelId = channel.isThread?.() && channel.parentId ? channel.parentId : message.channelId;
    return { platform: 'discord', workspace: message.guildId ?? 'dm', channel: channelId };
  }

  private actor(message: Message): Actor {
    return { id: message.author.id, name: message.member?.displayName ?? message.author.globalName ?? message.author.username };
  }

  /** An image: described (alt text), read, searched, or the question asked about it answered. */
  private async describe(message: Message, image: Attachment, question: string): Promise<void> {
    const command = findCommand('caption');
    if (!command) return;
    const options: RawOptions = { image: [attachmentSource(image, { cdnHosts: this.options.cdnHosts, link: message.url })], ...captionRequest(question) };
    await runCommand({ command, options, core: this.options.core, scope: this.scope(message), user: this.actor(message), logger: this.options.logger, reply: this.reply(message) });
  }

  private async answer(message: Message, question: string): Promise<void> {
    const command = findCommand('ask');
    if (!command) return;
    if ('sendTyping' in message.channel) await message.channel.sendTyping().catch(() => undefined);
    const key = conversationKey(message.channel.isThread() ? { channel: message.channelId, thread: message.channelId, user: message.author.id } : { channel: message.channelId, user: message.author.id });
    const outcome = await runCommand({
      command,
      options: { question },
      history: this.options.history.get(key),
      core: this.options.core,
      scope: this.scope(message),
      user: this.actor(message),
      logger: this.options.logger,
      reply: this.reply(message),
    });
    if (outcome.ok) this.options.history.remember(key, outcome.result.data);
  }

  /** Replies to a message: no deferral, no streaming edits, the final text split, files on the last part. */
  private reply(message: Message): Reply {
    return {
      defer: async () => undefined,
      progress: async () => undefined,
      stream: async (tokens) => {
        for await (const token of tokens) void token;
      },
      send: async (result) => {
        const parts = splitMessage(result.text);
        const files = (result.files ?? []).map((f) => ({ attachment: f.data, name: f.name }));
        for (const [i, part] of parts.entries()) {
          await message.reply({ content: part, allowedMentions: { repliedUser: false }, ...(i === parts.length - 1 ? { files } : {}) });
        }
      },
      fail: async (failure) => {
        await message.reply({ content: `✖ ${failure.message}`, allowedMentions: { repliedUser: false } });
      },
    };
  }

  private async index(message: Message, pdfs: Attachment[]): Promise<void> {
    const scope = this.scope(message);
    const user = this.actor(message);
    await message.react('⏳').catch(() => undefined);
    const lines: string[] = [];
    let failed = false;
    for (const pdf of pdfs) {
      try {
        const result = await this.options.core.knowledge.ingest(scope, attachmentSource(pdf, { cdnHosts: this.options.cdnHosts, link: message.url }), user);
        const d = result.document;
        lines.push(result.status === 'unchanged' ? `${pdf.name}: already indexed here.` : `Indexed ${d.name}: ${d.pages} pages, ${d.chunks} passages.`);
      } catch (error) {
        failed = true;
        lines.push(isDocentError(error) ? error.userMessage : `Docent could not index ${pdf.name} (an unexpected error; see the logs).`);
        if (!isDocentError(error)) this.options.logger.error({ err: error }, 'indexing a Discord attachment failed');
      }
    }
    await message.reactions.cache.get('⏳')?.users.remove(this.options.client().user?.id).catch(() => undefined);
    await message.react(failed ? '❌' : '✅').catch(() => undefined);
    for (const part of splitMessage(lines.join('\n'))) await message.reply({ content: part, allowedMentions: { repliedUser: false } });
  }
}
