import type { App, SlashCommand } from '@slack/bolt';
import type { WebClient } from '@slack/web-api';
import { planPost, type PlannedRun } from '../../commands/plan-post.js';
import { allCommands, findCommand, helpCommand } from '../../commands/registry.js';
import { runCommand } from '../../commands/run-command.js';
import { textOptions } from '../../commands/text-options.js';
import { repliesPrivately, usage, type CommandDefinition, type Origin, type RawOptions } from '../../commands/types.js';
import { isDocentError } from '../../core/ports/errors.js';
import type { Core } from '../../core/index.js';
import type { Logger } from '../../core/ports/ports.js';
import type { Actor, Scope } from '../../core/ports/types.js';
import { slackConversation } from './slack-conversations.js';
import { createSlackApp } from './slack-app.js';
import { deliveryOf, isBotMessage, workspaceOf, type SlackDeliveryBody, type SlackEnvelope } from './slack-envelope.js';
import { slackDigestPlatform } from './slack-digests.js';
import { forgetDeletedMessage, forgetDeletedPostings, purgeLeftChannels } from './slack-deletions.js';
import { kindOfShared, SlackShares, withoutMentions, type FileShareEvent, type MessageShortcut, type SharedFile, type Where as ShareWhere } from './slack-shares.js';
import { SlackReply, type SlackPosted, type SlackRespond } from './slack-reply.js';
import { DETAILS_PREFIX, detailsFromButton } from '../shared/details-button.js';
import { toMrkdwn } from './format.js';
import { FEEDBACK_PREFIX, rateFromButton } from '../shared/feedback.js';
import { InFlight } from '../shared/in-flight.js';
import { conversationKey } from '../shared/turn-memory.js';

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
export const SLASH_COMMANDS = allCommands.filter((c) => c !== helpCommand && !c.options.some((o) => o.type === 'attachment' && o.required));
export const SUMMARIZE_SHORTCUT = 'summarize_thread';
export const DESCRIBE_SHORTCUT = 'describe_image';
/** The message shortcuts in the app manifest, each one of the commands' message actions. */
const SHORTCUTS: readonly { readonly id: string; readonly label: string }[] = [
  { id: SUMMARIZE_SHORTCUT, label: 'Summarize thread' },
  { id: DESCRIBE_SHORTCUT, label: 'Describe image' },
];

/**
 * The Slack adapter on Bolt: slash commands, @mentions (answers and "summarize" in threads),
 * PDFs shared in channels Docent is in, the "Summarize thread" message shortcut, and 👍/👎
 * feedback. Work starts after ack(); duplicate deliveries (Slack's retries, signed requests
 * replayed) run once; an error in one listener is logged and answered and never stops the app.
 */
export class SlackBot {
  private app: App | undefined;
  private readonly inFlight: InFlight;
  private identity: { botId?: string; botUserId?: string; url: string } = { url: 'https://slack.com/' };
  private listeningPort: number | undefined;

  private readonly shares: SlackShares;

  constructor(private readonly options: SlackBotOptions) {
    this.inFlight = new InFlight(options.logger, 'Slack');
    this.shares = new SlackShares({
      core: options.core,
      client: () => this.client,
      botToken: options.botToken,
      fileHosts: options.fileHosts ?? ['files.slack.com'],
      botUserId: () => this.identity.botUserId,
      run: (run, where, ts) => this.runPlanned(run, where, ts),
    });
  }

  /** The HTTP port Bolt listens on (HTTP mode), e.g. when started on port 0. */
  get port(): number | undefined {
    return this.listeningPort;
  }

  async start(): Promise<void> {
    const { app, receiver } = createSlackApp(this.options);
    this.app = app;
    this.listen(app);
    if (receiver) {
      const server = (await app.start(this.options.port)) as unknown as { address(): { port: number } | string | null }; // Bolt types start() loosely; HTTPReceiver returns the http.Server
      const address = server.address();
      this.listeningPort = typeof address === 'object' && address ? address.port : this.options.port;
    } else await app.start();
    const auth = await app.client.auth.test();
    this.identity = { botId: auth.bot_id, botUserId: auth.user_id, url: auth.url ?? 'https://slack.com/' };
    // Running with a valid token means Docent is installed in its workspace: an uninstall recorded before is over.
    if (auth.team_id) await this.options.core.lifecycle.returned({ platform: 'slack', workspace: auth.team_id });
    this.options.core.digests.attach(slackDigestPlatform(() => this.client, () => ({ workspaceUrl: this.identity.url, botId: this.identity.botId, botUserId: this.identity.botUserId })));
    this.options.logger.info({ mode: receiver ? 'http' : 'socket', port: receiver ? this.options.port : undefined }, 'Slack bot ready');
  }

