import { ProviderError } from '../../../ports/errors.js';

/** What a failed Qdrant call means for the user: unreachable, a refused key, or Qdrant's own error. */
export function toQdrantError(error: unknown, url: string, what: string): ProviderError {
  if (error instanceof ProviderError) return error;
  const status = statusOf(error);
  const detail = detailOf(error);
  if (status === undefined) {
    return new ProviderError('Qdrant', `Docent could not reach Qdrant at ${url} to ${what}. Is it running? (QDRANT_URL)`, {
      retryable: true,
      cause: error,
      detail,
      code: 'provider_unreachable',
    });
  }
  if (status === 401 || status === 403) {
    return new ProviderError('Qdrant', 'Qdrant refused the API key. Check QDRANT_API_KEY.', { retryable: false, status, cause: error, detail });
  }
  return new ProviderError('Qdrant', `Qdrant failed to ${what} (HTTP ${status}): ${detail}`, {
    retryable: status === 429 || status >= 500,
    status,
    cause: error,
    detail,
  });
}

export function statusOf(error: unknown): number | undefined {
  if (typeof error === 'object' && error !== null && 'status' in error && typeof error.status === 'number') return error.status;
  return undefined;
}

function detailOf(error: unknown): string {
  if (typeof error === 'object' && error !== null && 'data' in error) {
    const data = error.data;
    if (typeof data === 'object' && data !== null && 'status' in data) {
      const status = data.status;
      if (typeof status === 'object' && status !== null && 'error' in status) return String(status.error);
    }
  }
  return error instanceof Error ? error.message : String(error);
}
