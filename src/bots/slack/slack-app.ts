import { App, HTTPReceiver, LogLevel } from '@slack/bolt';
import { refuseFutureTimestamps } from './request-age.js';

export interface SlackAppOptions {
  readonly botToken: string;
  readonly signingSecret: string | undefined;
  readonly appToken: string | undefined;
  readonly apiUrl: string | undefined;
}

/** Bolt's app: Socket Mode with an app token, otherwise HTTP with signature checks and GET /healthz. */
export function createSlackApp(options: SlackAppOptions): { app: App; receiver: HTTPReceiver | undefined } {
  const receiver = options.appToken
    ? undefined
    : new HTTPReceiver({
        signingSecret: options.signingSecret ?? '',
        customRoutes: [{ path: '/healthz', method: ['GET'], handler: (_req, res) => void res.writeHead(200, { 'content-type': 'text/plain' }).end('ok') }],
      });
  if (receiver) receiver.requestListener = refuseFutureTimestamps(receiver.requestListener);
  const app = new App({
    token: options.botToken,
    ...(options.appToken
      ? {
          socketMode: true,
          appToken: options.appToken,
          signingSecret: options.signingSecret,
          // The Socket Mode client opens its connection through its own Web API client.
          ...(options.apiUrl ? { installerOptions: { clientOptions: { slackApiUrl: options.apiUrl } } } : {}),
        }
      : { receiver }),
    logLevel: LogLevel.ERROR,
    clientOptions: { ...(options.apiUrl ? { slackApiUrl: options.apiUrl } : {}), retryConfig: { retries: 3, factor: 2, minTimeout: 500 } },
  });
  return { app, receiver };
}
