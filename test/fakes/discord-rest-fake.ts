import { guildChannels, guildObject, type FakeGatewayOptions } from './discord-gateway-fake.js';
import { startJsonServer, type FakeServer, type JsonResponse } from './http.js';

/** A Discord message as the REST API returns it (the fields Docent reads, plus the usual ones). */
export interface FakeDiscordMessage {
  id: string;
  channel_id: string;
  guild_id?: string;
  author: { id: string; username: string; global_name?: string | null; discriminator: string; avatar: string | null; bot?: boolean };
  content: string;
  timestamp: string;
  edited_timestamp: null;
  tts: false;
  mention_everyone: false;
  mentions: { id: string; username: string; global_name?: string | null; discriminator: string; avatar: null }[];
  mention_roles: [];
  attachments: { id: string; filename: string; size: number; url: string; proxy_url: string; content_type?: string }[];
  embeds: [];
  pinned: false;
  type: 0;
  flags: 0;
}

/** Everything Docent sent back to Discord, in order. */
export interface DiscordCall {
  readonly kind: 'callback' | 'edit' | 'followup' | 'delete' | 'message' | 'react' | 'unreact' | 'commands';
  readonly path: string;
  readonly body: unknown;
  readonly at: number;
}

export interface FakeDiscordRest extends FakeServer {
  /** Messages per channel id, oldest first. */
  readonly channels: Map<string, FakeDiscordMessage[]>;
  readonly calls: DiscordCall[];
  /** Files served by the fake CDN at /cdn/<name>. */
  readonly files: Map<string, Buffer>;
  /** Paths of CDN downloads made. */
  readonly downloads: string[];
  gatewayUrl: string;
  /** Guilds REST describes (GET /guilds/{id}, its channels, GET /channels/{id}), for a process whose shards do not hold them. */
  readonly guilds: Map<string, FakeGatewayOptions['guild']>;
  /** The shard count GET /gateway/bot recommends (DISCORD_SHARDS=auto follows it); 1 by default. */
  recommendedShards: number;
  /**
   * Set to the bot's user id to behave as Discord does for a bot without the Message Content
   * intent: messages read over REST keep their text, attachments and embeds only when that bot
   * wrote them or they mention it.
   */
  hideContentFrom: string | undefined;
  /** Guild members by user id (GET /guilds/{id}/members/{user}); others are Unknown Member. */
  readonly members: Map<string, { roles: string[] }>;
  /** DM channels opened (POST /users/@me/channels), by recipient. */
  readonly dms: Map<string, string>;
  /** The next `count` requests whose path matches answer 429 with this retry_after (seconds). */
  rateLimitNext(pattern: RegExp, count: number, retryAfter: number): void;
}

let snowflake = 1_300_000_000_000_000_000n;
const nextId = () => String((snowflake += 4_194_304n));

/**
 * Discord's REST API for a bot: gateway discovery, command registration, interaction callbacks
 * and webhook edits/follow-ups, channel messages and reactions, history reads, and a CDN for
 * attachments. Answers like Discord does (204 without a content type, 429 with retry_after).
 */
