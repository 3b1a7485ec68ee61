import { randomUUID } from 'node:crypto';
import type { JsonResponse, RecordedRequest } from './http.js';

/** A file held by the fake Files API, with the bytes that were uploaded for it. */
export interface FakeFile {
  readonly name: string;
  readonly displayName: string | undefined;
  readonly mimeType: string;
  readonly sizeBytes: number;
  readonly uri: string;
  readonly data: Buffer;
  /** How many times its state was read. */
  reads: number;
}

export interface FakeFilesApi {
  readonly files: Map<string, FakeFile>;
  /** Every upload chunk, in order: its command and offset, and its size. */
  readonly chunks: { command: string; offset: number; bytes: number }[];
  readonly deleted: string[];
  /** Reads of a new file's state that answer PROCESSING before it turns ACTIVE (or FAILED). */
  processingReads: number;
  /** Processing ends FAILED, as it does for a file Gemini cannot decode. */
  failProcessing: boolean;
  /** The state a file shows now. */
  stateOf(file: FakeFile): 'PROCESSING' | 'ACTIVE' | 'FAILED';
  /** Answers a Files API request (`/upload/v1beta/files…`, `/v1beta/files/{id}`), or undefined for other paths. */
  handle(request: RecordedRequest, baseUrl: string): JsonResponse | undefined;
}

const error = (code: number, status: string, message: string): JsonResponse => ({ status: code, body: { error: { code, message, status } } });

/**
 * The Gemini Files API as @google/genai drives it: a resumable upload is started with
 * `X-Goog-Upload-Command: start` (the answer's `x-goog-upload-url` header says where the bytes
 * go), the bytes follow in chunks with `upload` / `upload, finalize` at their offsets, and the
 * last answer carries `x-goog-upload-status: final` and the file. The file is PROCESSING for a
 * while, then ACTIVE; generateContent may only use it once ACTIVE. DELETE removes it.
 */
export function createFakeFilesApi(): FakeFilesApi {
  const sessions = new Map<string, { mimeType: string; displayName: string | undefined; declared: number; received: Buffer[] }>();
  const api: FakeFilesApi = {
    files: new Map(),
    chunks: [],
    deleted: [],
    processingReads: 1,
    failProcessing: false,
    stateOf(file) {
      if (file.reads < api.processingReads) return 'PROCESSING';
      return api.failProcessing ? 'FAILED' : 'ACTIVE';
    },
    handle(request, baseUrl) {
      if (request.path === '/upload/v1beta/files' && request.method === 'POST') {
        return request.headers['x-goog-upload-command'] === 'start' ? start(request, baseUrl) : chunk(request, baseUrl);
      }
      const match = /^\/v1beta\/(files\/[^/]+)$/.exec(request.path);
      if (!match) return undefined;
      const file = api.files.get(match[1]);
      if (!file) return error(404, 'NOT_FOUND', `File ${match[1]} does not exist.`);
      if (request.method === 'DELETE') {
        api.files.delete(file.name);
        api.deleted.push(file.name);
        return { status: 200, body: {} };
      }
      file.reads++;
      return { status: 200, body: describe(file) };
    },
  };

  const describe = (file: FakeFile) => {
    const state = api.stateOf(file);
    return {
      name: file.name,
      displayName: file.displayName,
      mimeType: file.mimeType,
      sizeBytes: String(file.sizeBytes),
      uri: file.uri,
      state,
      source: 'UPLOADED',
      ...(state === 'FAILED' ? { error: { code: 400, message: 'Video could not be decoded.' } } : {}),
    };
  };

  function start(request: RecordedRequest, baseUrl: string): JsonResponse {
    const headers = request.headers;
    if (headers['x-goog-upload-protocol'] !== 'resumable') return error(400, 'INVALID_ARGUMENT', 'Only resumable uploads are supported.');
    const declared = Number(headers['x-goog-upload-header-content-length']);
    const mimeType = String(headers['x-goog-upload-header-content-type'] ?? '');
    const meta = (request.body as { file?: { mimeType?: string; displayName?: string } } | undefined)?.file;
    if (!Number.isInteger(declared) || declared <= 0) return error(400, 'INVALID_ARGUMENT', 'X-Goog-Upload-Header-Content-Length is required.');
    if (!mimeType || (meta?.mimeType && meta.mimeType !== mimeType)) return error(400, 'INVALID_ARGUMENT', 'The MIME type is missing or does not match.');
    const id = randomUUID();
    sessions.set(id, { mimeType, displayName: meta?.displayName, declared, received: [] });
    return { status: 200, headers: { 'x-goog-upload-url': `${baseUrl}/upload/v1beta/files?upload_id=${id}&upload_protocol=resumable`, 'x-goog-upload-status': 'active' }, body: {} };
  }

  function chunk(request: RecordedRequest, baseUrl: string): JsonResponse {
    const session = sessions.get(request.query.get('upload_id') ?? '');
    if (!session) return error(404, 'NOT_FOUND', 'No such upload session.');
    const command = String(request.headers['x-goog-upload-command'] ?? '');
    const offset = Number(request.headers['x-goog-upload-offset']);
    const received = session.received.reduce((sum, b) => sum + b.length, 0);
    if (offset !== received) return error(400, 'INVALID_ARGUMENT', `Upload offset ${offset} does not match the ${received} bytes received.`);
    session.received.push(request.rawBody);
    api.chunks.push({ command, offset, bytes: request.rawBody.length });
    if (!command.split(',').map((c) => c.trim()).includes('finalize')) return { status: 200, headers: { 'x-goog-upload-status': 'active' } };
    const data = Buffer.concat(session.received);
    if (data.length !== session.declared) return error(400, 'INVALID_ARGUMENT', `Declared ${session.declared} bytes, received ${data.length}.`);
    const id = randomUUID().slice(0, 12);
    const file: FakeFile = { name: `files/${id}`, displayName: session.displayName, mimeType: session.mimeType, sizeBytes: data.length, uri: `${baseUrl}/v1beta/files/${id}`, data, reads: 0 };
    api.files.set(file.name, file);
    return { status: 200, headers: { 'x-goog-upload-status': 'final' }, body: { file: describe(file) } };
  }
  return api;
}
