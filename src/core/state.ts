import type { Turn } from './answer/answer.js';
import type { DocumentRegistry } from './ports.js';
import type { Actor } from './types.js';

// The StateStore port: everything Docent keeps besides the vectors (documents, digest schedules
// and their runs, answers and their ratings, channel settings, follow-up memory). The SQLite
// implementation is under providers/sqlite/; core features use only these interfaces.

export interface DigestSchedule {
  readonly id: string;
  /** Where the digest is posted. */
  readonly platform: string;
  readonly workspace: string;
  readonly channel: string;
  /** What the person typed ("weekdays 09:00"). */
  readonly spec: string;
  readonly expression: string;
  readonly timezone: string;
  readonly description: string;
  /** The channels recapped (ids on the platform). */
  readonly channels: readonly string[];
  readonly createdBy: Actor;
  readonly createdAt: Date;
  readonly source: 'chat' | 'config';
}

export type RunStatus = 'claimed' | 'posting' | 'posted' | 'quiet' | 'skipped' | 'failed' | 'unknown';

export interface DigestRun {
  readonly scheduleId: string;
  /** The scheduled instant this run is for: with the schedule, its unique key. */
  readonly period: Date;
  readonly status: RunStatus;
  readonly late: boolean;
  readonly coveredUntil: Date | undefined;
  readonly message: string | undefined;
  readonly detail: string | undefined;
}

/** Digest schedules and their runs; a run is claimed once per (schedule, period), whatever runs it. */
export interface DigestState {
  save(schedule: DigestSchedule): void;
  list(where?: { platform: string; workspace: string; channel: string }): DigestSchedule[];
  get(id: string): DigestSchedule | undefined;
  remove(id: string, at: Date): boolean;
  removeConfigSchedulesExcept(ids: readonly string[], at: Date): number;
  /** True for the one caller that claims the run; false when it was claimed already. */
  claim(scheduleId: string, period: Date, owner: string, late: boolean, at: Date): boolean;
  skip(scheduleId: string, period: Date, owner: string, at: Date, detail: string): boolean;
  update(scheduleId: string, period: Date, fields: { status: RunStatus; coveredUntil?: Date; message?: string; detail?: string; finishedAt?: Date }): void;
  runBefore(scheduleId: string, period?: Date): DigestRun | undefined;
  lastDelivered(scheduleId: string): DigestRun | undefined;
  recover(owner: string): { released: number; unknown: number };
}

export interface AnswerRecord {
  readonly id: string;
  readonly tenant: string;
  readonly question: string;
  readonly answer: string;
  readonly grounded: boolean;
  readonly model: string | undefined;
  readonly askedBy: string;
  readonly at: Date;
}

/** Answers shown to users and their 👍/👎 (one rating per person and answer). */
export interface FeedbackState {
  addAnswer(record: AnswerRecord): void;
  hasAnswer(id: string): boolean;
  rate(answerId: string, userId: string, rating: 'up' | 'down', at: Date): void;
  ratings(answerId: string): { up: number; down: number };
  /** A channel's answers in [since, until), oldest first. */
  answers(tenant: string, since: Date, until: Date): Pick<AnswerRecord, 'question' | 'grounded' | 'askedBy' | 'at'>[];
}

/** Per-channel settings as stored. */
export interface SettingsState {
  read(tenant: string, key: string): { value: string; updatedBy: string } | undefined;
  write(tenant: string, key: string, value: string, updatedBy: string, at: Date): void;
}

/** Follow-up memory: the latest turns of each conversation (a channel per person, or a thread). */
export interface ConversationState {
  /** The conversation's latest turns, oldest first. */
  turns(key: string, limit: number): Turn[];
  /** Adds a turn; keeps at most `keep` per conversation. */
  remember(key: string, turn: Turn, keep: number, at: Date): void;
}

export interface StateStore {
  readonly documents: DocumentRegistry;
  readonly digests: DigestState;
  readonly feedback: FeedbackState;
  readonly settings: SettingsState;
  readonly conversations: ConversationState;
  close(): void;
}