export async function startFakeDiscordRest(token: string): Promise<FakeDiscordRest> {
  const channels = new Map<string, FakeDiscordMessage[]>();
  const calls: DiscordCall[] = [];
  const files = new Map<string, Buffer>();
  const downloads: string[] = [];
  const limits: { pattern: RegExp; retryAfter: number }[] = [];
  const members = new Map<string, { roles: string[] }>();
  const guilds = new Map<string, FakeGatewayOptions['guild']>();
  const dms = new Map<string, string>();
  // The handler reads the fake's own fields, so tests change its behaviour by assigning them.
  // eslint-disable-next-line prefer-const -- assigned once the server exists
  let state: FakeDiscordRest;
  const record = (kind: DiscordCall['kind'], path: string, body: unknown) => calls.push({ kind, path, body, at: Date.now() });
  const message = (channelId: string, body: unknown): JsonResponse => {
    const { content = '', components = [] } = (body ?? {}) as { content?: string; components?: unknown[] };
    return {
      status: 200,
      body: {
        id: nextId(),
        channel_id: channelId,
        content,
        components,
        author: { id: '999', username: 'docent', discriminator: '0', avatar: null, bot: true },
        attachments: [],
        embeds: [],
        mentions: [],
        mention_roles: [],
        pinned: false,
        mention_everyone: false,
        tts: false,
        timestamp: new Date().toISOString(),
        edited_timestamp: null,
        flags: 0,
        type: 0,
      },
    };
  };

  const server = await startJsonServer((request) => {
    const path = decodeURIComponent(request.path);
    if (path.startsWith('/cdn/')) {
      const file = files.get(path.slice('/cdn/'.length));
      downloads.push(path);
      return file ? { status: 200, raw: file, headers: { 'content-type': 'application/pdf' } } : { status: 404, body: { message: 'Not Found' } };
    }
    const limited = limits.findIndex((l) => l.pattern.test(path));
    if (limited >= 0) {
      const [limit] = limits.splice(limited, 1);
      return {
        status: 429,
        headers: { 'retry-after': String(limit.retryAfter), 'x-ratelimit-scope': 'user' },
        body: { message: 'You are being rate limited.', retry_after: limit.retryAfter, global: false },
      };
    }
    const isInteraction = /^\/v10\/(interactions|webhooks)\//.test(path);
    if (!isInteraction && request.headers.authorization !== `Bot ${token}`) return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
    let m: RegExpExecArray | null;
    if (request.method === 'GET' && path === '/v10/gateway/bot') {
      return { status: 200, body: { url: state.gatewayUrl, shards: state.recommendedShards, session_start_limit: { total: 1000, remaining: 999, reset_after: 0, max_concurrency: 16 } } };
    }
    if (request.method === 'GET' && path === '/v10/applications/@me') {
      return { status: 200, body: { id: '352205866889641984', name: 'Docent', bot_public: false, bot_require_code_grant: false, flags: 0 } };
    }
    if (request.method === 'PUT' && /^\/v10\/applications\/\d+(\/guilds\/\d+)?\/commands$/.test(path)) {
      record('commands', path, request.body);
      const list = (request.body as { name: string }[]).map((c) => ({ ...c, id: nextId(), application_id: '1', version: nextId() }));
      return { status: 200, body: list };
    }
    if (request.method === 'POST' && /^\/v10\/interactions\/(\d+)\/([^/]+)\/callback$/.test(path)) {
      record('callback', path, request.body);
      return { status: 204 };
    }
    if (/^\/v10\/webhooks\/(\d+)\/([^/]+)\/messages\/@original$/.test(path)) {
      if (request.method === 'DELETE') {
        record('delete', path, undefined);
        return { status: 204 };
      }
      record('edit', path, request.body);
      return message('0', request.body);
    }
    if (request.method === 'POST' && /^\/v10\/webhooks\/(\d+)\/([^/]+)$/.test(path)) {
      record('followup', path, request.body);
      return message('0', request.body);
    }
    if (request.method === 'GET' && (m = /^\/v10\/guilds\/(\d+)(\/channels)?$/.exec(path))) {
      const guild = guilds.get(m[1]);
      if (!guild) return { status: 404, body: { message: 'Unknown Guild', code: 10004 } };
      return { status: 200, body: m[2] ? guildChannels(guild) : guildObject(guild) };
    }
    if (request.method === 'GET' && (m = /^\/v10\/channels\/(\d+)$/.exec(path))) {
      const channel = [...guilds.values()].flatMap((g) => guildChannels(g)).find((c) => c.id === m?.[1]);
      return channel ? { status: 200, body: channel } : { status: 404, body: { message: 'Unknown Channel', code: 10003 } };
    }
    if (request.method === 'GET' && (m = /^\/v10\/guilds\/(\d+)\/members\/(\d+)$/.exec(path))) {
      const member = members.get(m[2]);
      if (!member) return { status: 404, body: { message: 'Unknown Member', code: 10007 } };
      return { status: 200, body: { user: { id: m[2], username: `user${m[2]}`, discriminator: '0', avatar: null }, roles: member.roles, joined_at: '2020-01-01T00:00:00.000Z', deaf: false, mute: false, flags: 0 } };
    }
    if (request.method === 'POST' && path === '/v10/users/@me/channels') {
      const recipient = String((request.body as { recipient_id?: string }).recipient_id);
      const id = dms.get(recipient) ?? nextId();
      dms.set(recipient, id);
      return { status: 200, body: { id, type: 1, recipients: [{ id: recipient, username: `user${recipient}`, discriminator: '0', avatar: null }], last_message_id: null } };
    }
    if ((m = /^\/v10\/channels\/(\d+)\/messages\/(\d+)\/reactions\/([^/]+)\/@me$/.exec(path))) {
      record(request.method === 'DELETE' ? 'unreact' : 'react', path, { emoji: m[3] });
      return { status: 204 };
    }
    if (request.method === 'PATCH' && (m = /^\/v10\/channels\/(\d+)\/messages\/(\d+)$/.exec(path))) {
      // Editing one of Docent's own messages (a status reply replaced by the result).
      record('edit', path, request.body);
      return message(m[1], request.body);
    }
    if ((m = /^\/v10\/channels\/(\d+)\/messages$/.exec(path))) {
      if (request.method === 'POST') {
        record('message', path, request.body);
        return message(m[1], request.body);
      }
      const history = channels.get(m[1]);
      if (!history) return { status: 404, body: { message: 'Unknown Channel', code: 10003 } };
      const limit = Number(request.query.get('limit') ?? 50);
      if (!Number.isInteger(limit) || limit < 1 || limit > 100) return { status: 400, body: { message: 'Invalid Form Body', code: 50035 } };
      const before = request.query.get('before');
      const older = before ? history.filter((h) => BigInt(h.id) < BigInt(before)) : history;
      const visible = (h: FakeDiscordMessage) => {
        const bot = state.hideContentFrom;
        if (bot === undefined || h.author.id === bot || (h.mentions ?? []).some((u) => u.id === bot)) return h;
        return { ...h, content: '', attachments: [], embeds: [] };
      };
      return { status: 200, body: older.slice(-limit).reverse().map(visible) };
    }
    return { status: 404, body: { message: `404: Not Found (${request.method} ${path})`, code: 0 } };
  });
  state = Object.assign(server, {
    channels,
    members,
    dms,
    calls,
    files,
    downloads,
    gatewayUrl: '',
    guilds,
    recommendedShards: 1,
    hideContentFrom: undefined as string | undefined,
    rateLimitNext(pattern: RegExp, count: number, retryAfter: number) {
      for (let i = 0; i < count; i++) limits.push({ pattern, retryAfter });
    },
  });
  return state;
}

