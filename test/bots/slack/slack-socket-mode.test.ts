import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SlackBot } from '../../../src/bots/slack/slack-bot.js';
import type { Core } from '../../../src/core/index.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../fakes/slack-api-fake.js';
import { startFakeSlackSocket, type FakeSlackSocket } from '../../fakes/slack-socket-fake.js';
import { memoryLogger, startCore, testConfig } from '../../helpers/core.js';
import { waitFor } from '../../helpers/wait.js';

let slack: FakeSlackApi;
let socket: FakeSlackSocket;
let core: Core;
let bot: SlackBot;

beforeAll(async () => {
  slack = await startFakeSlackApi();
  socket = await startFakeSlackSocket();
  slack.socketUrl = socket.url;
  core = await startCore(testConfig());
  await core.start();
  bot = new SlackBot({ core, logger: memoryLogger(), botToken: slack.token, signingSecret: undefined, appToken: 'xapp-1-fake', port: 0, apiUrl: `${slack.url}/api/` });
  await bot.start();
  await socket.connected();
});
afterAll(async () => {
  await bot.stop();
  await core.close();
  await socket.close();
  await slack.close();
});


describe('Slack bot in Socket Mode (no public URL)', () => {
  it('opens the connection with the app token, acknowledges a slash command and answers it', async () => {
    socket.send('slash_commands', { token: 'x', team_id: 'T1', team_domain: 'acme', channel_id: 'C7', channel_name: 'general', user_id: 'U1', user_name: 'ana', command: '/docs', text: '', api_app_id: 'A1', response_url: `${slack.url}/respond/9`, trigger_id: '1.2' }, 'env-1');
    await waitFor(() => socket.acks.includes('env-1'));
    const reply = await waitFor(() => slack.posts.find((p) => p.method === 'chat.postMessage' && p.args.channel === 'C7'));
    expect(reply.args.text).toContain('No documents are indexed in this channel yet');
  });
});
