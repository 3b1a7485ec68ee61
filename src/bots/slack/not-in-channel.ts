import { DocentError } from '../../core/ports/errors.js';

/** What to do when Docent is asked to work in a channel it is not a member of. */
export const NOT_IN_CHANNEL_MESSAGE = 'I’m not a member of this channel, so I can’t read it or post here. Invite me with `/invite @Docent`, then try again.';

/** Slack's answer to a call in a channel the bot is not in: `not_in_channel`, or `channel_not_found` for a private one. */
export function isNotInChannel(error: unknown): boolean {
  const data = (error as { data?: { error?: unknown } } | undefined)?.data;
  return data?.error === 'not_in_channel' || data?.error === 'channel_not_found';
}

export class NotInChannelError extends DocentError {
  constructor(cause?: unknown) {
    super('not_in_channel', NOT_IN_CHANNEL_MESSAGE, { cause });
  }
}

/** Runs a Web API call, turning "not in this channel" into the user-facing NotInChannelError. */
export async function inChannel<T>(call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw isNotInChannel(error) ? new NotInChannelError(error) : error;
  }
}
