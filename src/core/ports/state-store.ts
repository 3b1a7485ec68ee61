import type { DocumentRegistry } from './ports.js';
import type { AdminQueries } from './admin-queries.js';
import type { ActivityEvent, RunStatus } from './records.js';
import type { Actor, Turn } from './types.js';

export type { ActivityEvent, ActivityKind, RunStatus } from './records.js';

// The StateStore port: everything Docent keeps besides the vectors (documents, digest schedules
// and their runs, answers and their ratings, channel settings, follow-up memory). It is written
// once for SQLite and PostgreSQL under providers/storage/sql/; core features use only these interfaces.

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
  /**
   * Stores a schedule. A config-file schedule (its id derived from its entry) is revived if it was
   * removed; a chat schedule is never merged with another of the same id, even a removed one (its
   * runs would be taken for the new one's): false then, and the caller picks another id.
   */
  save(schedule: DigestSchedule): Promise<boolean>;
  list(where?: { platform: string; workspace: string; channel: string }): Promise<DigestSchedule[]>;
  get(id: string): Promise<DigestSchedule | undefined>;
  remove(id: string, at: Date): Promise<boolean>;
  removeConfigSchedulesExcept(ids: readonly string[], at: Date): Promise<number>;
  /** True for the one caller that claims the run; false when it was claimed already. */
  claim(scheduleId: string, period: Date, owner: string, late: boolean, at: Date): Promise<boolean>;
  skip(scheduleId: string, period: Date, owner: string, at: Date, detail: string): Promise<boolean>;
  update(scheduleId: string, period: Date, fields: { status: RunStatus; coveredUntil?: Date; message?: string; detail?: string; finishedAt?: Date }): Promise<void>;
  runBefore(scheduleId: string, period?: Date): Promise<DigestRun | undefined>;
  lastDelivered(scheduleId: string): Promise<DigestRun | undefined>;
  recover(owner: string): Promise<{ released: number; unknown: number }>;
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
  /** The passages the answer cites, as "file, p. 3" (empty when none; absent in answers kept before). */
  readonly sources?: readonly string[];
}

/** Answers shown to users and their 👍/👎 (one rating per person and answer). */
export interface FeedbackState {
  addAnswer(record: AnswerRecord): Promise<void>;
  hasAnswer(id: string): Promise<boolean>;
  rate(answerId: string, userId: string, rating: 'up' | 'down', at: Date): Promise<void>;
  ratings(answerId: string): Promise<{ up: number; down: number }>;
  /** A channel's answers in [since, until), oldest first. */
  answers(tenant: string, since: Date, until: Date): Promise<Pick<AnswerRecord, 'question' | 'grounded' | 'askedBy' | 'at'>[]>;
}

/** Per-channel settings as stored. */
export interface SettingsState {
  read(tenant: string, key: string): Promise<{ value: string; updatedBy: string } | undefined>;
  write(tenant: string, key: string, value: string, updatedBy: string, at: Date): Promise<void>;
}

/** Follow-up memory: the latest turns of each conversation (a channel per person, or a thread). */
export interface ConversationState {
  /** The conversation's latest turns, oldest first. */
  turns(key: string, limit: number): Promise<Turn[]>;
  /** Adds a turn; keeps at most `keep` per conversation. */
  remember(key: string, turn: Turn, keep: number, at: Date): Promise<void>;
}

/** How long a delivery id is remembered: Slack retries within minutes, Discord never re-sends after a day. */
export const DELIVERY_MEMORY_MS = 24 * 3600_000;
/** Old ids are pruned once every this many deliveries. */
export const PRUNE_EVERY = 500;

/**
 * What a platform delivered and Docent has taken on (Slack event ids, Discord interaction and
 * message ids): the first caller for an id wins, on every replica sharing the store, so a
 * delivery retried or sent to two replicas runs once.
 */
export interface DeliveryState {
  /** True for the first (source, id); false for a repeat. Entries older than a day are forgotten. */
  first(source: string, id: string, at: Date): Promise<boolean>;
}

export interface DetailsRow {
  readonly id: string;
  readonly tenant: string;
  readonly userId: string;
  /** ReplyDetails as JSON. */
  readonly details: string;
  readonly at: Date;
}

/** The details of replies (what was sent where), for the Details button. */
export interface DetailsState {
  /** Stores a reply's details; rows older than `forgetBefore` may be pruned meanwhile. */
  save(row: DetailsRow, forgetBefore: Date): Promise<void>;
  get(id: string): Promise<DetailsRow | undefined>;
}


/** Activity kept for the admin page; older rows are pruned. */
export interface ActivityState {
  add(event: ActivityEvent): Promise<void>;
  /** Forgets events before `before`; returns how many. */
  prune(before: Date): Promise<number>;
}

/**
 * Who is signed in to the admin page: each session kept under a hash of its id (the cookie
 * carries the id; the store never holds it) until it expires or is ended. Every replica reads the
 * same sessions, so signing out on one ends the session on all.
 */
export interface AdminSessionState {
  /** Opens a session until `expires`; sessions that expired by `at` are pruned meanwhile. */
  open(hash: string, expires: Date, at: Date): Promise<void>;
  /** True while the session is open at `at`: opened, not ended, not expired. */
  isOpen(hash: string, at: Date): Promise<boolean>;
  /** Ends the session; false when there was none. */
  end(hash: string): Promise<boolean>;
}

export interface StateStore {
  /** Where it lives, for the banner (no secrets). */
  readonly description: string;
  readonly documents: DocumentRegistry;
  readonly digests: DigestState;
  readonly feedback: FeedbackState;
  readonly settings: SettingsState;
  readonly conversations: ConversationState;
  readonly deliveries: DeliveryState;
  readonly details: DetailsState;
  readonly activity: ActivityState;
  /** Sessions signed in to the admin page. */
  readonly adminSessions: AdminSessionState;
  /** Read-only views for the admin page. */
  readonly admin: AdminQueries;
  /** Brings the schema up to date (PostgreSQL migrates here; SQLite did when its file opened). */
  init(): Promise<void>;
  close(): Promise<void>;
}
