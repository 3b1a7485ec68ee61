import { startJsonServer, type FakeServer, type JsonResponse } from './http.js';

export interface FakeSlackMessage {
  type: 'message';
  ts: string;
  user?: string;
  bot_id?: string;
  subtype?: string;
  text: string;
  thread_ts?: string;
  files?: { id: string; name: string }[];
}

export interface FakeSlackUser {
  name: string;
  real_name: string;
  display_name: string;
  is_admin?: boolean;
  is_owner?: boolean;
}

export interface FakeSlackApi extends FakeServer {
  /** Files uploaded through files.getUploadURLExternal + upload + files.completeUploadExternal (filesUploadV2). */
  readonly uploads: { id: string; filename: string; bytes: Buffer; channel?: string; threadTs?: string; comment?: string }[];
  readonly token: string;
  /** Channel history, oldest first. */
  readonly history: Map<string, FakeSlackMessage[]>;
  /** Thread replies by `${channel}:${thread_ts}`, parent first. */
  readonly threads: Map<string, FakeSlackMessage[]>;
  readonly users: Map<string, FakeSlackUser>;
  /** Replaces conversations.replies with a recorded response when set. */
  recordedReplies: unknown;
  /** Messages and updates Docent posted, reactions it set, in order. */
  readonly posts: { method: string; args: Record<string, string> }[];
  /** Files served at /files/<name>, downloadable with the bot token. */
  readonly files: Map<string, Buffer>;
  /** When false, file downloads get Slack's HTML login page (the missing files:read case). */
  filesRead: boolean;
  /** How a download without files:read is refused: the sign-in page with HTTP 200, or a redirect to it. */
  filesRefusal: 'page' | 'redirect';
  readonly downloads: { path: string; authorization: string | undefined }[];
  /** Channels conversations.info describes, with their members (conversations.members). */
  readonly conversations: Map<string, { name: string; is_private: boolean; members: string[] }>;
  /**
   * Public channels Docent is not a member of: chat.* and conversations.history/replies there fail
   * with `not_in_channel`, and conversations.info says `is_member: false`, as Slack does.
   */
  readonly outside: Set<string>;
  /** The WebSocket URL apps.connections.open hands out (Socket Mode). */
  socketUrl: string;
}

/**
 * The Slack Web API methods Docent reads history with, as @slack/web-api calls them
 * (form-encoded POSTs to /api/<method>, bearer token): auth.test, users.info,
 * conversations.history (newest first) and conversations.replies (oldest first), both with
 * cursors and `oldest`.
 */
