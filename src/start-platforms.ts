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
  const launch = async <B extends Platform & { start(): Promise<void> }>(bot: B): Promise<B> => {
    await bot.start();
    started.push(bot);
    return bot;
  };
  const bots: CapabilityStatus[] = [];
  // Each bot takes its options from its platform's block of the configuration, as they are there.
  const { token } = config.discord;
  if (token) {
    const discord = await launch(new DiscordBot({ ...config.discord, token, core, logger: logger.child({ bot: 'discord' }) }));
    const intent = config.discord.messageContent
      ? '; indexes every PDF posted (Message Content intent)'
      : ' without the Message Content intent: PDFs only via /index or an @mention; /summarize, digests and alt text cannot read other people’s messages (turn the intent on in the Developer Portal and set DISCORD_MESSAGE_CONTENT=true)';
    bots.push({ name: 'Discord bot', active: true, detail: `${discord.connection()}${intent}` });
  } else {
    bots.push({ name: 'Discord bot', active: false, detail: 'off (set DISCORD_TOKEN)' });
  }
  const { botToken } = config.slack;
  if (botToken) {
    const slack = await launch(new SlackBot({ ...config.slack, botToken, core, logger: logger.child({ bot: 'slack' }), admins: config.digest.slackAdmins }));
    bots.push({ name: 'Slack bot', active: true, detail: config.slack.appToken ? 'connected (Socket Mode)' : `listening on port ${slack.port ?? config.slack.port} (POST /slack/events, GET /healthz)` });
  } else {
    bots.push({ name: 'Slack bot', active: false, detail: 'off (set SLACK_BOT_TOKEN and SLACK_SIGNING_SECRET, or SLACK_APP_TOKEN for Socket Mode)' });
  }
  return bots;
}
