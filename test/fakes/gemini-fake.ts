import { tokenize } from '../../src/core/lib/tokenizer.js';
import { groundedScript, pieces, type ChatScript } from './chat-script.js';
import sharp from 'sharp';
import { createFakeFilesApi, type FakeFilesApi } from './gemini-files.js';
import { answerSegmentation, segmentedThings, type SceneObject, type SegmentRequest } from './gemini-segments.js';
import { startJsonServer, type FakeServer, type JsonResponse } from './http.js';

export interface EmbedRequestBody {
  requests: { content: { parts: { text: string }[] }; taskType?: string; outputDimensionality?: number; model: string }[];
}

export interface FakeGemini extends FakeServer {
  /** Texts embedded, per batch request, in arrival order. */
  readonly batches: { model: string; apiVersion: string; taskTypes: string[]; texts: string[] }[];
  /** The next `count` embedding requests fail with this response (e.g. 429 with retry-after). */
  failNext(count: number, response: JsonResponse): void;
  /** Requests must carry this key; others get the API's 400 "API key not valid". */
  readonly apiKey: string;
  /** Generative models served (GET /{v}/models lists them); others answer 404 NOT_FOUND. */
  chatModels: string[];
  script: ChatScript;
  latencyMs: number;
  /** generateContent / streamGenerateContent requests, in arrival order. */
  readonly chats: { model: string; stream: boolean; body: GenerateBody }[];
  /** Most generate requests being answered at the same time. */
  maxConcurrent: number;
  /** The Files API: uploads, processing state, deletions. */
  readonly filesApi: FakeFilesApi;
  /**
   * What the fake sees in every image, for segmentation prompts (Google's "Give the segmentation
   * masks for …"): the objects whose labels were asked for come back with real PNG masks. Undefined:
   * each thing asked for is found once.
   */
  scene: SceneObject[] | undefined;
  /** Answers segmentation prompts (instead of `script`); by default from `scene`, in the documented format. */
  segment: (request: SegmentRequest) => string | Promise<string>;
}

/** The API's limit on a request's size (inline data counts, base64-encoded). */
const MAX_REQUEST_BYTES = 20 * 1024 * 1024;

interface GenerateBody {
  contents: { role?: string; parts: { text?: string; inlineData?: { mimeType: string; data: string }; fileData?: { fileUri: string; mimeType?: string } }[] }[];
  systemInstruction?: { parts: { text?: string }[] };
  generationConfig?: { temperature?: number; topP?: number; maxOutputTokens?: number; responseMimeType?: string; responseJsonSchema?: unknown; thinkingConfig?: { thinkingBudget?: number } };
}

/**
 * A behavioural Gemini API fake: `POST /(v1|v1beta)/models/{model}:batchEmbedContents`
 * answers deterministic embeddings in which texts sharing words point the same way (a hashed
 * bag of words), so retrieval quality can be tested. Unnormalised on purpose, as the real API
 * is for reduced dimensions. Enforces the 100-texts-per-batch limit.
 */