export async function startFakeSlackApi(token = 'xoxb-fake-token'): Promise<FakeSlackApi> {
  const history = new Map<string, FakeSlackMessage[]>();
  const threads = new Map<string, FakeSlackMessage[]>();
  const users = new Map<string, FakeSlackUser>();
  const uploads: FakeSlackApi['uploads'] = [];
  const conversations: FakeSlackApi['conversations'] = new Map();
  const outside = new Set<string>();
  const pendingUploads = new Map<string, { filename: string; length: number; bytes?: Buffer }>();
  const state = { recordedReplies: undefined as unknown, filesRead: true, filesRefusal: 'page' as 'page' | 'redirect', socketUrl: '' };
  const posts: FakeSlackApi['posts'] = [];
  const files = new Map<string, Buffer>();
  const downloads: FakeSlackApi['downloads'] = [];
  let tsCounter = 1700000000;
  const ok = (body: object) => ({ status: 200, body: { ok: true, ...body } });
  const fail = (error: string) => ({ status: 200, body: { ok: false, error } });

  const server = await startJsonServer((request) => {
    if (request.path.startsWith('/files/')) {
      downloads.push({ path: request.path, authorization: request.headers.authorization });
      if (request.headers.authorization !== `Bearer ${token}` || !state.filesRead) {
        const redirect: JsonResponse = { status: 302, raw: Buffer.alloc(0), headers: { location: `https://acme.slack.com/?redir=${encodeURIComponent(request.path)}` } };
        if (state.filesRefusal === 'redirect') return redirect;
        return { status: 200, raw: Buffer.from('<!DOCTYPE html><html><head><title>Slack</title></head><body>Sign in to Slack</body></html>'), headers: { 'content-type': 'text/html; charset=utf-8' } };
      }
      const file = files.get(request.path.slice('/files/'.length));
      const type = /\.(png|jpe?g|gif|webp)$/i.test(request.path)
        ? `image/${request.path.split('.').pop()?.toLowerCase().replace('jpg', 'jpeg')}`
        : /\.html?$/i.test(request.path)
          ? 'text/html; charset=utf-8'
          : /\.(md|txt|csv)$/i.test(request.path)
            ? 'text/plain; charset=utf-8'
            : 'application/pdf';
      return file ? { status: 200, raw: file, headers: { 'content-type': type } } : { status: 404, body: 'not found' };
    }
    if (request.path.startsWith('/upload/')) {
      // The upload URL files.getUploadURLExternal handed out: a multipart form whose file part is the bytes.
      const pending = pendingUploads.get(request.path.slice('/upload/'.length));
      if (!pending) return { status: 404, body: 'unknown upload' };
      const boundary = /boundary=([^;]+)/.exec(String(request.headers['content-type']))?.[1];
      const body = request.rawBody;
      if (boundary) {
        const start = body.indexOf('\r\n\r\n') + 4;
        const end = body.lastIndexOf(Buffer.from(`\r\n--${boundary}`));
        pending.bytes = body.subarray(start, end);
      } else pending.bytes = body;
      return { status: 200, body: 'OK - 200' };
    }
    if (request.path.startsWith('/respond/')) {
      posts.push({ method: 'respond', args: request.body as Record<string, string> });
      return { status: 200, body: 'ok' };
    }
    const method0 = request.path.replace(/^\/api\//, '');
    if (method0 === 'apps.connections.open') {
      if (!String(request.headers.authorization ?? '').startsWith('Bearer xapp-')) return fail('invalid_auth');
      return state.socketUrl ? ok({ url: state.socketUrl }) : fail('socket_mode_not_enabled');
    }
    if (request.headers.authorization !== `Bearer ${token}`) return fail('invalid_auth');
    const method = request.path.replace(/^\/api\//, '');
    const form = new URLSearchParams(typeof request.body === 'string' ? request.body : '');
    const page = (all: FakeSlackMessage[]) => {
      const limit = Number(form.get('limit') ?? 100);
      const start = Number(form.get('cursor') ? Buffer.from(form.get('cursor') ?? '', 'base64').toString() : 0);
      const oldest = form.get('oldest');
      const filtered = oldest ? all.filter((m) => Number(m.ts) >= Number(oldest)) : all;
      const slice = filtered.slice(start, start + limit);
      const next = start + limit < filtered.length ? Buffer.from(String(start + limit)).toString('base64') : '';
      return { messages: slice, has_more: next !== '', response_metadata: { next_cursor: next } };
    };
    const record = () => posts.push({ method, args: Object.fromEntries(form) });
    const channelCall = /^chat\.|^conversations\.(history|replies)$/.test(method);
    if (channelCall && outside.has(form.get('channel') ?? '')) {
      posts.push({ method: `${method}:not_in_channel`, args: Object.fromEntries(form) });
      return fail('not_in_channel');
    }
    switch (method) {
      case 'chat.postMessage':
      case 'chat.postEphemeral':
        record();
        return ok({ channel: form.get('channel'), ts: `${++tsCounter}.000100`, message_ts: `${tsCounter}.000100` });
      case 'chat.update':
      case 'chat.delete':
        record();
        return ok({ channel: form.get('channel'), ts: form.get('ts') });
      case 'reactions.add':
      case 'reactions.remove':
        record();
        return ok({});
      case 'files.getUploadURLExternal': {
        const id = `F${uploads.length + pendingUploads.size + 1}`;
        pendingUploads.set(id, { filename: form.get('filename') ?? '', length: Number(form.get('length')) });
        return ok({ upload_url: `${server.url}/upload/${id}`, file_id: id });
      }
      case 'files.completeUploadExternal': {
        const listed = JSON.parse(form.get('files') ?? '[]') as { id: string; title?: string }[];
        for (const file of listed) {
          const pending = pendingUploads.get(file.id);
          if (!pending?.bytes || pending.bytes.length !== pending.length) return fail('upload_incomplete');
          pendingUploads.delete(file.id);
          uploads.push({ id: file.id, filename: pending.filename, bytes: pending.bytes, channel: form.get('channel_id') ?? undefined, threadTs: form.get('thread_ts') ?? undefined, comment: form.get('initial_comment') ?? undefined });
        }
        record();
        return ok({ files: listed });
      }
      case 'auth.test':
        return ok({ url: 'https://acme.slack.com/', team: 'Acme', user: 'docent', team_id: 'T1', user_id: 'U0BOT', bot_id: 'B0BOT' });
      case 'users.info': {
        const user = users.get(form.get('user') ?? '');
        if (!user) return fail('user_not_found');
        return ok({ user: { id: form.get('user'), name: user.name, real_name: user.real_name, is_admin: user.is_admin ?? false, is_owner: user.is_owner ?? false, profile: { display_name: user.display_name, real_name: user.real_name } } });
      }
      case 'conversations.info': {
        const c = conversations.get(form.get('channel') ?? '');
        if (!c) return fail('channel_not_found');
        return ok({ channel: { id: form.get('channel'), name: c.name, is_channel: true, is_private: c.is_private, is_im: false, is_mpim: false, is_member: !outside.has(form.get('channel') ?? '') } });
      }
      case 'conversations.list': {
        const channels = [...conversations].map(([id, c]) => ({ id, name: c.name, is_private: c.is_private, is_archived: false }));
        return ok({ channels, response_metadata: { next_cursor: '' } });
      }
      case 'conversations.members': {
        const c = conversations.get(form.get('channel') ?? '');
        if (!c) return fail('channel_not_found');
        return ok({ members: c.members, response_metadata: { next_cursor: '' } });
      }
      case 'conversations.history': {
        const all = history.get(form.get('channel') ?? '');
        if (!all) return fail('channel_not_found');
        return ok(page([...all].reverse()));
      }
      case 'conversations.replies': {
        if (state.recordedReplies) return { status: 200, body: state.recordedReplies };
        const all = threads.get(`${form.get('channel')}:${form.get('ts')}`);
        if (!all) return fail('thread_not_found');
        return ok(page(all));
      }
      default:
        return fail('unknown_method');
    }
  });
  return Object.defineProperties(
    Object.assign(server, { token, history, threads, users, posts, files, downloads, uploads, conversations, outside }),
    Object.getOwnPropertyDescriptors({
      get recordedReplies() {
        return state.recordedReplies;
      },
      set recordedReplies(value: unknown) {
        state.recordedReplies = value;
      },
      get socketUrl() {
        return state.socketUrl;
      },
      set socketUrl(value: string) {
        state.socketUrl = value;
      },
      get filesRead() {
        return state.filesRead;
      },
      set filesRead(value: boolean) {
        state.filesRead = value;
      },
      get filesRefusal() {
        return state.filesRefusal;
      },
      set filesRefusal(value: 'page' | 'redirect') {
        state.filesRefusal = value;
      },
    }),
  ) as FakeSlackApi;
}
