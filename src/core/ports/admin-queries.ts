import type { ActivityEvent, ActivityKind, RunStatus } from './records.js';

/** What the admin page looks at: everything, one workspace or guild ("platform:workspace:"), or one channel. */
export type AdminScope =
  | { readonly kind: 'all' }
  | { readonly kind: 'workspace'; readonly platform: string; readonly workspace: string }
  | { readonly kind: 'channel'; readonly platform: string; readonly workspace: string; readonly channel: string };

/** One channel's figures (documents now; questions and ratings since the page's start). */
export interface ChannelFigures {
  readonly tenant: string;
  readonly documents: number;
  readonly passages: number;
  readonly questions: number;
  readonly answered: number;
  readonly ratedDown: number;
  readonly schedules: number;
  readonly lastQuestion: Date | undefined;
}

export interface AdminDocument {
  readonly tenant: string;
  readonly name: string;
  readonly status: 'indexing' | 'ready' | 'deleting';
  readonly pages: number;
  readonly passages: number;
  readonly ocrPages: number;
  readonly bytes: number;
  readonly addedBy: string;
  readonly link: string | undefined;
  readonly indexedAt: Date | undefined;
  /** Replaced by a newer ready file of the same name (kept for version:previous). */
  readonly previous: boolean;
}

export interface QuestionDay {
  /** YYYY-MM-DD, in UTC. */
  readonly day: string;
  readonly asked: number;
  readonly answered: number;
}

export interface AskedQuestionRow {
  readonly tenant: string;
  readonly question: string;
  readonly at: Date;
}

export interface RatedAnswer {
  readonly tenant: string;
  readonly question: string;
  readonly answer: string;
  readonly sources: readonly string[];
  readonly model: string | undefined;
  readonly at: Date;
  readonly up: number;
  readonly down: number;
}

/** A provider call as far as latency figures need it. */
export interface CallSample {
  readonly provider: string;
  readonly subject: string;
  readonly purpose: string;
  /** ok, error or cancelled. */
  readonly outcome: string;
  readonly ms: number;
}

export interface ScheduleRow {
  readonly id: string;
  readonly tenant: string;
  readonly spec: string;
  readonly description: string;
  readonly timezone: string;
  readonly channels: readonly string[];
  readonly createdBy: string;
  readonly source: 'chat' | 'config';
  readonly lastRun: { readonly period: Date; readonly status: RunStatus; readonly message: string | undefined; readonly detail: string | undefined } | undefined;
  readonly runs: number;
  readonly failures: number;
}

/** Read-only queries over the StateStore for the admin page (the same on SQLite and PostgreSQL). */
export interface AdminQueries {
  /** Every channel Docent has documents, questions, activity or digests for. */
  channels(scope: AdminScope, storeKey: string, since: Date): Promise<ChannelFigures[]>;
  documents(scope: AdminScope, storeKey: string, limit: number): Promise<AdminDocument[]>;
  questionsPerDay(scope: AdminScope, since: Date): Promise<QuestionDay[]>;
  /** Questions the documents did not cover, newest first. */
  unanswered(scope: AdminScope, since: Date, limit: number): Promise<AskedQuestionRow[]>;
  /** Answers at least one person rated 👎, newest first. */
  ratedDown(scope: AdminScope, since: Date, limit: number): Promise<RatedAnswer[]>;
  /** Which models wrote the answers. */
  modelsUsed(scope: AdminScope, since: Date): Promise<{ readonly model: string; readonly answers: number }[]>;
  /** Provider calls, newest first (at most `limit`). */
  calls(scope: AdminScope, since: Date, limit: number): Promise<CallSample[]>;
  /** Activity of the given kinds and outcomes, newest first. */
  events(scope: AdminScope, filter: { readonly kinds: readonly ActivityKind[]; readonly outcomes?: readonly string[] }, since: Date, limit: number): Promise<ActivityEvent[]>;
  schedules(scope: AdminScope): Promise<ScheduleRow[]>;
}

/** The tenant key prefix a scope covers ('' for all). */
export function scopePrefix(scope: AdminScope): string {
  if (scope.kind === 'all') return '';
  if (scope.kind === 'workspace') return `${scope.platform}:${scope.workspace}:`;
  return `${scope.platform}:${scope.workspace}:${scope.channel}`;
}
