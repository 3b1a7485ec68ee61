import type { WebClient } from '@slack/web-api';
import { captionRequest } from '../../commands/caption.js';
import { findCommand } from '../../commands/registry.js';
import type { CommandDefinition, RawOptions } from '../../commands/types.js';
import { isDocentError } from '../../core/errors.js';
import type { Core } from '../../core/index.js';
import type { Logger } from '../../core/ports.js';
import type { Actor, Scope } from '../../core/types.js';
import { slackFileSource, type SlackFileLike } from './slack-files.js';

export type SharedFile = SlackFileLike & { mimetype?: string; filetype?: string };

export const isPdfFile = (f: SharedFile) => f.mimetype === 'application/pdf' || f.filetype === 'pdf' || (f.name ?? '').toLowerCase().endsWith('.pdf');
export const isImageFile = (f: SharedFile) => f.mimetype?.startsWith('image/') === true || /\.(png|jpe?g|gif|webp|tiff?|heic|heif|avif)$/i.test(f.name ?? '');

export interface FileShareEvent {
  subtype?: string;
  bot_id?: string | null;
  channel: string;
  channel_type?: string;
  text?: string;
  thread_ts?: string;
  user?: string;
  ts: string;
  files?: SharedFile[];
}

export interface MessageShortcut {
  channel: { id: string };
  user: { id: string };
  message: { ts: string; thread_ts?: string; files?: SharedFile[] };
}

type Where = { team: string; channel: string; user: string; threadTs: string };

export interface SlackSharesOptions {
  readonly core: Core;
  readonly logger: Logger;
  readonly client: () => WebClient;
  readonly botToken: string;
  readonly fileHosts: readonly string[];
  readonly botUserId: () => string | undefined;
  readonly actor: (userId: string) => Promise<Actor>;
  readonly run: (command: CommandDefinition, options: RawOptions, where: Where & { ephemeral: boolean }) => Promise<void>;
}

/**
 * Files shared in Slack: PDFs are indexed for the channel (⏳ then ✅ or ❌ and a threaded
 * reply); images shared with a mention of Docent or in a DM are described (the words with them
 * choose the mode or ask a question), and in a channel with alt text on every image is; the
 * "Describe image" shortcut describes a message's image. Replies go in the message's thread.
 */
export class SlackShares {
  constructor(private readonly options: SlackSharesOptions) {}

  /** `team` is the workspace from the request's envelope (see workspaceOf). */
  async indexPdfs(message: FileShareEvent, team: string): Promise<void> {
    const pdfs = (message.files ?? []).filter(isPdfFile);
    if (pdfs.length === 0) return;
    const client = this.options.client();
    const scope: Scope = { platform: 'slack', workspace: team, channel: message.channel };
    const user = await this.options.actor(message.user ?? '');
    const react = (name: string) => client.reactions.add({ channel: message.channel, timestamp: message.ts, name }).catch(() => undefined);
    await react('hourglass_flowing_sand');
    const lines: string[] = [];
    let failed = false;
    for (const file of pdfs) {
      try {
        const result = await this.options.core.knowledge.ingest(scope, this.source(file), user);
        const d = result.document;
        lines.push(result.status === 'unchanged' ? `${d.name}: already indexed here.` : `Indexed ${d.name}: ${d.pages} pages, ${d.chunks} passages.`);
      } catch (error) {
        failed = true;
        lines.push(isDocentError(error) ? error.userMessage : 'Docent could not index that file (an unexpected error; see the logs).');
        if (!isDocentError(error)) this.options.logger.error({ err: error }, 'indexing a Slack file failed');
      }
    }
    await client.reactions.remove({ channel: message.channel, timestamp: message.ts, name: 'hourglass_flowing_sand' }).catch(() => undefined);
    await react(failed ? 'x' : 'white_check_mark');
    await client.chat.postMessage({ channel: message.channel, thread_ts: message.ts, text: lines.join('\n') });
  }

  async describeImages(message: FileShareEvent, team: string): Promise<void> {
    const images = (message.files ?? []).filter(isImageFile);
    if (images.length === 0) return;
    const botUserId = this.options.botUserId();
    const mentioned = botUserId !== undefined && (message.text ?? '').includes(`<@${botUserId}>`);
    const where = { team, channel: message.channel, user: message.user ?? '', threadTs: message.thread_ts ?? message.ts };
    if (mentioned || message.channel_type === 'im') {
      const words = (message.text ?? '').replace(/<@[A-Z0-9]+(\|[^>]*)?>/g, '').trim();
      return this.describe(images[0], words, where);
    }
    if (!this.options.core.settings.get({ platform: 'slack', workspace: where.team, channel: message.channel }, 'alttext')) return;
    for (const image of images.slice(0, 4)) await this.describe(image, '', where);
  }

  async describeShortcut(shortcut: MessageShortcut, team: string): Promise<void> {
    const where = { team, channel: shortcut.channel.id, user: shortcut.user.id, threadTs: shortcut.message.thread_ts ?? shortcut.message.ts };
    const image = (shortcut.message.files ?? []).find(isImageFile);
    if (!image) {
      await this.options.client().chat.postEphemeral({ channel: where.channel, user: where.user, text: '✖ That message has no image.' });
      return;
    }
    await this.describe(image, '', where);
  }

  /** Describes an image (or does what the words ask), replying in the message's thread. */
  private async describe(file: SharedFile, words: string, where: Where): Promise<void> {
    const command = findCommand('caption');
    if (!command) return;
    await this.options.run(command, { image: [this.source(file)], ...captionRequest(words) }, { ...where, ephemeral: false });
  }

  private source(file: SharedFile) {
    return slackFileSource(file, { token: this.options.botToken, fileHosts: this.options.fileHosts });
  }
}
