import { DiscordBot } from './bots/discord/discord-bot.js';
import { SlackBot } from './bots/slack/slack-bot.js';
import type { Config } from './config.js';
import type { CapabilityStatus, Core } from './core/index.js';
import type { Logger } from './core/ports/ports.js';

export interface Platform {
  stop(): Promise<void>;
}

/**
 * Connects each platform that has a token. Every platform that started is pushed to `started`
 * at once, so a failure of the next one can still stop it. Returns a banner line per platform.
 */
export async function startPlatforms(config: Config, core: Core, logger: Logger, started: Platform[]): Promise<CapabilityStatus[]> {
  const bots: CapabilityStatus[] = [];
  if (config.discord.token) {
    const discord = new DiscordBot({
      core,
      logger: logger.child({ bot: 'discord' }),
      token: config.discord.token,
      apiUrl: config.discord.apiUrl,
      messageContent: config.discord.messageContent,
      managerRole: config.discord.managerRole,
      cdnHosts: config.discord.cdnHosts,
      shards: config.discord.shards,
    });
    await discord.start();
    started.push(discord);
    const intent = config.discord.messageContent
      ? '; indexes every PDF posted (Message Content intent)'
      : ' without the Message Content intent: PDFs only via /index or an @mention; /summarize, digests and alt text cannot read other people’s messages (turn the intent on in the Developer Portal and set DISCORD_MESSAGE_CONTENT=true)';
    bots.push({ name: 'Discord bot', active: true, detail: `${discord.connection()}${intent}` });
  } else {
    bots.push({ name: 'Discord bot', active: false, detail: 'off (set DISCORD_TOKEN)' });
  }
  if (config.slack.botToken) {
    const slack = new SlackBot({
      core,
      logger: logger.child({ bot: 'slack' }),
      botToken: config.slack.botToken,
      signingSecret: config.slack.signingSecret,
      appToken: config.slack.appToken,
      port: config.slack.port,
      apiUrl: config.slack.apiUrl,
      fileHosts: config.slack.fileHosts,
      admins: config.digest.slackAdmins,
    });
    await slack.start();
    started.push(slack);
    bots.push({ name: 'Slack bot', active: true, detail: config.slack.appToken ? 'connected (Socket Mode)' : `listening on port ${slack.port ?? config.slack.port} (POST /slack/events, GET /healthz)` });
  } else {
    bots.push({ name: 'Slack bot', active: false, detail: 'off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET, or SLACK_APP_TOKEN for Socket Mode)' });
  }
  return bots;
}
