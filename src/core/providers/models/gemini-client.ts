import { GoogleGenAI } from '@google/genai';
import { createCheckedFetch, type CheckedFetchOptions } from './checked-fetch.js';

export interface GeminiAccess {
  readonly apiKey: string;
  readonly baseUrl: string | undefined;
  readonly timeoutMs: number;
  /** The API version; the SDK's default (v1) unless a feature is documented on another (the Files API: v1beta). */
  readonly apiVersion?: string;
}

/**
 * A @google/genai client whose every request goes through the checked fetch: failures become
 * ProviderErrors with the status, the server's requested wait and the message `describe` writes.
 */
export function geminiClient(access: GeminiAccess, failures: CheckedFetchOptions): GoogleGenAI {
  return new GoogleGenAI({
    apiKey: access.apiKey,
    httpOptions: {
      ...(access.baseUrl ? { baseUrl: access.baseUrl } : {}),
      timeout: access.timeoutMs,
      ...(access.apiVersion ? { apiVersion: access.apiVersion } : {}),
      fetch: createCheckedFetch('Gemini', failures),
    },
  });
}
