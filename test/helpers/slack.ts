import { createHmac } from 'node:crypto';
import type { FakeSlackApi } from '../fakes/slack-api-fake.js';

export const SLACK_SECRET = 'fake-signing-secret';

/** Slack's request signature (v0 HMAC of timestamp and body with the signing secret). */
export function slackSignature(body: string, timestamp = Math.floor(Date.now() / 1000), secret = SLACK_SECRET): Record<string, string> {
  return {
    'x-slack-request-timestamp': String(timestamp),
    'x-slack-signature': `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`,
  };
}

/** Sends what Slack sends to Bolt's HTTP receiver: signed unless other headers are given. */
export function slackPoster(port: () => number | undefined) {
  return (body: string, contentType: string, headers: Record<string, string> = slackSignature(body)): Promise<Response> =>
    fetch(`http://127.0.0.1:${port()}/slack/events`, { method: 'POST', body, headers: { 'content-type': contentType, ...headers } });
}

let triggers = 0;
/** A trigger id as Slack makes one for each slash command and interaction: never the same twice. */
export const triggerId = () => `${++triggers}.${Date.now()}.${process.pid.toString(16)}`;

export function slashCommandBody(slack: FakeSlackApi, command: string, text: string, channel = 'C1', user = 'U1'): string {
  return new URLSearchParams({ token: 'x', team_id: 'T1', team_domain: 'acme', channel_id: channel, channel_name: 'general', user_id: user, user_name: 'ana', command, text, api_app_id: 'A1', is_enterprise_install: 'false', response_url: `${slack.url}/respond/1`, trigger_id: triggerId() }).toString();
}

let events = 0;
export function eventEnvelope(event: object, eventId = `Ev${++events}-${Date.now()}`): string {
  return JSON.stringify({ token: 'x', team_id: 'T1', api_app_id: 'A1', type: 'event_callback', event_id: eventId, event_time: 1700000000, authorizations: [{ team_id: 'T1', user_id: 'U0BOT', is_bot: true }], event: { ...event, team: 'T1' } });
}

/** A message shortcut as Bolt receives it: a form with one `payload` field. */
export function shortcutBody(slack: FakeSlackApi, callbackId: string, message: object, channel = 'C1', user = 'U1'): string {
  const payload = { type: 'message_action', token: 'x', action_ts: '1700000700.1', team: { id: 'T1', domain: 'acme' }, user: { id: user, name: 'ana' }, channel: { id: channel, name: 'general' }, callback_id: callbackId, trigger_id: triggerId(), message_ts: (message as { ts?: string }).ts, message, response_url: `${slack.url}/respond/2` };
  return new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
}
