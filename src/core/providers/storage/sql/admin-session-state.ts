import type { AdminSessionState } from '../../../ports/state-store.js';
import type { SqlRunner } from './sql-runner.js';

/** Admin page sessions, under hashes of their ids: on PostgreSQL, shared by every replica. */
export class SqlAdminSessionState implements AdminSessionState {
  constructor(private readonly db: SqlRunner) {}

  async open(hash: string, expires: Date, at: Date): Promise<void> {
    await this.db.run(`DELETE FROM admin_sessions WHERE expires_at <= ?`, [at]);
    await this.db.run(`INSERT INTO admin_sessions (id_hash, expires_at, created_at) VALUES (?, ?, ?)`, [hash, expires, at]);
  }

  async isOpen(hash: string, at: Date): Promise<boolean> {
    return (await this.db.get(`SELECT 1 AS found FROM admin_sessions WHERE id_hash = ? AND expires_at > ?`, [hash, at])) !== undefined;
  }

  async end(hash: string): Promise<boolean> {
    return (await this.db.run(`DELETE FROM admin_sessions WHERE id_hash = ?`, [hash])) > 0;
  }
}
