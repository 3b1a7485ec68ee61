import type { Turn } from '../../answer/answer.js';
import type { ConversationState } from '../../state.js';
import type { SqliteDatabase } from './database.js';

/** Turns older than this are forgotten: a follow-up refers to a recent question. */
const FORGET_AFTER_MS = 7 * 24 * 3600_000;

/** Follow-up memory in the SQLite file, so it survives a restart (and, on a shared store, replicas share it). */
export class SqliteConversationState implements ConversationState {
  constructor(private readonly db: SqliteDatabase) {}

  async turns(key: string, limit: number): Promise<Turn[]> {
    const rows = this.db
      .prepare<[string, number], { question: string; answer: string }>(`SELECT question, answer FROM conversation_turns WHERE key = ? ORDER BY seq DESC LIMIT ?`)
      .all(key, limit);
    return rows.reverse().map((r) => ({ question: r.question, answer: r.answer }));
  }

  async remember(key: string, turn: Turn, keep: number, at: Date): Promise<void> {
    this.db.transaction(() => {
      this.db.prepare(`INSERT INTO conversation_turns (key, question, answer, at) VALUES (?, ?, ?, ?)`).run(key, turn.question, turn.answer.slice(0, 20_000), at.toISOString());
      this.db.prepare(`DELETE FROM conversation_turns WHERE key = ? AND seq NOT IN (SELECT seq FROM conversation_turns WHERE key = ? ORDER BY seq DESC LIMIT ?)`).run(key, key, keep);
      this.db.prepare(`DELETE FROM conversation_turns WHERE at < ?`).run(new Date(at.getTime() - FORGET_AFTER_MS).toISOString());
    })();
  }
}
