import type { App } from '@slack/bolt';
import type { Core } from '../../core/index.js';

/** The origin keys of a Slack posting (see FileSource.origins): its message first, then its file. */
export const messageOrigin = (channel: string, ts: string) => `slack:message:${channel}:${ts}`;
export const fileOrigin = (fileId: string) => `slack:file:${fileId}`;

interface DeletionEvents {
  readonly team: (body: unknown) => string;
  readonly track: (work: () => Promise<unknown>) => void;
}

/**
 * What Slack says when a posting goes away, and the documents it forgets (unless the channel
 * turned forgetdeleted off): a deleted message (`message_deleted`, with the channel and the
 * deleted ts), a file unshared from a channel (`file_unshared`), a deleted file
 * (`file_deleted`, in the channels it names, or every channel of the workspace).
 */
export function forgetDeletedPostings(app: App, core: Core, events: DeletionEvents): void {
  const forget = (team: string, channel: string | undefined, origin: string) => core.knowledge.forgetPosted({ platform: 'slack', workspace: team, ...(channel ? { channel } : {}) }, origin);
  app.event('file_unshared', async ({ event, body }) => {
    const { file_id: fileId, channel_id: channel } = event as { file_id: string; channel_id?: string };
    events.track(() => forget(events.team(body), channel, fileOrigin(fileId)));
  });
  app.event('file_deleted', async ({ event, body }) => {
    const { file_id: fileId, channel_ids: channels } = event as { file_id: string; channel_ids?: string[] };
    const team = events.team(body);
    events.track(async () => {
      if (!channels || channels.length === 0) return forget(team, undefined, fileOrigin(fileId));
      for (const channel of channels) await forget(team, channel, fileOrigin(fileId));
    });
  });
}

/** A `message_deleted` message event: the message's documents are forgotten in its channel. */
export function forgetDeletedMessage(core: Core, team: string, event: { channel: string; deleted_ts?: string; previous_message?: { ts?: string } }): Promise<unknown> {
  const ts = event.deleted_ts ?? event.previous_message?.ts;
  if (!ts) return Promise.resolve();
  return core.knowledge.forgetPosted({ platform: 'slack', workspace: team, channel: event.channel }, messageOrigin(event.channel, ts));
}

interface ChannelEvents extends DeletionEvents {
  /** The bot's own user id (member_joined_channel is about Docent only when it names it). */
  readonly botUserId: () => string | undefined;
}

/**
 * Channels Docent leaves on Slack: deleted (channel_deleted, group_deleted), archived
 * (channel_archive, group_archive), Docent removed (channel_left, group_left), or the app
 * uninstalled (app_uninstalled): the documents are purged after CHANNEL_PURGE_DAYS. Unarchived,
 * or Docent added again (member_joined_channel naming it), they stay.
 */
export function purgeLeftChannels(app: App, core: Core, events: ChannelEvents): void {
  const left = (type: string, reason: string) =>
    app.event(type, async ({ event, body }) => {
      const { channel } = event as { channel: string | { id: string } };
      const id = typeof channel === 'string' ? channel : channel.id;
      events.track(() => core.lifecycle.departed({ platform: 'slack', workspace: events.team(body), channel: id }, reason));
    });
  left('channel_deleted', 'the channel was deleted');
  left('group_deleted', 'the channel was deleted');
  left('channel_archive', 'the channel was archived');
  left('group_archive', 'the channel was archived');
  left('channel_left', 'Docent was removed from the channel');
  left('group_left', 'Docent was removed from the channel');
  const back = (type: string) =>
    app.event(type, async ({ event, body }) => {
      const { channel } = event as { channel: string };
      events.track(() => core.lifecycle.returned({ platform: 'slack', workspace: events.team(body), channel }));
    });
  back('channel_unarchive');
  back('group_unarchive');
  app.event('member_joined_channel', async ({ event, body }) => {
    const { user, channel } = event as { user: string; channel: string };
    if (user !== events.botUserId()) return;
    events.track(() => core.lifecycle.returned({ platform: 'slack', workspace: events.team(body), channel }));
  });
  app.event('app_uninstalled', async ({ body }) => {
    events.track(() => core.lifecycle.departed({ platform: 'slack', workspace: events.team(body) }, 'Docent was uninstalled from the workspace'));
  });
}