/** A message as Discord sends it (gateway MESSAGE_CREATE or REST), with the usual empty fields filled. */
export function discordMessage(fields: Partial<FakeDiscordMessage> & Pick<FakeDiscordMessage, 'id' | 'channel_id' | 'author'> & Record<string, unknown>): FakeDiscordMessage {
  return {
    content: '',
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: [],
    mention_roles: [],
    attachments: [],
    embeds: [],
    pinned: false,
    type: 0,
    flags: 0,
    ...fields,
  };
}

/** Builds a channel's history: snowflake ids increase with time. */
export function discordMessages(channelId: string, guildId: string, count: number, make: (i: number) => Partial<FakeDiscordMessage> = () => ({})): FakeDiscordMessage[] {
  return Array.from({ length: count }, (_, i) =>
    discordMessage({
      id: String(732582724170285086n + BigInt(i) * 4194304n),
      channel_id: channelId,
      guild_id: guildId,
      author: { id: `${100 + (i % 3)}`, username: ['ana', 'ben', 'cy'][i % 3], global_name: ['Ana', 'Ben', 'Cy'][i % 3], discriminator: '0', avatar: null },
      content: `message ${i}`,
      timestamp: new Date(Date.UTC(2026, 10, 20, 9, 0, i)).toISOString(),
      ...make(i),
    }),
  );
}
