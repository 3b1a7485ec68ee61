import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SlackBot } from '../../../src/bots/slack/slack-bot.js';
import type { Core } from '../../../src/core/index.js';
import { startFakeGemini, type FakeGemini } from '../../fakes/gemini-fake.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../fakes/slack-api-fake.js';
import { memoryLogger, startCore, testConfig } from '../../helpers/core.js';
import { eventEnvelope, SLACK_SECRET, shortcutBody, slackPoster } from '../../helpers/slack.js';
import { makeMp4, makeWebm } from '../../helpers/video-clips.js';
import { waitFor } from '../../helpers/wait.js';

let slack: FakeSlackApi;
let gemini: FakeGemini;
let core: Core;
let bot: SlackBot;
const post = slackPoster(() => bot.port);
const FORM = 'application/x-www-form-urlencoded';
const posted = (method: string, predicate: (args: Record<string, string>) => boolean = () => true) => slack.posts.filter((p) => p.method === method && predicate(p.args));
let counter = 0;
const ts = () => `17000020${String(++counter).padStart(2, '0')}.000100`;

const CLIPS: Record<string, { data: Buffer; mimetype: string; filetype: string }> = {
  'standup.mp4': { data: makeMp4({ seconds: 25, bytes: 40_000 }), mimetype: 'video/mp4', filetype: 'mp4' },
  'Screen Recording.mov': { data: makeMp4({ seconds: 14, quicktime: true, bytes: 400_000 }), mimetype: 'video/quicktime', filetype: 'mov' },
  'demo.webm': { data: makeWebm({ seconds: 9 }), mimetype: 'video/webm', filetype: 'webm' },
};

beforeAll(async () => {
  slack = await startFakeSlackApi();
  slack.users.set('U1', { name: 'ana', real_name: 'Ana Alves', display_name: 'Ana' });
  gemini = await startFakeGemini();
  gemini.script = ({ user }) => (user.includes('question about the video clip') ? 'The build turns green at 0:11.' : 'A screen recording of a terminal running the tests (0:00–0:14).');
  // Clips above 128 KB go through the Files API.
  core = await startCore(testConfig({ GEMINI_API_KEY: gemini.apiKey, GEMINI_BASE_URL: gemini.url, VIDEO_INLINE_MB: '0.125' }));
  await core.start();
  for (const [name, clip] of Object.entries(CLIPS)) slack.files.set(slug(name), clip.data);
  bot = new SlackBot({ core, logger: memoryLogger(), botToken: slack.token, signingSecret: SLACK_SECRET, appToken: undefined, port: 0, apiUrl: `${slack.url}/api/`, fileHosts: [new URL(slack.url).host], admins: [] });
  await bot.start();
});
afterAll(async () => {
  await bot.stop();
  await core.close();
  await slack.close();
  await gemini.close();
});
beforeEach(() => {
  slack.posts.length = 0;
});

const slug = (name: string) => name.replace(/ /g, '-');
const file = (name: string) => {
  const clip = CLIPS[name];
  const address = `${slack.url}/files/${slug(name)}`;
  return { id: `F${name.length}`, name, title: name, mimetype: clip.mimetype, filetype: clip.filetype, size: clip.data.length, url_private: address, url_private_download: address };
};
const share = (channel: string, channelType: string, name: string, text = '') => {
  const at = ts();
  return { at, body: eventEnvelope({ type: 'message', subtype: 'file_share', channel, channel_type: channelType, user: 'U1', ts: at, text, files: [file(name)] }) };
};
type Part = { text?: string; inlineData?: { mimeType: string }; fileData?: { mimeType?: string } };
const lastParts = () => (gemini.chats.at(-1)?.body.contents[0].parts ?? []) as Part[];

describe('Slack: video clips', () => {
  it('a clip shared in a DM is described in its thread, sent inline', async () => {
    const { at, body } = share('D1', 'im', 'standup.mp4');
    await post(body, 'application/json');
    const reply = await waitFor(() => posted('chat.postMessage', (a) => a.channel === 'D1' && a.thread_ts === at)[0]);
    expect(reply.args.text).toContain('A screen recording of a terminal');
    expect(lastParts()[0].inlineData?.mimeType).toBe('video/mp4');
  });

  it('a screen recording shared with a mention and a question is answered once, through the Files API', async () => {
    const { at, body } = share('C1', 'channel', 'Screen Recording.mov', '<@U0BOT> when does the build turn green?');
    await post(body, 'application/json');
    await post(eventEnvelope({ type: 'app_mention', channel: 'C1', user: 'U1', ts: at, text: '<@U0BOT> when does the build turn green?', files: [file('Screen Recording.mov')] }), 'application/json');
    const reply = await waitFor(() => posted('chat.postMessage', (a) => a.thread_ts === at)[0]);
    expect(reply.args.text).toContain('The build turns green at 0:11.');
    const [video, prompt] = lastParts();
    expect(video.fileData?.mimeType).toBe('video/mov');
    expect(prompt.text).toContain('when does the build turn green?');
    expect(gemini.filesApi.files.size).toBe(0);
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(posted('chat.postMessage', (a) => a.thread_ts === at)).toHaveLength(1);
  });

  it('the “Describe image” shortcut describes a message’s clip', async () => {
    const at = ts();
    await post(shortcutBody(slack, 'describe_image', { type: 'message', user: 'U1', ts: at, text: '', files: [file('demo.webm')] }), FORM);
    const reply = await waitFor(() => posted('chat.postMessage', (a) => a.thread_ts === at)[0]);
    expect(reply.args.text).toContain('A screen recording');
    expect(lastParts()[0].inlineData?.mimeType).toBe('video/webm');
  });

  it('in a channel with model providers off, a clip is refused, saying why', async () => {
    await core.settings.set({ platform: 'slack', workspace: 'T1', channel: 'C2' }, 'ai', false, { id: 'U1', name: 'Ana' });
    const before = gemini.chats.length;
    const { at, body } = share('C2', 'channel', 'standup.mp4', '<@U0BOT>');
    await post(body, 'application/json');
    // Refusals in a channel go only to the person who asked.
    const reply = await waitFor(() => posted('chat.postEphemeral', (a) => a.thread_ts === at)[0]);
    expect(reply.args.user).toBe('U1');
    expect(reply.args.text).toMatch(/Model providers are off in this channel \(\/settings ai\), and watching a video clip needs one/);
    expect(gemini.chats.length).toBe(before);
  });
});
