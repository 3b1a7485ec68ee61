import type { Turn } from '../../answer/answer.js';
import type { ConversationState } from '../../state.js';
import { transaction, type PgPool } from './database.js';

/** Turns older than this are forgotten: a follow-up refers to a recent question. */
const FORGET_AFTER_MS = 7 * 24 * 3600_000;

/** Follow-up memory in PostgreSQL: a follow-up is understood whichever replica receives it. */
export class PostgresConversationState implements ConversationState {
  constructor(private readonly pool: PgPool) {}

  async turns(key: string, limit: number): Promise<Turn[]> {
    const { rows } = await this.pool.query<{ question: string; answer: string }>(`SELECT question, answer FROM conversation_turns WHERE key = $1 ORDER BY seq DESC LIMIT $2`, [key, limit]);
    return rows.reverse().map((r) => ({ question: r.question, answer: r.answer }));
  }

  async remember(key: string, turn: Turn, keep: number, at: Date): Promise<void> {
    await transaction(this.pool, async (client) => {
      await client.query(`INSERT INTO conversation_turns (key, question, answer, at) VALUES ($1, $2, $3, $4)`, [key, turn.question, turn.answer.slice(0, 20_000), at]);
      await client.query(`DELETE FROM conversation_turns WHERE key = $1 AND seq NOT IN (SELECT seq FROM conversation_turns WHERE key = $1 ORDER BY seq DESC LIMIT $2)`, [key, keep]);
      await client.query(`DELETE FROM conversation_turns WHERE at < $1`, [new Date(at.getTime() - FORGET_AFTER_MS)]);
    });
  }
}
