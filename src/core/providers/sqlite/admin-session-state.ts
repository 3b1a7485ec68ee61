import type { AdminSessionState } from '../../state.js';
import type { SqliteDatabase } from './database.js';

/** Admin page sessions in the SQLite file, under hashes of their ids. */
export class SqliteAdminSessionState implements AdminSessionState {
  private readonly insert;
  private readonly prune;
  private readonly find;
  private readonly remove;

  constructor(db: SqliteDatabase) {
    this.insert = db.prepare(`INSERT INTO admin_sessions (id_hash, expires_at, created_at) VALUES (?, ?, ?)`);
    this.prune = db.prepare(`DELETE FROM admin_sessions WHERE expires_at <= ?`);
    this.find = db.prepare<[string, string], { found: number }>(`SELECT 1 AS found FROM admin_sessions WHERE id_hash = ? AND expires_at > ?`);
    this.remove = db.prepare(`DELETE FROM admin_sessions WHERE id_hash = ?`);
  }

  async open(hash: string, expires: Date, at: Date): Promise<void> {
    this.prune.run(at.toISOString());
    this.insert.run(hash, expires.toISOString(), at.toISOString());
  }

  async isOpen(hash: string, at: Date): Promise<boolean> {
    return this.find.get(hash, at.toISOString()) !== undefined;
  }

  async end(hash: string): Promise<boolean> {
    return this.remove.run(hash).changes > 0;
  }
}
