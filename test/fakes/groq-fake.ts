import { groundedScript, pieces, type ChatScript } from './chat-script.js';
import { startJsonServer, type FakeServer, type JsonResponse } from './http.js';

interface ChatBody {
  model: string;
  messages: { role: string; content: string }[];
  stream?: boolean;
  temperature?: number;
  top_p?: number;
  max_completion_tokens?: number;
}

export interface FakeGroq extends FakeServer {
  readonly apiKey: string;
  /** Models the fake serves (GET /openai/v1/models); others are refused like Groq does. */
  models: string[];
  /** Models Groq has retired: 400 model_decommissioned. Unknown models get 404 model_not_found. */
  decommissioned: string[];
  script: ChatScript;
  /** Delay before the reply (or between streamed tokens). */
  latencyMs: number;
  readonly chats: ChatBody[];
  /** Most chat requests that were being answered at the same time. */
  maxConcurrent: number;
  failNext(count: number, response: JsonResponse): void;
}

/**
 * A behavioural Groq API fake for groq-sdk: `/openai/v1/models` and
 * `/openai/v1/chat/completions` in JSON and SSE (final chunk with `x_groq.usage`, then [DONE]),
 * with Groq's real error shapes for retired and unknown models and injectable failures.
 */
export async function startFakeGroq(options: { apiKey?: string; models?: string[] } = {}): Promise<FakeGroq> {
  const apiKey = options.apiKey ?? 'gsk_fake_groq_key';
  const failures: JsonResponse[] = [];
  let inFlight = 0;
  // The handler reads the fake's own fields, so tests change its behaviour by assigning them.
  // eslint-disable-next-line prefer-const -- assigned once the server exists
  let state: FakeGroq;
  const error = (status: number, message: string, type: string, code?: string): JsonResponse => ({
    status,
    body: { error: { message, type, ...(code ? { code } : {}) } },
  });

  const server = await startJsonServer(async (request) => {
    if (request.headers.authorization !== `Bearer ${apiKey}`) return error(401, 'Invalid API Key', 'invalid_request_error', 'invalid_api_key');
    if (request.method === 'GET' && request.path === '/openai/v1/models') {
      return { status: 200, body: { object: 'list', data: state.models.map((id) => ({ id, object: 'model', created: 1700000000, owned_by: 'fake', active: true, context_window: 131072 })) } };
    }
    if (request.method !== 'POST' || request.path !== '/openai/v1/chat/completions') return error(404, `Unknown request URL: ${request.path}`, 'invalid_request_error');
    const body = request.body as ChatBody;
    if (state.decommissioned.includes(body.model)) {
      return error(400, `The model \`${body.model}\` has been decommissioned and is no longer supported.`, 'invalid_request_error', 'model_decommissioned');
    }
    if (!state.models.includes(body.model)) {
      return error(404, `The model \`${body.model}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found');
    }
    const failure = failures.shift();
    if (failure) return failure;
    state.chats.push(body);
    inFlight++;
    state.maxConcurrent = Math.max(state.maxConcurrent, inFlight);
    void request.finished.then(() => inFlight--);
    const system = body.messages.filter((m) => m.role === 'system').map((m) => m.content).join('\n');
    const user = body.messages.filter((m) => m.role === 'user').map((m) => m.content).join('\n');
    const answer = state.script({ system, user, model: body.model });
    const usage = { prompt_tokens: Math.ceil((system.length + user.length) / 4), completion_tokens: pieces(answer).length, total_tokens: 0 };
    const base = { id: 'chatcmpl-fake', created: 1700000000, model: body.model };
    if (!body.stream) {
      return {
        status: 200,
        delayMs: state.latencyMs,
        body: { ...base, object: 'chat.completion', choices: [{ index: 0, message: { role: 'assistant', content: answer }, logprobs: null, finish_reason: 'stop' }], usage },
      };
    }
    const events = [
      ...pieces(answer).map((piece) => JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: { content: piece }, finish_reason: null }] })),
      JSON.stringify({ ...base, object: 'chat.completion.chunk', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], x_groq: { id: 'req_fake', usage } }),
      '[DONE]',
    ];
    return { status: 200, events, delayMs: state.latencyMs };
  });

  state = Object.assign(server, {
    apiKey,
    models: options.models ?? ['openai/gpt-oss-20b', 'llama-3.3-70b-versatile'],
    decommissioned: ['gemma2-9b-it', 'gemma-7b-it'],
    script: groundedScript,
    latencyMs: 0,
    chats: [] as ChatBody[],
    maxConcurrent: 0,
    failNext(count: number, response: JsonResponse) {
      for (let i = 0; i < count; i++) failures.push(response);
    },
  });
  return state;
}
