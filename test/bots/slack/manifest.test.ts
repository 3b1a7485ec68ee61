import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DESCRIBE_SHORTCUT, SLASH_COMMANDS, SUMMARIZE_SHORTCUT } from '../../../src/bots/slack/slack-bot.js';

interface Manifest {
  features: { slash_commands: { command: string }[]; shortcuts: { callback_id: string; type: string }[] };
  oauth_config: { scopes: { bot: string[] } };
  settings: { event_subscriptions: { bot_events: string[] }; interactivity: { is_enabled: boolean } };
}

const manifest = parse(fs.readFileSync(path.resolve(import.meta.dirname, '../../../slack-app-manifest.yml'), 'utf8')) as Manifest;
const slackDir = path.resolve(import.meta.dirname, '../../../src/bots/slack');
/** Every source file of the Slack adapter: the scopes are needed by what any of them calls. */
const source = fs
  .readdirSync(slackDir)
  .map((f) => fs.readFileSync(path.join(slackDir, f), 'utf8'))
  .join('\n');

describe('the Slack app manifest', () => {
  it('declares exactly the slash commands the code registers', () => {
    const expected = [...SLASH_COMMANDS.map((c) => `/${c.name}`), '/docent'];
    expect(expected).not.toContain('/index');
    expect(manifest.features.slash_commands.map((c) => c.command).sort()).toEqual(expected.sort());
  });

  it('declares the message shortcuts the code listens for, with interactivity on', () => {
    expect(manifest.features.shortcuts).toEqual([
      expect.objectContaining({ callback_id: SUMMARIZE_SHORTCUT, type: 'message' }),
      expect.objectContaining({ callback_id: DESCRIBE_SHORTCUT, type: 'message' }),
    ]);
    expect(manifest.settings.interactivity.is_enabled).toBe(true);
  });

  it('asks for exactly the scopes the Web API calls and events need', () => {
    const needs: Record<string, RegExp> = {
      'app_mentions:read': /app\.event\('app_mention'/,
      'channels:history': /conversations|app\.event\('message'/,
      'groups:history': /conversations|app\.event\('message'/,
      'chat:write': /chat\.(postMessage|update|postEphemeral)/,
      commands: /app\.command\(/,
      'files:read': /slackFileSource/,
      'im:history': /channel_type === 'im'/,
      'mpim:history': /conversations|app\.event\('message'/, // group DMs (message.mpim)
      'reactions:write': /reactions\.(add|remove)/,
      'users:read': /users\.info/,
    };
    needs['files:write'] = /filesUploadV2/;
    needs['channels:read'] = /conversations\.(info|members)/; // public channels
    needs['groups:read'] = /conversations\.(info|members)/; // private channels
    needs['mpim:read'] = /conversations\.(info|members)/; // group DMs
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(Object.keys(needs).sort());
    for (const pattern of Object.values(needs)) expect(source).toMatch(pattern);
    const lifecycle = ['app_uninstalled', 'channel_archive', 'channel_deleted', 'channel_left', 'channel_unarchive', 'file_deleted', 'file_unshared', 'group_archive', 'group_deleted', 'group_left', 'group_unarchive', 'member_joined_channel'];
    expect(manifest.settings.event_subscriptions.bot_events.sort()).toEqual(['app_mention', ...lifecycle, 'message.channels', 'message.groups', 'message.im', 'message.mpim'].sort());
    // Each event subscribed is listened to.
    for (const type of lifecycle) expect(source).toMatch(new RegExp(`(app\\.event|left|back)\\('${type}'`));
  });
});
