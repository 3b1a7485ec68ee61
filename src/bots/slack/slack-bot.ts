import { App, HTTPReceiver, LogLevel, type SlashCommand } from '@slack/bolt';
import type { KnownBlock, WebClient } from '@slack/web-api';
import { allCommands, findCommand } from '../../commands/registry.js';
import { runCommand } from '../../commands/run-command.js';
import { textOptions } from '../../commands/text-options.js';
import { repliesPrivately, usage, type CommandDefinition, type CommandResult, type RawOptions } from '../../commands/types.js';
import { isDocentError } from '../../core/errors.js';
import type { Core } from '../../core/index.js';
import type { Logger } from '../../core/ports.js';
import type { Actor, Scope } from '../../core/types.js';
import { slackConversation } from './slack-conversations.js';
import { refuseFutureTimestamps } from './request-age.js';
import { isBotMessage, workspaceOf, type SlackEnvelope } from './slack-envelope.js';
import { slackDigestPlatform } from './slack-digests.js';
import { isImageFile, SlackShares, type FileShareEvent, type MessageShortcut, type SharedFile } from './slack-shares.js';
import { SlackReply, type SlackButtons, type SlackRespond } from './slack-reply.js';
import { answerIdForFeedback, conversationKey, TurnMemory } from '../turn-memory.js';

export interface SlackBotOptions {
  readonly core: Core;
  readonly logger: Logger;
  readonly botToken: string;
  readonly signingSecret: string | undefined;
  /** Set for Socket Mode; otherwise Bolt's HTTP receiver listens on `port`. */
  readonly appToken: string | undefined;
  readonly port: number;
  readonly apiUrl: string | undefined;
  /** Hosts files may be downloaded from (files.slack.com, or a test fake). */
  readonly fileHosts?: readonly string[];
  /** User ids who may manage settings and digests besides workspace admins (DIGEST_ADMINS). */
  readonly admins?: readonly string[];
}

/** Commands Slack users type: each shared definition that needs no file (files are shared, not typed); help is /docent. */
export const SLASH_COMMANDS = allCommands.filter((c) => c.name !== 'help' && !c.options.some((o) => o.type === 'attachment' && o.required));
export const SUMMARIZE_SHORTCUT = 'summarize_thread';
export const DESCRIBE_SHORTCUT = 'describe_image';

/**
 * The Slack adapter on Bolt: slash commands, @mentions (answers and "summarize" in threads),
 * PDFs shared in channels Docent is in, the "Summarize thread" message shortcut, and 👍/👎
 * feedback. Work starts after ack(); duplicate deliveries (Slack retries) run once; an error in
 * one listener is logged and answered and never stops the app.
 */
export class SlackBot {
  private app: App | undefined;
  private readonly seenEvents = new Set<string>();
  private readonly inFlight = new Set<Promise<unknown>>();
  private readonly history = new TurnMemory();
  private identity: { botId?: string; botUserId?: string; url: string } = { url: 'https://slack.com/' };
  private stopping = false;
  private listeningPort: number | undefined;

  private readonly shares: SlackShares;

  constructor(private readonly options: SlackBotOptions) {
    this.shares = new SlackShares({
      core: options.core,
      logger: options.logger,
      client: () => this.client,
      botToken: options.botToken,
      fileHosts: options.fileHosts ?? ['files.slack.com'],
      botUserId: () => this.identity.botUserId,
      actor: (userId) => this.actor(userId),
      run: (command, options, where) => this.run(command, options, where),
    });
  }

  /** The HTTP port Bolt listens on (HTTP mode), e.g. when started on port 0. */
  get port(): number | undefined {
    return this.listeningPort;
  }

