import type { Turn } from '../../../ports/types.js';
import type { ConversationState } from '../../../ports/state-store.js';
import type { SqlRunner } from './sql-runner.js';

/** Turns older than this are forgotten: a follow-up refers to a recent question. */
const FORGET_AFTER_MS = 7 * 24 * 3600_000;

/**
 * Follow-up memory in the database, so it survives a restart and, on PostgreSQL, a follow-up is
 * understood whichever replica receives it.
 */
export class SqlConversationState implements ConversationState {
  constructor(private readonly db: SqlRunner) {}

  async turns(key: string, limit: number): Promise<Turn[]> {
    const rows = await this.db.all<{ question: string; answer: string }>(`SELECT question, answer FROM conversation_turns WHERE key = ? ORDER BY seq DESC LIMIT ?`, [key, limit]);
    return rows.reverse().map((r) => ({ question: r.question, answer: r.answer }));
  }

  /** Adds the turn and trims the conversation to its latest `keep`, in one transaction. */
  async remember(key: string, turn: Turn, keep: number, at: Date): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.run(`INSERT INTO conversation_turns (key, question, answer, at) VALUES (?, ?, ?, ?)`, [key, turn.question, turn.answer.slice(0, 20_000), at]);
      await tx.run(`DELETE FROM conversation_turns WHERE key = ? AND seq NOT IN (SELECT seq FROM conversation_turns WHERE key = ? ORDER BY seq DESC LIMIT ?)`, [key, key, keep]);
      await tx.run(`DELETE FROM conversation_turns WHERE at < ?`, [new Date(at.getTime() - FORGET_AFTER_MS)]);
    });
  }
}
