import type { KnownBlock, WebClient } from '@slack/web-api';
import type { CommandFailure, CommandResult, Reply } from '../../commands/types.js';
import { DETAILS_LABEL, detailsActionId } from '../shared/details-button.js';
import { FEEDBACK_LABELS, feedbackActionId, type Rating } from '../shared/feedback.js';
import { ThrottledText } from '../shared/throttled-text.js';
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

/** 👍/👎 under a reply whose result can be rated, and Details under one that says what it sent where. */
function feedbackBlocks(result: CommandResult): KnownBlock[] {
  const answerId = result.feedback?.answerId;
  const button = (actionId: string, text: string) => ({ type: 'button' as const, action_id: actionId, text: { type: 'plain_text' as const, text, emoji: true } });
  const elements = [
    ...(answerId === undefined ? [] : (['up', 'down'] as const satisfies readonly Rating[]).map((rating) => button(feedbackActionId(answerId, rating), `${FEEDBACK_LABELS[rating].emoji} ${FEEDBACK_LABELS[rating].label}`))),
    ...(result.detailsId === undefined ? [] : [button(detailsActionId(result.detailsId), DETAILS_LABEL)]),
  ];
  return elements.length > 0 ? [{ type: 'actions', elements }] : [];
}

/**
 * A reply to something posted (a shared file, a mention): progress is one status message in the
 * thread, updated and then replaced by the result, and failures are said there too; with
 * `reactions`, the message shows ⏳ while Docent works and ✅ or ❌ when it is done.
 */
export interface SlackPosted {
  readonly ts: string;
  readonly reactions: boolean;
}

/** Bolt's `respond`: a message through the slash command's response_url, which works in any channel. */
export type SlackRespond = (message: { response_type: 'ephemeral'; text: string }) => Promise<unknown>;

/**
 * The Reply port in Slack: work starts after ack(); a streamed answer is posted once and then
 * updated at most once a second; the final text is mrkdwn in section blocks (3,000 characters,
 * 50 blocks per message, overflow in follow-up messages); failures are ephemeral.
 */
export class SlackReply implements Reply {
  /** The message being updated (a streamed answer, a posted file's status). */
  private streamTs: string | undefined;
  /** Set once Slack says Docent is not in the channel: nothing more is posted there. */
  private outside = false;
  private readonly live = new ThrottledText(async (text) => {
    if (this.streamTs === undefined) {
      const posted = await this.post(() => this.client.chat.postMessage({ channel: this.target.channel, text, ...this.thread() }));
      this.streamTs = posted?.ts;
    } else {
      const ts = this.streamTs;
      await this.post(() => this.client.chat.update({ channel: this.target.channel, ts, text }));
    }
  }, UPDATE_INTERVAL_MS);

  constructor(
    private readonly client: WebClient,
    private readonly target: SlackTarget,
    private readonly ephemeral: boolean,
    private readonly respond?: SlackRespond,
    private readonly posted?: SlackPosted,
  ) {}

  async defer(): Promise<void> {
    if (this.posted?.reactions) await this.react('hourglass_flowing_sand');
  }

  async progress(text: string): Promise<void> {
    if (this.posted) return this.live.update(toMrkdwn(text).slice(0, 3000));
    await this.post(() => this.client.chat.postEphemeral({ channel: this.target.channel, user: this.target.user, text, ...this.thread() }));
  }

  private async react(name: string): Promise<void> {
    const ts = this.posted?.ts;
    if (ts !== undefined) await this.client.reactions.add({ channel: this.target.channel, timestamp: ts, name }).catch(() => undefined);
  }

  /** ⏳ becomes ✅ or ❌ on the posted message. */
  private async done(ok: boolean): Promise<void> {
    const ts = this.posted?.ts;
    if (ts === undefined || !this.posted?.reactions) return;
    await this.client.reactions.remove({ channel: this.target.channel, timestamp: ts, name: 'hourglass_flowing_sand' }).catch(() => undefined);
    await this.react(ok ? 'white_check_mark' : 'x');
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
    if (this.ephemeral) {
      for await (const token of tokens) void token; // an ephemeral message cannot be updated
      return;
    }
    await this.live.stream(tokens, (text) => `${toMrkdwn(text).slice(0, 2900)} ▍`);
  }

  async send(result: CommandResult): Promise<void> {
    await this.done(result.partial !== true);
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
    const extra = [...context, ...feedbackBlocks(result)];
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
    if (this.posted) {
      // Said where the file or mention is: the channel sees why the file was not indexed.
      await this.done(false);
      const ts = this.streamTs;
      const said = toMrkdwn(failure.message);
      if (ts !== undefined) await this.post(() => this.client.chat.update({ channel: this.target.channel, ts, text: said }));
      else await this.post(() => this.client.chat.postMessage({ channel: this.target.channel, text: said, ...this.thread() }));
      return;
    }
    const text = toMrkdwn(`✖ ${failure.message}${failure.usage ? `\nUsage: \`${failure.usage}\`` : ''}`);
    if (this.streamTs !== undefined) await this.client.chat.delete({ channel: this.target.channel, ts: this.streamTs }).catch(() => undefined);
    await this.post(() => this.client.chat.postEphemeral({ channel: this.target.channel, user: this.target.user, text, ...this.thread() }));
  }

  private thread(): { thread_ts?: string } {
    return this.target.threadTs ? { thread_ts: this.target.threadTs } : {};
  }
}
