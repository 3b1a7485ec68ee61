import sharp from 'sharp';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SlackBot } from '../../../src/bots/slack/slack-bot.js';
import type { Core } from '../../../src/core/index.js';
import { startFakeGemini, type FakeGemini } from '../../fakes/gemini-fake.js';
import { startFakeSlackApi, type FakeSlackApi } from '../../fakes/slack-api-fake.js';
import { memoryLogger, startCore, testConfig } from '../../helpers/core.js';
import { eventEnvelope, SLACK_SECRET, shortcutBody, slackPoster, slashCommandBody } from '../../helpers/slack.js';
import { waitFor } from '../../helpers/wait.js';

let slack: FakeSlackApi;
let gemini: FakeGemini;
let core: Core;
let bot: SlackBot;
const post = slackPoster(() => bot.port);
const FORM = 'application/x-www-form-urlencoded';
const posted = (method: string, predicate: (args: Record<string, string>) => boolean = () => true) => slack.posts.filter((p) => p.method === method && predicate(p.args));
let counter = 0;

beforeAll(async () => {
  slack = await startFakeSlackApi();
  slack.users.set('U1', { name: 'ana', real_name: 'Ana Alves', display_name: 'Ana' });
  slack.users.set('U2', { name: 'bo', real_name: 'Bo Admin', display_name: 'Bo', is_admin: true });
  slack.users.set('U3', { name: 'cy', real_name: 'Cy Listed', display_name: 'Cy' });
  gemini = await startFakeGemini();
  gemini.script = ({ user }) =>
    user.includes('Describe this image') ? 'A red square on a white background.' : user.includes('box_2d') ? JSON.stringify([{ label: 'square', box_2d: [100, 100, 900, 900] }]) : 'It is red.';
  core = await startCore(testConfig({ GEMINI_API_KEY: gemini.apiKey, GEMINI_BASE_URL: gemini.url }));
  await core.start();
  slack.files.set('square.png', await sharp({ create: { width: 64, height: 64, channels: 3, background: '#ff0000' } }).png().toBuffer());
  bot = new SlackBot({ core, logger: memoryLogger(), botToken: slack.token, signingSecret: SLACK_SECRET, appToken: undefined, port: 0, apiUrl: `${slack.url}/api/`, fileHosts: [new URL(slack.url).host], admins: ['U3'] });
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

const image = () => ({ id: 'F9', name: 'square.png', title: 'square.png', mimetype: 'image/png', filetype: 'png', size: slack.files.get('square.png')?.length ?? 0, url_private: `${slack.url}/files/square.png`, url_private_download: `${slack.url}/files/square.png` });
const ts = () => `17000010${String(++counter).padStart(2, '0')}.000100`;

function share(channel: string, channelType: string, text = '', user = 'U1') {
  const at = ts();
  return { at, body: eventEnvelope({ type: 'message', subtype: 'file_share', channel, channel_type: channelType, user, ts: at, text, files: [image()] }) };
}

describe('Slack: images', () => {
  it('an image shared in a DM is described in its thread, without a mention', async () => {
    const { at, body } = share('D1', 'im');
    await post(body, 'application/json');
    const reply = await waitFor(() => posted('chat.postMessage', (a) => a.channel === 'D1')[0]);
    expect(reply.args.text).toBe('A red square on a white background.');
    expect(reply.args.thread_ts).toBe(at);
    expect(slack.downloads.at(-1)?.authorization).toBe(`Bearer ${slack.token}`);
  });

  it('ignores images Docent uploaded itself (its annotated images come back as file_share events)', async () => {
    const mine = share('D1', 'im', '', 'U0BOT');
    await post(mine.body, 'application/json');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(posted('chat.postMessage', (a) => a.thread_ts === mine.at)).toHaveLength(0);
  });

  it('an image shared with a mention is answered once from its file_share event, whether or not app_mention also arrives', async () => {
    const at = ts();
    const text = '<@U0BOT> what colour is it?';
    await post(eventEnvelope({ type: 'message', subtype: 'file_share', channel: 'C1', channel_type: 'channel', user: 'U1', ts: at, text, files: [image()] }), 'application/json');
    await post(eventEnvelope({ type: 'app_mention', channel: 'C1', user: 'U1', ts: at, text, files: [image()] }), 'application/json');
    const reply = await waitFor(() => posted('chat.postMessage', (a) => a.thread_ts === at)[0]);
    expect(reply.args.text).toBe('It is red.');
    const alone = ts();
    await post(eventEnvelope({ type: 'message', subtype: 'file_share', channel: 'C1', channel_type: 'channel', user: 'U1', ts: alone, text: '<@U0BOT>', files: [image()] }), 'application/json');
    expect((await waitFor(() => posted('chat.postMessage', (a) => a.thread_ts === alone)[0])).args.text).toBe('A red square on a white background.');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(posted('chat.postMessage', (a) => a.thread_ts === at)).toHaveLength(1);
  });

  it('“detect” with a mention replies with the list and uploads the annotated image with filesUploadV2', async () => {
    const at = ts();
    await post(eventEnvelope({ type: 'message', subtype: 'file_share', channel: 'C1', channel_type: 'channel', user: 'U1', ts: at, text: '<@U0BOT> detect squares', files: [image()] }), 'application/json');
    const upload = await waitFor(() => slack.uploads.find((u) => u.threadTs === at));
    expect(upload.filename).toBe('square-annotated.png');
    expect(upload.channel).toBe('C1');
    const meta = await sharp(upload.bytes).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['png', 64, 64]);
    expect(posted('chat.postMessage', (a) => a.thread_ts === at)[0]?.args.text).toMatch(/square/);
  });

  it('“ocr” with a mention replies with the text Gemini read, verbatim', async () => {
    const at = ts();
    gemini.script = ({ user }) => (user.includes('Transcribe all the text') ? 'INVOICE 12345\nTotal: 40 EUR' : 'unexpected');
    await post(eventEnvelope({ type: 'message', subtype: 'file_share', channel: 'C1', channel_type: 'channel', user: 'U1', ts: at, text: '<@U0BOT> ocr', files: [image()] }), 'application/json');
    const reply = await waitFor(() => posted('chat.postMessage', (a) => a.thread_ts === at)[0]);
    expect(reply.args.text).toContain('Text in square.png');
    expect(reply.args.text).toContain('INVOICE 12345\nTotal: 40 EUR');
    gemini.script = ({ user }) =>
      user.includes('Describe this image') ? 'A red square on a white background.' : user.includes('box_2d') ? JSON.stringify([{ label: 'square', box_2d: [100, 100, 900, 900] }]) : 'It is red.';
  });

  it('the “Describe image” message shortcut describes the message’s image in its thread', async () => {
    const at = ts();
    await post(shortcutBody(slack, 'describe_image', { type: 'message', user: 'U1', ts: at, text: '', files: [image()] }), FORM);
    const reply = await waitFor(() => posted('chat.postMessage', (a) => a.thread_ts === at)[0]);
    expect(reply.args.text).toBe('A red square on a white background.');
    await post(shortcutBody(slack, 'describe_image', { type: 'message', user: 'U1', ts: ts(), text: 'no picture' }), FORM);
    expect((await waitFor(() => posted('chat.postEphemeral')[0])).args.text).toMatch(/no image/);
  });

  it('the “Describe image” shortcut on a message that says “segment squares” uploads the segmented image', async () => {
    const at = ts();
    await post(shortcutBody(slack, 'describe_image', { type: 'message', user: 'U1', ts: at, text: '<@U0BOT> segment squares', files: [image()] }), FORM);
    const upload = await waitFor(() => slack.uploads.find((u) => u.threadTs === at));
    expect(upload.filename).toBe('square-segmented.png');
    expect(posted('chat.postMessage', (a) => a.thread_ts === at)[0]?.args.text).toBe('1. squares');
  });

  it('/settings alttext needs a workspace admin or DIGEST_ADMINS; then every image shared in the channel is described', async () => {
    await post(slashCommandBody(slack, '/settings', 'alttext on', 'C7', 'U1'), FORM);
    const refusal = await waitFor(() => posted('chat.postEphemeral')[0]);
    expect(refusal.args.text).toMatch(/Only people with workspace admin rights \(or a place in DIGEST_ADMINS\) can change/);
    const silent = share('C7', 'channel');
    await post(silent.body, 'application/json');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(posted('chat.postMessage', (a) => a.thread_ts === silent.at)).toHaveLength(0);

    await post(slashCommandBody(slack, '/settings', 'alttext on', 'C7', 'U2'), FORM);
    await waitFor(() => posted('chat.postMessage', (a) => a.text.includes('Alt text is on'))[0]);
    const described = share('C7', 'channel');
    await post(described.body, 'application/json');
    expect((await waitFor(() => posted('chat.postMessage', (a) => a.thread_ts === described.at)[0])).args.text).toBe('A red square on a white background.');

    await post(slashCommandBody(slack, '/settings', 'alttext off', 'C7', 'U3'), FORM);
    await waitFor(() => posted('chat.postMessage', (a) => a.text.includes('Alt text is off'))[0]);
    expect(await core.settings.get({ platform: 'slack', workspace: 'T1', channel: 'C7' }, 'alttext')).toBe(false);
  });
});
