import { startJsonServer, type FakeServer } from './http.js';

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
  attachments: { id: string; filename: string; size: number; url: string; proxy_url: string }[];
  embeds: [];
  pinned: false;
  type: 0;
  flags: 0;
}

export interface FakeDiscordRest extends FakeServer {
  /** Messages per channel id, oldest first. */
  readonly channels: Map<string, FakeDiscordMessage[]>;
}

/**
 * Discord's REST API, as far as reading history goes: `GET /v10/channels/{id}/messages` returns
 * the newest messages first, at most `limit` (1–100), older than `before` when given. Snowflakes
 * are compared as numbers, as Discord does.
 */
export async function startFakeDiscordRest(token: string): Promise<FakeDiscordRest> {
  const channels = new Map<string, FakeDiscordMessage[]>();
  const server = await startJsonServer((request) => {
    if (request.headers.authorization !== `Bot ${token}`) return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
    const match = /^\/v10\/channels\/(\d+)\/messages$/.exec(request.path);
    if (!match || request.method !== 'GET') return { status: 404, body: { message: '404: Not Found', code: 0 } };
    const messages = channels.get(match[1]);
    if (!messages) return { status: 404, body: { message: 'Unknown Channel', code: 10003 } };
    const limit = Number(request.query.get('limit') ?? 50);
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return { status: 400, body: { message: 'Invalid Form Body', code: 50035 } };
    const before = request.query.get('before');
    const older = before ? messages.filter((m) => BigInt(m.id) < BigInt(before)) : messages;
    return { status: 200, body: older.slice(-limit).reverse() };
  });
  return Object.assign(server, { channels });
}

/** Builds a channel's history: snowflake ids increase with time. */
export function discordMessages(channelId: string, guildId: string, count: number, make: (i: number) => Partial<FakeDiscordMessage> = () => ({})): FakeDiscordMessage[] {
  return Array.from({ length: count }, (_, i) => ({
    id: String(732582724170285086n + BigInt(i) * 4194304n),
    channel_id: channelId,
    guild_id: guildId,
    author: { id: `${100 + (i % 3)}`, username: ['ana', 'ben', 'cy'][i % 3], global_name: ['Ana', 'Ben', 'Cy'][i % 3], discriminator: '0', avatar: null },
    content: `message ${i}`,
    timestamp: new Date(Date.UTC(2026, 10, 20, 9, 0, i)).toISOString(),
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
    ...make(i),
  }));
}
