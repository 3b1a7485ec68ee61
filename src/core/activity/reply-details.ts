import { randomUUID } from 'node:crypto';
import type { DetailsState } from '../ports/state-store.js';
import { tenantKey, type Scope } from '../ports/types.js';

/** One call to a model provider made for a reply, and what it was given. */
export interface ProviderCall {
  /** "Groq", "Gemini". */
  readonly provider: string;
  readonly model: string;
  /** What the call was for: "write the answer", "search by meaning", "translate the question". */
  readonly purpose: string;
  /** What left Docent in it, in people's words: "your question and 4 passages". */
  readonly sent: string;
  readonly inputTokens?: number;
  readonly outputTokens?: number;
}

/** What a reply sent where: shown to the person who asked (the Details button; `details` in the console's JSON). */
export interface ReplyDetails {
  readonly kind: 'answer' | 'summary' | 'image' | 'video';
  /** Every provider call, in order; none when everything stayed local. */
  readonly calls: readonly ProviderCall[];
  /** The document passages given to a model (file and place). */
  readonly passages?: readonly { readonly file: string; readonly location: string }[];
  /** How many chat messages were given to a model (summaries). */
  readonly messages?: number;
  /** What Docent did without sending anything anywhere. */
  readonly local: readonly string[];
  readonly latencyMs: number;
}

/** How long the details of a reply can be opened. */
export const DETAILS_MEMORY_MS = 7 * 24 * 3600_000;

/** Details of replies, kept for the people who asked (across restarts and replicas, like the replies' buttons). */
export interface Details {
  /** Keeps a reply's details for the person who asked; returns the id its Details button carries. */
  record(scope: Scope, userId: string, details: ReplyDetails): Promise<string>;
  /** The details for `userId`: only the person who asked may read them. */
  read(id: string, userId: string): Promise<{ readonly details: ReplyDetails } | 'not_yours' | 'gone'>;
}

export function createDetails(state: DetailsState, now: () => Date): Details {
  return {
    async record(scope, userId, details) {
      const id = randomUUID();
      await state.save({ id, tenant: tenantKey(scope), userId, details: JSON.stringify(details), at: now() }, new Date(now().getTime() - DETAILS_MEMORY_MS));
      return id;
    },
    async read(id, userId) {
      const row = await state.get(id);
      if (row === undefined || row.at.getTime() < now().getTime() - DETAILS_MEMORY_MS) return 'gone';
      if (row.userId !== userId) return 'not_yours';
      return { details: JSON.parse(row.details) as ReplyDetails };
    },
  };
}
