// What Docent records and the admin page reads back: a digest run's status and one thing Docent
// did. Shared by the StateStore port and the admin queries port, below both.

/** Where a digest run stands. */
export type RunStatus = 'claimed' | 'posting' | 'posted' | 'quiet' | 'skipped' | 'failed' | 'unknown';

export type ActivityKind = 'call' | 'ingest' | 'model';

/** One thing Docent did, for the admin page (see core/activity/activity.ts). */
export interface ActivityEvent {
  readonly at: Date;
  /** The channel it was for ('' when none: start-up, a model retired for everyone). */
  readonly tenant: string;
  readonly kind: ActivityKind;
  /** "groq", "gemini" for calls and model events; '' for ingests. */
  readonly provider: string;
  /** The model id (calls, model events) or the file name (ingests). */
  readonly subject: string;
  /** What a call was for: "answer", "summary", "image", "video", "embed"; '' otherwise. */
  readonly purpose: string;
  /** call: ok | error; ingest: indexed | unchanged | reinstated | refused | failed; model: retired. */
  readonly outcome: string;
  /** The error or refusal code. */
  readonly code?: string;
  /** The reason, in people's words (an error message, a refusal, the model used instead). */
  readonly detail?: string;
  /** How long it took. */
  readonly ms?: number;
}
