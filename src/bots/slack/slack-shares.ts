import { isDocumentFile } from '../../core/public-surface.js';
import { isImageFile, isVideoFile } from '../../core/ports/types.js';
import { fileOrigin, messageOrigin } from './slack-deletions.js';
import type { WebClient } from '@slack/web-api';
import { planPost, type PlannedRun, type PostedFile } from '../../commands/plan-post.js';
import type { Core } from '../../core/index.js';
import { slackFileSource, type SlackFileLike } from './slack-files.js';

export type SharedFile = SlackFileLike;

/** A file Docent indexes: a PDF, or Markdown, HTML, CSV or plain text by its name. */
export const isDocumentFileShared = (f: SharedFile) => f.filetype === 'pdf' || isDocumentFile(f.name ?? f.title ?? '', f.mimetype);
/** What a shared file is to Docent: a document, an image or a video clip; other files are not Docent's. */
export function kindOfShared(f: SharedFile): PostedFile['kind'] | undefined {
  const name = f.name ?? f.title ?? '';
  return isDocumentFileShared(f) ? 'document' : isImageFile(name, f.mimetype) ? 'image' : isVideoFile(name, f.mimetype) ? 'video' : undefined;
}

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
  message: { ts: string; thread_ts?: string; text?: string; files?: SharedFile[] };
}

export type Where = { team: string; channel: string; user: string; threadTs: string };

export interface SlackSharesOptions {
  readonly core: Core;
  readonly client: () => WebClient;
  readonly botToken: string;
  readonly fileHosts: readonly string[];
  readonly botUserId: () => string | undefined;
  /** Runs a planned command for the message `ts` (reactions go on it), replying in `where`'s thread. */
  readonly run: (run: PlannedRun, where: Where, ts: string) => Promise<void>;
}

/** The words of a message without mentions of anyone. */
export const withoutMentions = (text: string) => text.replace(/<@[A-Z0-9]+(\|[^>]*)?>/g, '').trim();

/**
 * Files shared in Slack, read into a platform-neutral post (planPost decides: PDFs are indexed
 * for the channel, images shared with a mention of Docent or in a DM described or their question
 * answered, every image in a channel with alt text on described). Replies go in the message's thread.
 */
export class SlackShares {
  constructor(private readonly options: SlackSharesOptions) {}

  /** `team` is the workspace from the request's envelope (see workspaceOf). */
  async handle(message: FileShareEvent, team: string): Promise<void> {
    const files: PostedFile[] = (message.files ?? []).flatMap((f): PostedFile[] => {
      const kind = kindOfShared(f);
      return kind ? [{ kind, source: this.source(f, [messageOrigin(message.channel, message.ts), ...(f.id ? [fileOrigin(f.id)] : [])]) }] : [];
    });
    if (files.length === 0) return;
    const botUserId = this.options.botUserId();
    const mentioned = botUserId !== undefined && (message.text ?? '').includes(`<@${botUserId}>`);
    const plan = await planPost({
      files,
      text: withoutMentions(message.text ?? ''),
      addressed: mentioned || message.channel_type === 'im',
      // A file_share event means Docent is in the channel: Slack shows it every file shared there.
      indexesAll: true,
      altText: files.some((f) => f.kind === 'image') && (await this.options.core.settings.get({ platform: 'slack', workspace: team, channel: message.channel }, 'alttext')),
    });
    const where = { team, channel: message.channel, user: message.user ?? '', threadTs: message.thread_ts ?? message.ts };
    for (const run of plan.runs) await this.options.run(run, where, message.ts);
  }

  /** The message's first image or video clip, as a post's file, or undefined. */
  mediaOf(shortcut: MessageShortcut): PostedFile | undefined {
    for (const file of shortcut.message.files ?? []) {
      const kind = kindOfShared(file);
      if (kind === 'image' || kind === 'video') return { kind, source: this.source(file) };
    }
    return undefined;
  }

  private source(file: SharedFile, origins: readonly string[] = []) {
    return slackFileSource(file, { token: this.options.botToken, fileHosts: this.options.fileHosts, origins });
  }
}
