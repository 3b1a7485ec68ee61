import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface FakeGatewayOptions {
  readonly botUser: { id: string; username: string };
  readonly applicationId: string;
  readonly guild: {
    id: string;
    name: string;
    channels: { id: string; name: string; type: number; parent_id?: string; permission_overwrites?: { id: string; type: 0 | 1; allow: string; deny: string }[] }[];
    /** What @everyone may do (a permission bit field); nothing by default. */
    everyone?: string;
    /** Other roles, for members that hold them. */
    roles?: { id: string; name: string; permissions: string }[];
  };
}

export interface FakeGateway {
  readonly url: string;
  /** Identify payloads received (intents etc.). */
  readonly identifies: { intents: number; token: string; shard: [number, number] | undefined }[];
  /** Resolves once a client has identified and been sent READY and GUILD_CREATE. */
  ready(): Promise<void>;
  /**
   * Sends a dispatch event (INTERACTION_CREATE, MESSAGE_CREATE, …) as Discord does: to the
   * sessions of the shard that holds its guild ((guild_id >> 22) % shards), shard 0 without one.
   */
  dispatch(type: string, data: unknown): void;
  /** Closes the socket as Discord does before a resume/reconnect (op 7). */
  requestReconnect(): void;
  close(): Promise<void>;
}

/**
 * Discord's gateway, enough for discord.js: HELLO, IDENTIFY → READY (+ GUILD_CREATE for the one
 * guild), heartbeat ACKs, and dispatches sent by the test. JSON text frames, no compression.
 */
export async function startFakeGateway(options: FakeGatewayOptions): Promise<FakeGateway> {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
  await new Promise<void>((resolve) => server.once('listening', () => resolve()));
  const url = `ws://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const sockets = new Map<WebSocket, [number, number]>();
  const identifies: FakeGateway['identifies'] = [];
  let sequence = 0;
  let readyResolve: () => void = () => undefined;
  let readyPromise = new Promise<void>((resolve) => (readyResolve = resolve));

  const send = (socket: WebSocket, payload: object) => socket.send(JSON.stringify(payload));
  const dispatchTo = (socket: WebSocket, t: string, d: unknown) => send(socket, { op: 0, t, s: ++sequence, d });

  server.on('connection', (socket) => {
    sockets.set(socket, [0, 1]);
    socket.on('close', () => sockets.delete(socket));
    send(socket, { op: 10, d: { heartbeat_interval: 41250 } });
    socket.on('message', (raw) => {
      const message = JSON.parse(String(raw)) as { op: number; d: { intents?: number; token?: string; session_id?: string; shard?: [number, number] } };
      if (message.op === 1) send(socket, { op: 11 });
      if (message.op === 6) {
        // RESUME: replay nothing, confirm.
        dispatchTo(socket, 'RESUMED', {});
      }
      if (message.op === 2) {
        identifies.push({ intents: message.d.intents ?? 0, token: message.d.token ?? '', shard: message.d.shard });
        const shard = message.d.shard ?? [0, 1];
        sockets.set(socket, shard);
        const holdsGuild = shardOf(options.guild.id, shard[1]) === shard[0];
        dispatchTo(socket, 'READY', {
          v: 10,
          user: { ...options.botUser, discriminator: '0', avatar: null, bot: true },
          guilds: holdsGuild ? [{ id: options.guild.id, unavailable: true }] : [],
          shard,
          session_id: 'fake-session',
          resume_gateway_url: url,
          application: { id: options.applicationId, flags: 0 },
        });
        if (!holdsGuild) return;
        dispatchTo(socket, 'GUILD_CREATE', { ...guildObject(options.guild), joined_at: '2026-01-01T00:00:00.000Z', large: false, unavailable: false, member_count: 3, members: [], threads: [], presences: [], voice_states: [], channels: guildChannels(options.guild) });
        readyResolve();
      }
    });
  });

  return {
    url,
    identifies,
    ready: () => readyPromise,
    dispatch(type, data) {
      const guild = (data as { guild_id?: string } | null)?.guild_id;
      for (const [socket, [id, count]] of sockets) if ((guild ? shardOf(guild, count) : 0) === id) dispatchTo(socket, type, data);
    },
    requestReconnect() {
      readyPromise = new Promise<void>((resolve) => (readyResolve = resolve));
      for (const socket of sockets.keys()) send(socket, { op: 7, d: null });
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets.keys()) socket.terminate();
        server.close(() => resolve());
      }),
  };
}

/** A guild as REST returns it (GET /guilds/{id}): roles, no channels. */
export function guildObject(guild: FakeGatewayOptions['guild']) {
  return {
    id: guild.id,
    name: guild.name,
    icon: null,
    owner_id: '1',
    roles: [{ id: guild.id, name: '@everyone', permissions: guild.everyone ?? '0' }, ...(guild.roles ?? [])].map((r, i) => ({ ...r, position: i, color: 0, hoist: false, managed: false, mentionable: false, flags: 0 })),
    emojis: [],
    stickers: [],
    features: [],
  };
}

/** The guild's channels as REST returns them (GET /guilds/{id}/channels, GET /channels/{id}). */
export function guildChannels(guild: FakeGatewayOptions['guild']) {
  return guild.channels.map((c, i) => ({ ...c, guild_id: guild.id, position: i, permission_overwrites: c.permission_overwrites ?? [] }));
}

/** Discord's rule for the shard that receives a guild's events. */
const shardOf = (guildId: string, count: number) => Number((BigInt(guildId) >> 22n) % BigInt(count));

let interactions = 0;

/**
 * A slash command as the gateway delivers it (INTERACTION_CREATE): a guild member with the given
 * permission bits runs `/name subcommand option:value` in a text channel. Returns the payload;
 * its token names the interaction's webhook calls.
 */
export function slashCommandInteraction(command: {
  name: string;
  subcommand?: string;
  options?: { name: string; value: string; type?: number }[];
  /** Attachments the options refer to by id (type 11), as Discord resolves them. */
  attachments?: Record<string, { id: string; filename: string; size: number; url: string; proxy_url: string; content_type: string }>;
  guildId: string;
  channel: { id: string; name: string };
  user: { id: string; username: string; discriminator: string; avatar: null; global_name?: string };
  permissions: bigint;
  applicationId?: string;
}) {
  const id = String(1117819131540668417n + BigInt(++interactions));
  const options = (command.options ?? []).map((o) => ({ type: 3, ...o }));
  return {
    id,
    token: `token-${id}`,
    application_id: command.applicationId ?? '1',
    type: 2,
    version: 1,
    guild_id: command.guildId,
    channel_id: command.channel.id,
    channel: { id: command.channel.id, type: 0, name: command.channel.name },
    member: { user: command.user, roles: [], permissions: String(command.permissions), nick: null, joined_at: '2020-01-01T00:00:00.000Z', deaf: false, mute: false, flags: 0 },
    data: {
      id: '5',
      type: 1,
      name: command.name,
      options: command.subcommand ? [{ type: 1, name: command.subcommand, options }] : options,
      ...(command.attachments ? { resolved: { attachments: command.attachments } } : {}),
    },
    app_permissions: '8589934591',
    locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: { '0': command.guildId },
    context: 0,
  };
}
