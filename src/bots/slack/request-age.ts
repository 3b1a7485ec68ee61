import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

/** Slack's request-verification guidance: a signed timestamp more than five minutes from now, either way, is refused. */
export const MAX_CLOCK_SKEW_SECONDS = 5 * 60;

/**
 * Wraps Bolt's HTTP request listener so that a request whose `x-slack-request-timestamp` lies more
 * than five minutes in the future is refused with 401 before any handler runs. Bolt refuses stale
 * timestamps itself but accepts future ones, which would let a captured request be replayed later.
 */
export function refuseFutureTimestamps(listener: RequestListener, now: () => number = Date.now): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    const header = req.headers['x-slack-request-timestamp'];
    const timestamp = typeof header === 'string' && /^\d+$/.test(header) ? Number(header) : undefined;
    if (timestamp !== undefined && timestamp > Math.floor(now() / 1000) + MAX_CLOCK_SKEW_SECONDS) {
      req.resume();
      res.writeHead(401, { 'content-type': 'text/plain' }).end('request timestamp is in the future');
      return;
    }
    listener(req, res);
  };
}
