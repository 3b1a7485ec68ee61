import type { KnownBlock, WebClient } from '@slack/web-api';
import type { CommandFailure, CommandResult, Reply } from '../../commands/types.js';
import { toBlockMessages, toMrkdwn } from './format.js';
import { isNotInChannel, NOT_IN_CHANNEL_MESSAGE } from './not-in-channel.js';

/** Slack allows about one chat.update per second per message. */
const UPDATE_INTERVAL_MS = 1000;

export interface SlackTarget {
  readonly channel: string;
  /** Post in this thread (mentions, shortcuts on a thread); undefined posts in the channel. */
  readonly threadTs: string | undefined;
  /** The user, for ephemeral messages. */
  readonly user: string;
}

export type SlackButtons = (result: CommandResult) => KnownBlock[];

/** Bolt's `respond`: a message through the slash command's response_url, which works in any channel. */
export type SlackRespond = (message: { response_type: 'ephemeral'; text: string }) => Promise<unknown>;

/**
 * The Reply port in Slack: work starts after ack(); a streamed answer is posted once and then
 * updated at most once a second; the final text is mrkdwn in section blocks (3,000 characters,
 * 50 blocks per message, overflow in follow-up messages); failures are ephemeral.
 */
export class SlackReply implements Reply {
  private streamTs: string | undefined;
  private lastUpdate = 0;
  /** Set once Slack says Docent is not in the channel: nothing more is posted there. */
  private outside = false;

  constructor(
    private readonly client: WebClient,
    private readonly target: SlackTarget,
    private readonly ephemeral: boolean,
    private readonly buttons?: SlackButtons,
    private readonly respond?: SlackRespond,
  ) {}

  async defer(): Promise<void> {}

  async progress(text: string): Promise<void> {
    await this.post(() => this.client.chat.postEphemeral({ channel: this.target.channel, user: this.target.user, text, ...this.thread() }));
  }

  /**
   * A post to the channel. When Slack answers that Docent is not a member, the person is told once,
   * privately through the command's response_url, how to invite it, and later posts are skipped.
   */
  private async post<T>(call: () => Promise<T>): Promise<T | undefined> {
    if (this.outside) return undefined;
    try {
      return await call();
    } catch (error) {
      if (!isNotInChannel(error)) throw error;
      await this.notInChannel();
      return undefined;
    }
  }

  private async notInChannel(): Promise<void> {
    if (this.outside) return;
    this.outside = true;
    await this.respond?.({ response_type: 'ephemeral', text: `✖ ${NOT_IN_CHANNEL_MESSAGE}` });
  }

  async stream(tokens: AsyncIterable<string>): Promise<void> {
    let text = '';
    for await (const token of tokens) {
      text += token;
      if (this.ephemeral) continue;
      const now = Date.now();
      if (now - this.lastUpdate < UPDATE_INTERVAL_MS) continue;
      this.lastUpdate = now;
      const preview = `${toMrkdwn(text).slice(0, 2900)} ▍`;
      if (this.streamTs === undefined) {
        const posted = await this.post(() => this.client.chat.postMessage({ channel: this.target.channel, text: preview, ...this.thread() }));
        this.streamTs = posted?.ts;
      } else {
        const ts = this.streamTs;
        await this.post(() => this.client.chat.update({ channel: this.target.channel, ts, text: preview }));
      }
    }
  }

  async send(result: CommandResult): Promise<void> {
    // Sources and footer (when the command sets them apart) go in a context block under the answer.
    const appendix = result.afterStream && result.text.endsWith(result.afterStream) ? result.afterStream : undefined;
    const body = appendix ? result.text.slice(0, result.text.length - appendix.length).trimEnd() : result.text;
    const messages = toBlockMessages(toMrkdwn(body));
    const context: KnownBlock[] = appendix
      ? [
          {
            type: 'context',
            elements: toMrkdwn(appendix)
              .split('\n')
              .filter((line) => line.trim().length > 0)
              .slice(0, 10)
              .map((line) => ({ type: 'mrkdwn' as const, text: line.slice(0, 3000) })),
          },
        ]
      : [];
    const extra = [...context, ...(this.buttons?.(result) ?? [])];
    for (const [i, blocks] of messages.entries()) {
      const last = i === messages.length - 1;
      const allBlocks: KnownBlock[] = last ? [...blocks, ...extra] : blocks;
      const text = blocks.map((b) => b.text.text).join('\n').slice(0, 3000);
      const streamTs = this.streamTs;
      if (this.ephemeral) {
        await this.post(() => this.client.chat.postEphemeral({ channel: this.target.channel, user: this.target.user, text, blocks: allBlocks, ...this.thread() }));
      } else if (i === 0 && streamTs !== undefined) {
        await this.post(() => this.client.chat.update({ channel: this.target.channel, ts: streamTs, text, blocks: allBlocks }));
      } else {
        await this.post(() => this.client.chat.postMessage({ channel: this.target.channel, text, blocks: allBlocks, ...this.thread() }));
      }
    }
    // Files (an annotated image) follow the text, in the same thread; Slack has no private files.
    for (const file of this.ephemeral || this.outside ? [] : (result.files ?? [])) {
      const upload = { file: file.data, filename: file.name, title: file.name };
      if (this.target.threadTs) await this.client.filesUploadV2({ ...upload, channel_id: this.target.channel, thread_ts: this.target.threadTs });
      else await this.client.filesUploadV2({ ...upload, channel_id: this.target.channel });
    }
  }

  async fail(failure: CommandFailure): Promise<void> {
    if (failure.code === 'not_in_channel') return this.notInChannel();
    const text = toMrkdwn(`✖ ${failure.message}${failure.usage ? `\nUsage: \`${failure.usage}\`` : ''}`);
    if (this.streamTs !== undefined) await this.client.chat.delete({ channel: this.target.channel, ts: this.streamTs }).catch(() => undefined);
    await this.post(() => this.client.chat.postEphemeral({ channel: this.target.channel, user: this.target.user, text, ...this.thread() }));
  }

  private thread(): { thread_ts?: string } {
    return this.target.threadTs ? { thread_ts: this.target.threadTs } : {};
  }
}
