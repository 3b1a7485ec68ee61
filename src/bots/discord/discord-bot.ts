import {
  ApplicationCommandOptionType,
  Client,
  Events,
  GatewayIntentBits,
  MessageFlags,
  Partials,
  type AutocompleteInteraction,
  type ButtonInteraction,
  type ChatInputCommandInteraction,
  type Interaction,
  type Message,
  type MessageContextMenuCommandInteraction,
} from 'discord.js';
import { allCommands, findCommand } from '../../commands/registry.js';
import { runCommand, type PlatformContext } from '../../commands/run-command.js';
import { optionsFor, repliesPrivately, type CommandDefinition, type RawOptions } from '../../commands/types.js';
import type { DiscordShards } from '../../config.js';
import type { Core } from '../../core/index.js';
import type { Logger } from '../../core/ports/ports.js';
import type { Actor, Scope } from '../../core/ports/types.js';
import { attachmentSource } from './discord-files.js';
import { discordConversation } from './discord-conversations.js';
import { interactionOptions } from './discord-options.js';
import { describeShards, shardOptions } from './discord-shards.js';
import { discordPermission, memberOfInteraction, memberOfMessage } from './discord-rights.js';
import { InteractionReply } from './discord-reply.js';
import { discordDigestPlatform } from './discord-digests.js';
import { forgetDeletedMessages, messageOrigin, purgeLeftChannels } from './discord-deletions.js';
import { attachmentKind, DiscordMessages } from './discord-messages.js';
import { DETAILS_PREFIX, detailsFromButton } from '../shared/details-button.js';
import { FEEDBACK_PREFIX, rateFromButton } from '../shared/feedback.js';
import { InFlight } from '../shared/in-flight.js';
import { conversationKey } from '../shared/turn-memory.js';

export interface DiscordBotOptions {
  readonly core: Core;
  readonly logger: Logger;
  readonly token: string;
  readonly apiUrl: string | undefined;
  /** The privileged Message Content intent is enabled: index every PDF posted. */
  readonly messageContent: boolean;
  readonly managerRole: string | undefined;
  readonly cdnHosts: readonly string[];
  /** Gateway shards run by this process; undefined: one shard. */
  readonly shards?: DiscordShards;
}

/** Without the Message Content intent Discord hides ordinary messages' attachments from bots. */
const ALTTEXT_NEEDS_INTENT =
  'Alt text needs Docent to see images posted in channels: its operator must enable the Message Content intent (DISCORD_MESSAGE_CONTENT=true and the switch in the Developer Portal).';

const OUT_OF_DATE = "Docent's commands on this server are out of date (registered by another version). Its operator needs to run `npm run deploy:discord`; until then this command can't be read.";

/**
 * The Discord adapter: slash commands and message context menus from the shared definitions,
 * PDFs posted in channels (with Message Content) or with an @mention, and @mention questions.
 * A thread belongs to its parent channel's knowledge. Every handler is isolated: an error in one
 * is logged and answered, and the bot keeps serving.
 */
export class DiscordBot {
  private client: Client | undefined;
  private readonly inFlight: InFlight;
  /** Commands whose out-of-date registration was already logged. */
  private readonly outOfDate = new Set<string>();
  private readonly messages: DiscordMessages;

  constructor(private readonly options: DiscordBotOptions) {
    this.inFlight = new InFlight(options.logger, 'Discord');
    this.messages = new DiscordMessages({
      core: options.core,
      logger: options.logger,
      client: () => this.requireClient(),
      messageContent: options.messageContent,
      cdnHosts: options.cdnHosts,
      platform: (message) => this.platformForMessage(message),
    });
  }

