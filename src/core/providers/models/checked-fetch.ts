import { ProviderError, RateLimitError } from '../../ports/errors.js';

/**
 * A fetch for vendor SDKs that turns every non-2xx answer and network failure into a
 * ProviderError carrying the status and the server's requested wait (Retry-After, or a
 * Google RetryInfo delay), which the SDKs' own error types do not expose.
 */
export interface FailureDetails {
  readonly status: number;
  readonly message: string;
  /** The API's own error code, e.g. Groq's `model_decommissioned`. */
  readonly errorCode: string | undefined;
}

export interface CheckedFetchOptions {
  /** The user-facing message for a failed request. */
  readonly describe: (failure: FailureDetails) => string;
  /** A stable error code for failures that callers handle specially (e.g. `model_unavailable`). */
  readonly classify?: (failure: FailureDetails) => string | undefined;
}

export function createCheckedFetch(provider: string, options: CheckedFetchOptions): typeof fetch {
  return async (input, init) => {
    let response: Response;
    try {
      response = await fetch(input, init);
    } catch (error) {
      if (init?.signal?.aborted) throw error;
      const host = safeHost(input);
      throw new ProviderError(provider, `Docent could not reach ${provider}${host ? ` at ${host}` : ''}. Check the network and the base URL.`, {
        retryable: true,
        cause: error,
        code: 'provider_unreachable',
        detail: error instanceof Error ? error.message : String(error),
      });
    }
    if (response.ok) return response;

    const body = await response.text().catch(() => '');
    const failure: FailureDetails = { status: response.status, message: extractMessage(body) ?? response.statusText, errorCode: extractCode(body) };
    const retryAfterMs =
      parseRetryAfter(response.headers.get('retry-after')) ??
      parseRetryInfo(body) ??
      maxDuration(response.headers.get('x-ratelimit-reset-requests'), response.headers.get('x-ratelimit-reset-tokens'));
    if (response.status === 429) throw new RateLimitError(provider, retryAfterMs, new Error(failure.message));
    throw new ProviderError(provider, options.describe(failure), {
      retryable: response.status === 408 || response.status >= 500,
      retryAfterMs,
      status: response.status,
      code: options.classify?.(failure),
      detail: `${provider} HTTP ${response.status}${failure.errorCode ? ` ${failure.errorCode}` : ''}: ${failure.message}`,
    });
  };
}

function safeHost(input: Parameters<typeof fetch>[0]): string | undefined {
  try {
    const url = typeof input === 'string' ? new URL(input) : input instanceof URL ? input : new URL(input.url);
    return url.host;
  } catch {
    return undefined;
  }
}

function extractMessage(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && 'error' in parsed) {
      const error = (parsed as { error: unknown }).error;
      if (typeof error === 'string') return error;
      if (typeof error === 'object' && error !== null && 'message' in error) return String((error as { message: unknown }).message);
    }
  } catch {
    // not JSON
  }
  const text = body.trim();
  return text.length > 0 ? text.slice(0, 300) : undefined;
}

function extractCode(body: string): string | undefined {
  try {
    const parsed: unknown = JSON.parse(body);
    if (typeof parsed === 'object' && parsed !== null && 'error' in parsed) {
      const error = (parsed as { error: unknown }).error;
      if (typeof error === 'object' && error !== null) {
        const { code, status } = error as { code?: unknown; status?: unknown };
        if (typeof code === 'string') return code;
        if (typeof status === 'string') return status;
      }
    }
  } catch {
    // not JSON
  }
  return undefined;
}

/** Groq's x-ratelimit-reset-* durations, e.g. "2m59.56s", "7.66s", "120ms". */
export function parseDuration(value: string | null): number | undefined {
  if (value === null) return undefined;
  const match = /^(?:(\d+(?:\.\d+)?)h)?(?:(\d+(?:\.\d+)?)m(?!s))?(?:(\d+(?:\.\d+)?)s)?(?:(\d+(?:\.\d+)?)ms)?$/.exec(value.trim());
  if (!match || match.slice(1).every((part) => part === undefined)) return undefined;
  const [, h, m, s, ms] = match.map((part) => Number(part ?? 0));
  return Math.round(h * 3_600_000 + m * 60_000 + s * 1000 + ms);
}

function maxDuration(...values: (string | null)[]): number | undefined {
  const parsed = values.map(parseDuration).filter((v): v is number => v !== undefined);
  return parsed.length === 0 ? undefined : Math.max(...parsed);
}

/** Retry-After as seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now = Date.now()): number | undefined {
  if (value === null || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1000));
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

/** Google APIs put the wait in error.details[].retryDelay, e.g. "12s" or "0.5s". */
function parseRetryInfo(body: string): number | undefined {
  const match = /"retryDelay"\s*:\s*"(\d+(?:\.\d+)?)s"/.exec(body);
  return match ? Math.round(Number(match[1]) * 1000) : undefined;
}
