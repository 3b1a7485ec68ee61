import type { AdminSessionState } from '../../state.js';
import type { PgPool } from './database.js';

/** Admin page sessions in PostgreSQL, under hashes of their ids: shared by every replica. */
export class PostgresAdminSessionState implements AdminSessionState {
  constructor(private readonly pool: PgPool) {}

  async open(hash: string, expires: Date, at: Date): Promise<void> {
    await this.pool.query(`DELETE FROM admin_sessions WHERE expires_at <= $1`, [at]);
    await this.pool.query(`INSERT INTO admin_sessions (id_hash, expires_at, created_at) VALUES ($1, $2, $3)`, [hash, expires, at]);
  }

  async isOpen(hash: string, at: Date): Promise<boolean> {
    const { rowCount } = await this.pool.query(`SELECT 1 FROM admin_sessions WHERE id_hash = $1 AND expires_at > $2`, [hash, at]);
    return (rowCount ?? 0) > 0;
  }

  async end(hash: string): Promise<boolean> {
    const { rowCount } = await this.pool.query(`DELETE FROM admin_sessions WHERE id_hash = $1`, [hash]);
    return (rowCount ?? 0) > 0;
  }
}