export async function startFakeGemini(options: { apiKey?: string } = {}): Promise<FakeGemini> {
  const apiKey = options.apiKey ?? 'fake-gemini-key';
  const batches: FakeGemini['batches'] = [];
  const failures: JsonResponse[] = [];
  let inFlight = 0;
  // The handler reads the fake's own fields, so tests change its behaviour by assigning them.
  // eslint-disable-next-line prefer-const -- assigned once the server exists
  let state: FakeGemini;
  const filesApi = createFakeFilesApi();
  const server = await startJsonServer(async (request) => {
    if (request.path.includes('/files') && request.headers['x-goog-api-key'] !== apiKey) {
      return { status: 400, body: { error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT' } } };
    }
    const files = filesApi.handle(request, state.url);
    if (files) return files;
    const list = /^\/(v1|v1beta)\/models$/.exec(request.path);
    if (list && request.method === 'GET') {
      const models = [...state.chatModels.map((name) => ({ name: `models/${name}`, supportedGenerationMethods: ['generateContent'] })), { name: 'models/gemini-embedding-001', supportedGenerationMethods: ['embedContent'] }];
      return { status: 200, body: { models } };
    }
    const match = /^\/(v1|v1beta)\/models\/([^/:]+):(\w+)$/.exec(request.path);
    if (!match) return { status: 404, body: { error: { code: 404, message: `no route ${request.path}`, status: 'NOT_FOUND' } } };
    const [, apiVersion, model, method] = match;
    if (request.headers['x-goog-api-key'] !== apiKey) {
      return { status: 400, body: { error: { code: 400, message: 'API key not valid. Please pass a valid API key.', status: 'INVALID_ARGUMENT' } } };
    }
    if (method === 'generateContent' || method === 'streamGenerateContent') {
      if (!state.chatModels.includes(model)) {
        return { status: 404, body: { error: { code: 404, message: `models/${model} is not found for API version ${apiVersion}, or is not supported for generateContent.`, status: 'NOT_FOUND' } } };
      }
      const failure = failures.shift();
      if (failure) return failure;
      const body = request.body as GenerateBody;
      const unusable = mediaProblem(body, request.rawBody.length, filesApi);
      if (unusable) return unusable;
      state.chats.push({ model, stream: method === 'streamGenerateContent', body });
      inFlight++;
      state.maxConcurrent = Math.max(state.maxConcurrent, inFlight);
      void request.finished.then(() => inFlight--);
      const system = (body.systemInstruction?.parts ?? []).map((p) => p.text ?? '').join('\n');
      const user = body.contents.filter((c) => c.role !== 'model').flatMap((c) => c.parts.map((p) => p.text ?? '')).join('\n');
      const things = segmentedThings(user);
      const answer = things === undefined ? state.script({ system, user, model }) : await state.segment({ things, image: await imageSize(body) });
      const usageMetadata = { promptTokenCount: Math.ceil((system.length + user.length) / 4), candidatesTokenCount: pieces(answer).length, totalTokenCount: 0 };
      const candidate = (text: string, last: boolean) => ({
        candidates: [{ content: { role: 'model', parts: [{ text }] }, ...(last ? { finishReason: 'STOP' } : {}), index: 0 }],
        ...(last ? { usageMetadata } : {}),
        modelVersion: model,
        responseId: 'fake-response',
      });
      if (method === 'generateContent') return { status: 200, delayMs: state.latencyMs, body: candidate(answer, true) };
      const parts = pieces(answer);
      return { status: 200, delayMs: state.latencyMs, events: parts.map((piece, i) => JSON.stringify(candidate(piece, i === parts.length - 1))) };
    }
    if (method !== 'batchEmbedContents') {
      return { status: 404, body: { error: { code: 404, message: `method ${method} not in this fake`, status: 'NOT_FOUND' } } };
    }
    if (!model.startsWith('gemini-embedding')) {
      return { status: 404, body: { error: { code: 404, message: `models/${model} is not found for API version ${apiVersion}`, status: 'NOT_FOUND' } } };
    }
    const failure = failures.shift();
    if (failure) return failure;
    const body = request.body as EmbedRequestBody;
    if (!Array.isArray(body?.requests) || body.requests.length === 0) {
      return { status: 400, body: { error: { code: 400, message: 'requests is required', status: 'INVALID_ARGUMENT' } } };
    }
    if (body.requests.length > 100) {
      return { status: 400, body: { error: { code: 400, message: 'at most 100 requests can be in one batch', status: 'INVALID_ARGUMENT' } } };
    }
    const texts = body.requests.map((r) => r.content.parts.map((p) => p.text).join(''));
    batches.push({ model, apiVersion, taskTypes: body.requests.map((r) => r.taskType ?? ''), texts });
    return {
      status: 200,
      body: { embeddings: body.requests.map((r, i) => ({ values: fakeEmbedding(texts[i], r.outputDimensionality ?? 3072) })) },
    };
  });
  state = Object.assign(server, {
    apiKey,
    batches,
    chatModels: ['gemma-4-31b-it', 'gemma-4-26b-a4b-it', 'gemini-2.5-flash'],
    script: groundedScript,
    latencyMs: 0,
    chats: [] as FakeGemini['chats'],
    maxConcurrent: 0,
    filesApi,
    scene: undefined as SceneObject[] | undefined,
    segment: (request: SegmentRequest) => answerSegmentation(request, state.scene),
    failNext(count: number, response: JsonResponse) {
      for (let i = 0; i < count; i++) failures.push(response);
    },
  });
  return state;
}

/** Hashed bag of words, scaled by 3 so callers must normalise. */
export function fakeEmbedding(text: string, dimensions: number): number[] {
  const values: number[] = Array.from({ length: dimensions }, () => 0);
  for (const token of tokenize(text)) {
    let h = 2166136261;
    for (let i = 0; i < token.length; i++) h = Math.imul(h ^ token.charCodeAt(i), 16777619);
    values[(h >>> 0) % dimensions] += 3;
  }
  if (!values.some((v) => v !== 0)) values[0] = 1;
  return values;
}

/** The size of the first inline image of a request (segmentation masks are sized in its pixels). */
async function imageSize(body: GenerateBody): Promise<{ width: number; height: number }> {
  const inline = body.contents.flatMap((c) => c.parts).find((p) => p.inlineData)?.inlineData;
  if (!inline) return { width: 1000, height: 1000 };
  const { width = 1000, height = 1000 } = await sharp(Buffer.from(inline.data, 'base64')).metadata();
  return { width, height };
}

/** Why the API would refuse a request's media: too large inline, or a file that is not (or no longer) ACTIVE. */
function mediaProblem(body: GenerateBody, bytes: number, filesApi: FakeFilesApi): JsonResponse | undefined {
  if (bytes > MAX_REQUEST_BYTES) {
    return { status: 400, body: { error: { code: 400, message: `Request payload size exceeds the limit: ${MAX_REQUEST_BYTES} bytes.`, status: 'INVALID_ARGUMENT' } } };
  }
  for (const part of body.contents.flatMap((c) => c.parts)) {
    if (!part.fileData) continue;
    const file = [...filesApi.files.values()].find((f) => f.uri === part.fileData?.fileUri);
    if (!file) return { status: 403, body: { error: { code: 403, message: `You do not have permission to access the File ${part.fileData.fileUri} or it may not exist.`, status: 'PERMISSION_DENIED' } } };
    if (filesApi.stateOf(file) !== 'ACTIVE') {
      return { status: 400, body: { error: { code: 400, message: `The File ${file.name} is not in an ACTIVE state and usage is not allowed.`, status: 'FAILED_PRECONDITION' } } };
    }
  }
  return undefined;
}
