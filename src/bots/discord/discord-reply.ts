import { MessageFlags, type RepliableInteraction } from 'discord.js';
import type { CommandFailure, CommandResult, Reply } from '../../commands/types.js';
import type { Logger } from '../../core/ports/ports.js';
import { ThrottledText } from '../shared/throttled-text.js';
import { replyButtons } from './feedback-buttons.js';
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
  private deferred = false;
  private readonly live = new ThrottledText(async (content) => {
    await this.interaction.editReply({ content: content.slice(0, LIMIT) });
  }, EDIT_INTERVAL_MS);

  constructor(
    private readonly interaction: RepliableInteraction,
    private readonly ephemeral: boolean,
    private readonly logger: Logger,
  ) {}

  async defer(): Promise<void> {
    if (this.deferred) return;
    await this.interaction.deferReply(this.ephemeral ? { flags: MessageFlags.Ephemeral } : {});
    this.deferred = true;
  }

  async progress(text: string): Promise<void> {
    await this.live.update(text);
  }

  async stream(tokens: AsyncIterable<string>): Promise<void> {
    await this.live.stream(tokens, (text) => (text.length > LIMIT ? `${text.slice(0, LIMIT - 2)} …` : `${text} ▍`));
  }

  async send(result: CommandResult): Promise<void> {
    const parts = splitMessage(result.text, LIMIT);
    const components = replyButtons(result);
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
}