  async start(): Promise<void> {
    const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages, GatewayIntentBits.GuildMessageReactions];
    if (this.options.messageContent) intents.push(GatewayIntentBits.MessageContent);
    const client = new Client({
      intents,
      // Channel: DMs; Message: deletions of messages the client has not cached.
      partials: [Partials.Channel, Partials.Message],
      ...shardOptions(this.options.shards),
      ...(this.options.apiUrl ? { rest: { api: this.options.apiUrl } } : {}),
    });
    this.client = client;
    client.on(Events.InteractionCreate, (interaction) => this.inFlight.track(() => this.onInteraction(interaction)));
    client.on(Events.MessageCreate, (message) => this.inFlight.track(() => this.messages.handle(message)));
    forgetDeletedMessages(client, this.options.core, (work) => this.inFlight.track(work));
    purgeLeftChannels(client, this.options.core, (work) => this.inFlight.track(work));
    client.on(Events.Error, (error) => this.options.logger.error({ err: error }, 'Discord client error'));
    client.on(Events.ShardReconnecting, () => this.options.logger.warn({}, 'Discord gateway reconnecting'));
    const ready = new Promise<void>((resolve) => client.once(Events.ClientReady, () => resolve()));
    await client.login(this.options.token);
    await ready;
    this.options.core.digests.attach(discordDigestPlatform(() => this.requireClient(), this.options.messageContent));
    this.options.logger.info({ user: client.user?.tag, shards: [...client.ws.shards.keys()], shardCount: client.options.shardCount }, 'Discord bot ready');
  }

  /** "connected", with the shards this process runs when there are several. */
  connection(): string {
    return describeShards(this.client);
  }

  /** Stops taking new work, lets replies in progress finish, then disconnects. */
  async stop(): Promise<void> {
    await this.inFlight.drain();
    await this.client?.destroy();
  }

  private async onInteraction(interaction: Interaction): Promise<void> {
    if (interaction.isAutocomplete()) return this.onAutocomplete(interaction);
    // Several replicas on one shard all receive an interaction; only one may answer it.
    if (!(await this.options.core.deliveries.first('discord:interaction', interaction.id))) return;
    if (interaction.isChatInputCommand()) return this.onSlashCommand(interaction);
    if (interaction.isMessageContextMenuCommand()) return this.onMessageAction(interaction);
    if (interaction.isButton() && interaction.customId.startsWith(FEEDBACK_PREFIX)) return this.onFeedback(interaction);
    if (interaction.isButton() && interaction.customId.startsWith(DETAILS_PREFIX)) return this.onDetails(interaction);
  }

  /** Details under a reply: what it sent where, shown privately to the person who asked. */
  private async onDetails(interaction: ButtonInteraction): Promise<void> {
    await interaction.reply({ content: await detailsFromButton(this.options.core, interaction.customId, interaction.user.id), flags: MessageFlags.Ephemeral });
  }

  /** 👍/👎 under an answer: recorded with the question, one rating per person. */
  private async onFeedback(interaction: ButtonInteraction): Promise<void> {
    await interaction.reply({ content: await rateFromButton(this.options.core, interaction.customId, interaction.user.id), flags: MessageFlags.Ephemeral });
  }

  private scopeOf(interaction: { guildId: string | null; channelId: string | null; channel: unknown }): Scope {
    const channel = interaction.channel as { isThread?: () => boolean; parentId?: string | null } | null;
    const channelId = channel?.isThread?.() && channel.parentId ? channel.parentId : (interaction.channelId ?? 'unknown');
    return { platform: 'discord', workspace: interaction.guildId ?? 'dm', channel: channelId };
  }

  private actorOf(interaction: ChatInputCommandInteraction | MessageContextMenuCommandInteraction): Actor {
    const member = interaction.member as { displayName?: string; nick?: string | null } | null;
    return { id: interaction.user.id, name: member?.displayName ?? member?.nick ?? interaction.user.globalName ?? interaction.user.username };
  }

  /** What the platform supplies to a command run from an interaction. */
  private platformFor(interaction: ChatInputCommandInteraction | MessageContextMenuCommandInteraction, thread?: string): PlatformContext {
    const member = memberOfInteraction(interaction);
    return {
      permission: (right) => discordPermission(member, right, this.options.managerRole),
      conversation: () => this.conversationFor(interaction, thread),
      unavailable: this.options.messageContent ? {} : { alttext: ALTTEXT_NEEDS_INTENT },
    };
  }

  private platformForMessage(message: Message): Omit<PlatformContext, 'memory'> {
    const member = memberOfMessage(message);
    const channel = message.channel as { name?: string };
    return {
      permission: (right) => discordPermission(member, right, this.options.managerRole),
      conversation: () =>
        discordConversation(this.requireClient().rest, {
          channelId: message.channelId,
          guildId: message.guildId ?? undefined,
          label: channel.name ? `#${channel.name}` : 'this conversation',
          botUserId: this.requireClient().user?.id ?? '',
          messageContent: this.options.messageContent,
        }),
      unavailable: this.options.messageContent ? {} : { alttext: ALTTEXT_NEEDS_INTENT },
    };
  }

  private conversationFor(interaction: { channelId: string | null; guildId: string | null; channel: unknown }, channelId?: string) {
    const channel = interaction.channel as { name?: string } | null;
    return discordConversation(this.requireClient().rest, {
      channelId: channelId ?? interaction.channelId ?? '',
      guildId: interaction.guildId ?? undefined,
      label: channel?.name ? `#${channel.name}` : 'this conversation',
      botUserId: this.requireClient().user?.id ?? '',
      messageContent: this.options.messageContent,
    });
  }

  private async onSlashCommand(interaction: ChatInputCommandInteraction): Promise<void> {
    const command = findCommand(interaction.commandName);
    if (!command) {
      this.options.logger.info({ command: interaction.commandName }, `/${interaction.commandName}: unknown command (run npm run deploy:discord if it was removed)`);
      await interaction.reply({ content: `✖ Docent does not know /${interaction.commandName}. Try /help.`, flags: MessageFlags.Ephemeral });
      return;
    }
    const options = this.readOptions(command, interaction);
    if (!options) {
      await interaction.reply({ content: `✖ ${OUT_OF_DATE}`, flags: MessageFlags.Ephemeral });
      return;
    }
    const ephemeral = repliesPrivately(command, options);
    const scope = this.scopeOf(interaction);
    const user = this.actorOf(interaction);
    const channelId = interaction.channelId ?? scope.channel;
    const where = conversationKey(interaction.channel?.isThread() ? { channel: channelId, thread: channelId, user: user.id } : { channel: channelId, user: user.id });
    await runCommand({
      command,
      options,
      core: this.options.core,
      scope,
      user,
      logger: this.options.logger,
      reply: new InteractionReply(interaction, ephemeral, this.options.logger),
      platform: { ...this.platformFor(interaction), memory: this.options.core.conversations.of(scope, where) },
      signal: AbortSignal.timeout(14 * 60_000), // an interaction token lives 15 minutes
    });
  }

  /**
   * The interaction's options as the command declares them, or undefined when Discord's copy of the
   * command is out of date (registered by another version): an option of another type, which
   * discord.js refuses to read, or an option the command does not declare. Logged once per command.
   */
  private readOptions(command: CommandDefinition, interaction: ChatInputCommandInteraction): RawOptions | undefined {
    const declared = new Set(optionsFor(command, command.subcommands ? (interaction.options.getSubcommand(false) ?? undefined) : undefined).map((o) => o.name));
    const given = interaction.options.data.flatMap((o) => (o.options && o.type === ApplicationCommandOptionType.Subcommand ? o.options : [o])).map((o) => o.name);
    const undeclared = given.filter((name) => !declared.has(name));
    try {
      if (undeclared.length > 0) throw new Error(`undeclared option${undeclared.length === 1 ? '' : 's'} ${undeclared.join(', ')}`);
      return interactionOptions(command, interaction, this.options.cdnHosts);
    } catch (error) {
      if (!this.outOfDate.has(command.name)) {
        this.outOfDate.add(command.name);
        this.options.logger.warn({ err: error, command: command.name }, `/${command.name} arrived with options this version does not declare: run npm run deploy:discord`);
      }
      return undefined;
    }
  }

  private async onAutocomplete(interaction: AutocompleteInteraction): Promise<void> {
    const command = findCommand(interaction.commandName);
    const focused = interaction.options.getFocused(true);
    const spec = command?.options.find((o) => o.name === focused.name);
    if (spec?.autocomplete !== 'documents') return interaction.respond([]);
    const typed = String(focused.value).toLowerCase();
    const names = (await this.options.core.knowledge.list(this.scopeOf(interaction)))
      .map((d) => d.name)
      .filter((name) => name.toLowerCase().includes(typed))
      .slice(0, 25);
    await interaction.respond(names.map((name) => ({ name: name.slice(0, 100), value: name.slice(0, 100) })));
  }

  private async onMessageAction(interaction: MessageContextMenuCommandInteraction): Promise<void> {
    const command = allCommands.find((c) => c.messageActions?.some((a) => a.label === interaction.commandName));
    const action = command?.messageActions?.find((a) => a.label === interaction.commandName);
    if (!command || !action) return;
    const target = interaction.targetMessage;
    const options: Record<string, RawOptions[string]> = { ...action.options, ...action.fromText?.(target.content.replace(/<@!?\d+>/g, '').trim()) };
    const fileOption = command.options.find((o) => o.type === 'attachment' && o.required);
    if (fileOption) {
      const media = [...target.attachments.values()].filter((a) => attachmentKind(a) === 'image' || attachmentKind(a) === 'video').slice(0, 1);
      if (media.length === 0) {
        await interaction.reply({ content: '✖ That message has no image or video clip.', flags: MessageFlags.Ephemeral });
        return;
      }
      options[fileOption.name] = media.map((a) => attachmentSource(a, { cdnHosts: this.options.cdnHosts, link: target.url, origins: [messageOrigin(target.id)] }));
    }
    await runCommand({
      command,
      options,
      core: this.options.core,
      scope: this.scopeOf(interaction),
      user: this.actorOf(interaction),
      logger: this.options.logger,
      reply: new InteractionReply(interaction, false, this.options.logger),
      platform: this.platformFor(interaction, target.hasThread && target.thread ? target.thread.id : undefined),
    });
  }

  private requireClient(): Client {
    if (!this.client) throw new Error('the Discord bot is not started');
    return this.client;
  }
}