  /** Slash commands, /docent, mentions, file shares, message shortcuts and feedback buttons; each event id and trigger id runs once. */
  private listen(app: App): void {
    app.error(async (error) => this.options.logger.error({ err: error }, 'Slack listener failed'));
    app.use(async (args) => {
      // Slack re-sends an event it thinks was not received (x-slack-retry-num), possibly to another
      // replica or after a restart, and a signed slash command or interaction can be replayed
      // within its five-minute window: the store lets exactly one delivery of each run.
      const body = args.body as SlackDeliveryBody; // Bolt types the body per kind of request; the fields read here are common to all
      const delivery = deliveryOf(body);
      // Plain channel messages (every one, with message.channels) are ignored below, so running one
      // twice is harmless: no write per message. Only file shares and deletions among messages act.
      const ignored = body.event?.type === 'message' && body.event.subtype !== 'file_share' && body.event.subtype !== 'message_deleted';
      if (delivery && !ignored && !(await this.options.core.deliveries.first(delivery.source, delivery.id))) {
        // A repeat is acknowledged (Slack would otherwise show the person an error) and not run again.
        if ('ack' in args && typeof args.ack === 'function') await args.ack();
        return;
      }
      await args.next();
    });

    for (const command of SLASH_COMMANDS) {
      app.command(`/${command.name}`, async ({ command: slash, ack, respond }) => {
        await ack();
        this.inFlight.track(() => this.onSlash(command, slash.text, slash, respond));
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
      this.inFlight.track(() => this.onSlash(command, rest.join(' '), slash, respond));
    });
    app.event('app_mention', async ({ event, body }) => {
      this.inFlight.track(() => this.onMention(event as MentionEvent, workspaceOf(body as SlackEnvelope)));
    });
    app.event('message', async ({ event, body }) => {
      const message = event as FileShareEvent;
      // Files Docent uploads itself (annotated images) come back as file_share events: not for it.
      const ownUpload = isBotMessage(message) || (message.user !== undefined && message.user === this.identity.botUserId);
      if (message.subtype === 'file_share' && !ownUpload) {
        const team = workspaceOf(body as SlackEnvelope); // Bolt types the envelope per event; the fields read here are common to all
        this.inFlight.track(() => this.shares.handle(message, team));
      }
      if (message.subtype === 'message_deleted') {
        const deleted = event as unknown as { channel: string; deleted_ts?: string; previous_message?: { ts?: string } }; // Bolt's message union
        this.inFlight.track(() => forgetDeletedMessage(this.options.core, workspaceOf(body as SlackEnvelope), deleted));
      }
    });
    const events = { team: (body: unknown) => workspaceOf(body as SlackEnvelope), track: (work: () => Promise<unknown>) => this.inFlight.track(work) };
    forgetDeletedPostings(app, this.options.core, events);
    purgeLeftChannels(app, this.options.core, { ...events, botUserId: () => this.identity.botUserId });
    for (const shortcut of SHORTCUTS) {
      app.shortcut(shortcut.id, async ({ shortcut: event, ack, body }) => {
        await ack();
        this.inFlight.track(() => this.onMessageShortcut(shortcut.label, event as unknown as MessageShortcut, workspaceOf(body as SlackEnvelope))); // Bolt types shortcuts as a union; these ids are message shortcuts
      });
    }
    app.action(new RegExp(`^${FEEDBACK_PREFIX}`), async ({ action, ack, body, respond }) => {
      await ack();
      const text = await rateFromButton(this.options.core, (action as { action_id?: string }).action_id ?? '', body.user.id);
      await respond({ response_type: 'ephemeral', replace_original: false, text });
    });
    // What a reply sent where, to the person who asked only.
    app.action(new RegExp(`^${DETAILS_PREFIX}`), async ({ action, ack, body, respond }) => {
      await ack();
      const text = await detailsFromButton(this.options.core, (action as { action_id?: string }).action_id ?? '', body.user.id);
      await respond({ response_type: 'ephemeral', replace_original: false, text: toMrkdwn(text) });
    });
  }

  async stop(): Promise<void> {
    await this.inFlight.drain();
    await this.app?.stop();
  }

  private get client(): WebClient {
    if (!this.app) throw new Error('the Slack bot is not started');
    return this.app.client;
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

  private async run(command: CommandDefinition, options: RawOptions, where: Where, posted?: SlackPosted): Promise<void> {
    const scope: Scope = { platform: 'slack', workspace: where.team, channel: where.channel };
    const { admin, ...user } = await this.actor(where.user);
    const historyKey = conversationKey({ channel: where.channel, thread: where.threadTs, user: where.user });
    await runCommand({
      command,
      options,
      origin: where.origin,
      core: this.options.core,
      scope,
      user,
      logger: this.options.logger,
      reply: new SlackReply(this.client, { channel: where.channel, threadTs: where.threadTs, user: where.user }, where.ephemeral, where.respond, posted),
      platform: {
        // Slack has one rule for both rights: workspace admins and owners, and DIGEST_ADMINS.
        permission: () => ({ granted: admin, requirement: 'workspace admin rights (or a place in DIGEST_ADMINS)' }),
        conversation: () => this.conversation(where.channel, where.threadTs, where.threadTs ? 'this thread' : 'this channel'),
        memory: this.options.core.conversations.of(scope, historyKey),
      },
    });
  }

  /** A command planned for a shared file: replies in the message's thread, ⏳/✅/❌ on it for documents. */
  private runPlanned(run: PlannedRun, where: ShareWhere, ts: string): Promise<void> {
    return this.run(run.command, run.options, { ...where, ephemeral: false, origin: 'posted' }, run.reactions ? { ts, reactions: true } : undefined);
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
    await this.run(command, options, { team: slash.team_id, channel: slash.channel_id, user: slash.user_id, threadTs: undefined, ephemeral: repliesPrivately(command, options), respond, origin: 'typed' });
  }

  private async onMention(event: MentionEvent, team: string): Promise<void> {
    // A mention that shares a document, an image or a clip is handled by its file_share message event: Slack
    // does not always send app_mention for messages with files, and the message event always comes.
    if ((event.files ?? []).some((f) => kindOfShared(f) !== undefined)) return;
    const plan = await planPost({ files: [], text: withoutMentions(event.text), addressed: true, indexesAll: true, altText: false });
    if (plan.hint) {
      await this.client.chat.postMessage({ channel: event.channel, thread_ts: event.thread_ts ?? event.ts, text: plan.hint });
      return;
    }
    for (const run of plan.runs) {
      // What reads the conversation reads the thread it is asked in, or the channel (and is posted there); answers go in a thread.
      const threadTs = run.command.needs?.conversation ? event.thread_ts : (event.thread_ts ?? event.ts);
      await this.run(run.command, run.options, { team, channel: event.channel, user: event.user ?? '', threadTs, ephemeral: false, origin: 'posted' });
    }
  }

  /** A message shortcut runs the command whose message action it is, on the message (its thread, its image). */
  private async onMessageShortcut(label: string, shortcut: MessageShortcut, team: string): Promise<void> {
    const command = allCommands.find((c) => c.messageActions?.some((a) => a.label === label));
    const action = command?.messageActions?.find((a) => a.label === label);
    if (!command || !action) return;
    const threadTs = shortcut.message.thread_ts ?? shortcut.message.ts;
    const options: Record<string, RawOptions[string]> = { ...action.options, ...action.fromText?.(withoutMentions(shortcut.message.text ?? '')) };
    const fileOption = command.options.find((o) => o.type === 'attachment' && o.required);
    if (fileOption) {
      const media = this.shares.mediaOf(shortcut);
      if (!media) {
        await this.client.chat.postEphemeral({ channel: shortcut.channel.id, user: shortcut.user.id, text: '✖ That message has no image or video clip.' });
        return;
      }
      options[fileOption.name] = [media.source];
    }
    await this.run(command, options, { team, channel: shortcut.channel.id, user: shortcut.user.id, threadTs, ephemeral: false, origin: 'typed' });
  }
}

interface Where {
  team: string;
  channel: string;
  user: string;
  threadTs: string | undefined;
  ephemeral: boolean;
  origin: Origin;
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
