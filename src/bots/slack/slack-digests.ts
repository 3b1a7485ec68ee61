import type { WebClient } from '@slack/web-api';
import type { DigestPlatform } from '../../core/ports/ports.js';
import { toBlockMessages, toMrkdwn } from './format.js';
import { inChannel, NotInChannelError } from './not-in-channel.js';
import { slackConversation, type SlackConversationRef } from './slack-conversations.js';

/**
 * Digests on Slack: channel history through conversations.history, read access from the
 * channel's kind (anyone in the workspace reads a public channel; a private one, its members),
 * posts as mrkdwn blocks, and failures sent to the schedule's owner as a direct message.
 */
export function slackDigestPlatform(client: () => WebClient, identity: () => Omit<SlackConversationRef, 'channelId' | 'threadTs' | 'label'>): DigestPlatform {
  return {
    platform: 'slack',
    conversation(_workspace, channel, label) {
      return slackConversation(client(), { ...identity(), channelId: channel, threadTs: undefined, label });
    },
    async canRead(_workspace, userId, channel) {
      const info = await inChannel(() => client().conversations.info({ channel }));
      const c = info.channel;
      if (!c) return false;
      // A digest Docent could never read or post: say so now, not at the first run.
      if (c.is_member === false && !c.is_im) throw new NotInChannelError();
      if (!c.is_private && !c.is_im && !c.is_mpim) return true;
      for (let cursor: string | undefined; ; ) {
        const page = await client().conversations.members({ channel, limit: 1000, ...(cursor ? { cursor } : {}) });
        if (page.members?.includes(userId)) return true;
        cursor = page.response_metadata?.next_cursor || undefined;
        if (!cursor) return false;
      }
    },
    async channelLabel(_workspace, channel) {
      const info = await client().conversations.info({ channel }).catch(() => undefined);
      return info?.channel?.name ? `#${info.channel.name}` : `#${channel}`;
    },
    async findChannel(_workspace, name) {
      const wanted = name.toLowerCase();
      for (let cursor: string | undefined; ; ) {
        const page = await client().conversations.list({ types: 'public_channel,private_channel', exclude_archived: true, limit: 1000, ...(cursor ? { cursor } : {}) });
        const found = page.channels?.find((c) => c.name?.toLowerCase() === wanted);
        if (found?.id) return found.id;
        cursor = page.response_metadata?.next_cursor || undefined;
        if (!cursor) return undefined;
      }
    },
    async post(_workspace, channel, markdown) {
      let first = '';
      for (const blocks of toBlockMessages(toMrkdwn(markdown))) {
        const text = blocks.map((b) => b.text.text).join('\n').slice(0, 3000);
        const posted = await client().chat.postMessage({ channel, text, blocks, unfurl_links: false });
        first ||= posted.ts ?? '';
      }
      return first;
    },
    async notify(_workspace, userId, markdown) {
      await client().chat.postMessage({ channel: userId, text: toMrkdwn(markdown) });
    },
  };
}
