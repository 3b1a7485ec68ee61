import type { Message } from 'discord.js';
import type { CommandFailure, CommandResult, Reply } from '../../commands/types.js';
import { ThrottledText } from '../shared/throttled-text.js';
import { replyButtons } from './feedback-buttons.js';
import { splitMessage } from './split-message.js';

const LIMIT = 2000;
const WORKING = '⏳';

/**
 * The Reply port for something posted in a channel (a PDF, an image, an @mention): replies to that
 * message, never pinging its author. Progress is one status reply, edited at most once a second
 * and replaced by the result. With `reactions`, the message also shows ⏳ while Docent works and
 * ✅ or ❌ when it is done (PDFs: a glance at the channel shows what was indexed).
 */
export class MessageReply implements Reply {
  private status: Message | undefined;
  private readonly live = new ThrottledText(async (content) => {
    const text = content.slice(0, LIMIT);
    if (this.status) await this.status.edit({ content: text });
    else this.status = await this.message.reply({ content: text, allowedMentions: { repliedUser: false } });
  });

  constructor(
    private readonly message: Message,
    private readonly options: { readonly reactions: boolean; readonly botUserId: () => string | undefined },
  ) {}

  /** ⏳ on the message, or "Docent is typing…" while an answer or a description is written. */
  async defer(): Promise<void> {
    if (this.options.reactions) await this.message.react(WORKING).catch(() => undefined);
    else if ('sendTyping' in this.message.channel) await this.message.channel.sendTyping().catch(() => undefined);
  }

  async progress(text: string): Promise<void> {
    await this.live.update(text);
  }

  async stream(tokens: AsyncIterable<string>): Promise<void> {
    for await (const token of tokens) void token; // the answer is posted whole: edits would notify nobody
  }

  async send(result: CommandResult): Promise<void> {
    await this.done(result.partial === true ? '❌' : '✅');
    const parts = splitMessage(result.text, LIMIT);
    const files = (result.files ?? []).map((f) => ({ attachment: f.data, name: f.name }));
    const components = replyButtons(result);
    for (const [i, part] of parts.entries()) {
      const last = i === parts.length - 1;
      const body = { content: part, ...(last ? { files, components } : {}) };
      if (i === 0 && this.status) await this.status.edit(body);
      else await this.message.reply({ ...body, allowedMentions: { repliedUser: false } });
    }
  }

  async fail(failure: CommandFailure): Promise<void> {
    await this.done('❌');
    const content = `✖ ${failure.message}${failure.usage ? `\nUsage: \`${failure.usage}\`` : ''}`.slice(0, LIMIT);
    if (this.status) await this.status.edit({ content });
    else await this.message.reply({ content, allowedMentions: { repliedUser: false } });
  }

  /** ⏳ becomes the outcome's mark, before the reply, so whoever sees the reply sees the mark. */
  private async done(mark: string): Promise<void> {
    if (!this.options.reactions) return;
    await this.message.reactions.cache.get(WORKING)?.users.remove(this.options.botUserId()).catch(() => undefined);
    await this.message.react(mark).catch(() => undefined);
  }
}