  async start(): Promise<void> {
    const receiver = this.options.appToken
      ? undefined
      : new HTTPReceiver({
          signingSecret: this.options.signingSecret ?? '',
          customRoutes: [{ path: '/healthz', method: ['GET'], handler: (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok') }],
        });
    if (receiver) receiver.requestListener = refuseFutureTimestamps(receiver.requestListener);
    const app = new App({
      token: this.options.botToken,
      ...(this.options.appToken
        ? {
            socketMode: true,
            appToken: this.options.appToken,
            signingSecret: this.options.signingSecret,
            // The Socket Mode client opens its connection through its own Web API client.
            ...(this.options.apiUrl ? { installerOptions: { clientOptions: { slackApiUrl: this.options.apiUrl } } } : {}),
          }
        : { receiver }),
      logLevel: LogLevel.ERROR,
      clientOptions: { ...(this.options.apiUrl ? { slackApiUrl: this.options.apiUrl } : {}), retryConfig: { retries: 3, factor: 2, minTimeout: 500 } },
    });
    this.app = app;
    app.error(async (error) => this.options.logger.error({ err: error }, 'Slack listener failed'));
    app.use(async ({ body, next }) => {
      // Slack re-sends an event it thinks was not received (x-slack-retry-num): run it once.
      const eventId = (body as { event_id?: string }).event_id;
      if (eventId) {
        if (this.seenEvents.has(eventId)) return;
        this.seenEvents.add(eventId);
        if (this.seenEvents.size > 10_000) this.seenEvents.delete(this.seenEvents.values().next().value ?? '');
      }
      await next();
    });

    for (const command of SLASH_COMMANDS) {
      app.command(`/${command.name}`, async ({ command: slash, ack, respond }) => {
        await ack();
        this.track(this.onSlash(command, slash.text, slash, respond));
      });
    }
    app.command('/docent', async ({ command: slash, ack, respond }) => {
      await ack();
      const [typed, ...rest] = slash.text.trim().split(/\s+/).filter((w) => w.length > 0);
      const name = (typed ?? 'help').replace(/^\//, '');
      const command = findCommand(name);
      if (!command) {
        this.options.logger.info({ command: name }, `/docent ${name}: unknown command`);
        await respond({ response_type: 'ephemeral', text: `✖ Docent has no command “${name}”. \`/docent help\` lists them.` });
        return;
      }
      this.track(this.onSlash(command, rest.join(' '), slash, respond));
    });
    app.event('app_mention', async ({ event, body }) => {
      this.track(this.onMention(event as MentionEvent, workspaceOf(body as SlackEnvelope)));
    });
    app.event('message', async ({ event, body }) => {
      const message = event as FileShareEvent;
      // Files Docent uploads itself (annotated images) come back as file_share events: not for it.
      const ownUpload = isBotMessage(message) || (message.user !== undefined && message.user === this.identity.botUserId);
      if (message.subtype === 'file_share' && !ownUpload) {
        const team = workspaceOf(body as SlackEnvelope); // Bolt types the envelope per event; the fields read here are common to all
        this.track(this.shares.indexPdfs(message, team));
        this.track(this.shares.describeImages(message, team));
      }
    });
    app.shortcut(SUMMARIZE_SHORTCUT, async ({ shortcut, ack, body }) => {
      await ack();
      this.track(this.onSummarizeShortcut(shortcut as unknown as MessageShortcut, workspaceOf(body as SlackEnvelope))); // Bolt types shortcuts as a union; this id is the message shortcut
    });
    app.shortcut(DESCRIBE_SHORTCUT, async ({ shortcut, ack, body }) => {
      await ack();
      this.track(this.shares.describeShortcut(shortcut as unknown as MessageShortcut, workspaceOf(body as SlackEnvelope))); // as above
    });
    app.action(/^feedback:/, async ({ action, ack, body, respond }) => {
      await ack();
      const id = (action as { action_id?: string }).action_id ?? '';
      const [, answerId, rating] = id.split(':');
      const ok = (rating === 'up' || rating === 'down') && this.options.core.feedback.rate(answerId ?? '', body.user.id, rating);
      await respond({ response_type: 'ephemeral', replace_original: false, text: ok ? `Thanks, noted ${rating === 'up' ? '👍' : '👎'}.` : 'That answer is no longer on record.' });
    });

    if (receiver) {
      const server = (await app.start(this.options.port)) as unknown as { address(): { port: number } | string | null }; // Bolt types start() loosely; HTTPReceiver returns the http.Server
      const address = server.address();
      this.listeningPort = typeof address === 'object' && address ? address.port : this.options.port;
    } else await app.start();
    const auth = await app.client.auth.test();
    this.identity = { botId: auth.bot_id, botUserId: auth.user_id, url: auth.url ?? 'https://slack.com/' };
    this.options.core.digests.attach(slackDigestPlatform(() => this.client, () => ({ workspaceUrl: this.identity.url, botId: this.identity.botId, botUserId: this.identity.botUserId })));
    this.options.logger.info({ mode: receiver ? 'http' : 'socket', port: receiver ? this.options.port : undefined }, 'Slack bot ready');
  }

  async stop(): Promise<void> {
    this.stopping = true;
    await Promise.allSettled([...this.inFlight]);
    await this.app?.stop();
  }

  private get client(): WebClient {
    if (!this.app) throw new Error('the Slack bot is not started');
    return this.app.client;
  }

  private track(work: Promise<unknown>): void {
    if (this.stopping) return;
    const guarded = work.catch((error: unknown) => this.options.logger.error({ err: error }, 'Slack handler failed'));
    this.inFlight.add(guarded);
    void guarded.finally(() => this.inFlight.delete(guarded));
  }

  private async actor(userId: string): Promise<Actor & { admin: boolean }> {
    const listed = this.options.admins?.includes(userId) ?? false;
    try {
      const info = await this.client.users.info({ user: userId });
      const name = info.user?.profile?.display_name || info.user?.real_name || info.user?.name || userId;
      return { id: userId, name, admin: listed || info.user?.is_admin === true || info.user?.is_owner === true };
    } catch {
      return { id: userId, name: userId, admin: listed };
    }
  }

  private conversation(channel: string, threadTs: string | undefined, label: string) {
    return slackConversation(this.client, {
      channelId: channel,
      threadTs,
      label,
      workspaceUrl: this.identity.url,
      botId: this.identity.botId,
      botUserId: this.identity.botUserId,
    });
  }

  private feedbackButtons(): SlackButtons {
    return (result: CommandResult): KnownBlock[] => {
      const id = answerIdForFeedback(result.data);
      if (id === undefined) return [];
      const button = (rating: 'up' | 'down', text: string) => ({ type: 'button' as const, action_id: `feedback:${id}:${rating}`, text: { type: 'plain_text' as const, text, emoji: true } });
      return [{ type: 'actions', elements: [button('up', '👍 Helpful'), button('down', '👎 Not helpful')] }];
    };
  }

  private async run(command: CommandDefinition, options: RawOptions, where: Where): Promise<void> {
    const scope: Scope = { platform: 'slack', workspace: where.team, channel: where.channel };
    const { admin, ...user } = await this.actor(where.user);
    const historyKey = conversationKey({ channel: where.channel, thread: where.threadTs, user: where.user });
    const outcome = await runCommand({
      command,
      options,
      core: this.options.core,
      scope,
      user,
      logger: this.options.logger,
      history: this.history.get(historyKey),
      reply: new SlackReply(this.client, { channel: where.channel, threadTs: where.threadTs, user: where.user }, where.ephemeral, command.name === 'ask' ? this.feedbackButtons() : undefined, where.respond),
      conversation: command.name === 'summarize' ? this.conversation(where.channel, where.threadTs, where.threadTs ? 'this thread' : 'this channel') : undefined,
      permissions: { manage: admin, requirement: 'workspace admin rights (or a place in DIGEST_ADMINS)' },
    });
    if (outcome.ok && command.name === 'ask') this.history.remember(historyKey, outcome.result.data);
  }

  private async onSlash(command: CommandDefinition, text: string, slash: SlashCommand, respond: SlackRespond): Promise<void> {
    let options: RawOptions;
    try {
      options = await textOptions(command, text);
    } catch (error) {
      if (!isDocentError(error)) throw error;
      await respond({ response_type: 'ephemeral', text: `✖ ${error.userMessage}\nUsage: \`${usage(command)}\`` });
      return;
    }
    await this.run(command, options, { team: slash.team_id, channel: slash.channel_id, user: slash.user_id, threadTs: undefined, ephemeral: repliesPrivately(command, options), respond });
  }

  private async onMention(event: MentionEvent, team: string): Promise<void> {
    const text = event.text.replace(/<@[A-Z0-9]+(\|[^>]*)?>/g, '').trim();
    const threadTs = event.thread_ts ?? event.ts;
    if (/^summari[sz]e\b/i.test(text)) {
      const command = findCommand('summarize');
      const options = command ? await textOptions(command, text.replace(/^summari[sz]e\s*/i, '')).catch(() => ({})) : {};
      // In a thread: that thread. In the channel: the channel's recent messages.
      if (command) await this.run(command, options, { team, channel: event.channel, user: event.user ?? '', threadTs: event.thread_ts, ephemeral: false });
      return;
    }
    // A mention that shares an image is handled by its file_share message event: Slack does not
    // always send app_mention for messages with files, and the message event always comes.
    if ((event.files ?? []).some(isImageFile)) return;
    const ask = findCommand('ask');
    if (!ask) return;
    if (text.length === 0) {
      await this.client.chat.postMessage({ channel: event.channel, thread_ts: threadTs, text: 'Ask me a question about this channel’s PDFs, e.g. `@Docent what was the 2022 budget?`, or say `@Docent summarize` in a thread.' });
      return;
    }
    await this.run(ask, { question: text }, { team, channel: event.channel, user: event.user ?? '', threadTs, ephemeral: false });
  }

  private async onSummarizeShortcut(shortcut: MessageShortcut, team: string): Promise<void> {
    const command = findCommand('summarize');
    if (!command) return;
    const threadTs = shortcut.message.thread_ts ?? shortcut.message.ts;
    await this.run(command, {}, { team, channel: shortcut.channel.id, user: shortcut.user.id, threadTs, ephemeral: false });
  }
}

interface Where {
  team: string;
  channel: string;
  user: string;
  threadTs: string | undefined;
  ephemeral: boolean;
  /** The slash command's response_url, when there is one. */
  respond?: SlackRespond;
}

interface MentionEvent {
  text: string;
  files?: SharedFile[];
  user?: string;
  ts: string;
  thread_ts?: string;
  channel: string;
}
