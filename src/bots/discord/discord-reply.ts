import { MessageFlags, type APIActionRowComponent, type APIComponentInMessageActionRow, type RepliableInteraction } from 'discord.js';
import type { CommandFailure, CommandResult, Reply } from '../../commands/types.js';
import type { Logger } from '../../core/ports.js';
import { splitMessage } from './split-message.js';

/** Discord shares the rate limit of a channel among edits: at most one edit per second. */
const EDIT_INTERVAL_MS = 1000;
const LIMIT = 2000;

/**
 * The Reply port on a Discord interaction: deferred at once (Discord wants an answer within
 * 3 s), progress and streamed text shown by editing the reply at most once a second, the final
 * text split under 2,000 characters into follow-ups, and failures shown only to the user.
 */
export class InteractionReply implements Reply {
  private lastEdit = 0;
  private deferred = false;

  constructor(
    private readonly interaction: RepliableInteraction,
    private readonly ephemeral: boolean,
    private readonly logger: Logger,
    /** Buttons to put under the final message (e.g. 👍/👎 feedback under answers). */
    private readonly components?: (result: CommandResult) => APIActionRowComponent<APIComponentInMessageActionRow>[],
  ) {}

  async defer(): Promise<void> {
    if (this.deferred) return;
    await this.interaction.deferReply(this.ephemeral ? { flags: MessageFlags.Ephemeral } : {});
    this.deferred = true;
  }

  async progress(text: string): Promise<void> {
    await this.throttledEdit(text);
  }

  async stream(tokens: AsyncIterable<string>): Promise<void> {
    let text = '';
    for await (const token of tokens) {
      text += token;
      await this.throttledEdit(text.length > LIMIT ? `${text.slice(0, LIMIT - 2)} …` : `${text} ▍`);
    }
  }

  async send(result: CommandResult): Promise<void> {
    const parts = splitMessage(result.text, LIMIT);
    const components = this.components?.(result) ?? [];
    const last = parts.length - 1;
    const files = (result.files ?? []).map((f) => ({ attachment: f.data, name: f.name }));
    await this.interaction.editReply({ content: parts[0], components: last === 0 ? components : [], files });
    for (const [i, part] of parts.slice(1).entries()) {
      await this.interaction.followUp({
        content: part,
        components: i + 1 === last ? components : [],
        ...(this.ephemeral ? { flags: MessageFlags.Ephemeral } : {}),
      });
    }
  }

  async fail(failure: CommandFailure): Promise<void> {
    const content = `✖ ${failure.message}${failure.usage ? `\nUsage: \`${failure.usage}\`` : ''}`.slice(0, LIMIT);
    if (!this.deferred) {
      await this.interaction.reply({ content, flags: MessageFlags.Ephemeral });
      return;
    }
    if (this.ephemeral) {
      await this.interaction.editReply({ content });
      return;
    }
    // The deferred reply is public; errors are for the user alone.
    await this.interaction.deleteReply().catch((error: unknown) => this.logger.warn({ err: error }, 'could not delete the deferred reply'));
    await this.interaction.followUp({ content, flags: MessageFlags.Ephemeral });
  }

  private async throttledEdit(content: string): Promise<void> {
    const now = Date.now();
    if (now - this.lastEdit < EDIT_INTERVAL_MS) return;
    this.lastEdit = now;
    await this.interaction.editReply({ content: content.slice(0, LIMIT) });
  }
}
