import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { HISTORIC_SHARED_MIGRATIONS, migrationsFor, SQLITE_TYPES } from '../sql/migrations.js';

export type SqliteDatabase = Database.Database;

/** The migrations written before new ones were shared (see ../sql/migrations.ts); never edited. */
const HISTORIC_MIGRATIONS: readonly string[] = [
  `CREATE TABLE documents (
     id TEXT PRIMARY KEY,
     tenant TEXT NOT NULL,
     store_key TEXT NOT NULL,
     name TEXT NOT NULL,
     sha256 TEXT NOT NULL,
     bytes INTEGER NOT NULL,
     pages INTEGER NOT NULL DEFAULT 0,
     chunks INTEGER NOT NULL DEFAULT 0,
     ocr_pages INTEGER NOT NULL DEFAULT 0,
     status TEXT NOT NULL CHECK (status IN ('indexing', 'ready', 'deleting')),
     uploaded_by_id TEXT NOT NULL,
     uploaded_by_name TEXT NOT NULL,
     link TEXT,
     created_at TEXT NOT NULL,
     indexed_at TEXT
   );
   CREATE INDEX documents_by_tenant ON documents (tenant, store_key, status);
   CREATE TABLE chunks (
     rowid INTEGER PRIMARY KEY,
     id TEXT NOT NULL UNIQUE,
     tenant TEXT NOT NULL,
     document_id TEXT NOT NULL,
     file TEXT NOT NULL,
     ordinal INTEGER NOT NULL,
     page INTEGER NOT NULL,
     heading TEXT,
     text TEXT NOT NULL,
     tokens TEXT NOT NULL,
     embed_model TEXT,
     vector BLOB
   );
   CREATE INDEX chunks_by_document ON chunks (tenant, document_id);`,
  `CREATE TABLE answers (
     id TEXT PRIMARY KEY,
     tenant TEXT NOT NULL,
     question TEXT NOT NULL,
     answer TEXT NOT NULL,
     grounded INTEGER NOT NULL,
     model TEXT,
     asked_by TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE TABLE feedback (
     answer_id TEXT NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
     user_id TEXT NOT NULL,
     rating TEXT NOT NULL CHECK (rating IN ('up', 'down')),
     created_at TEXT NOT NULL,
     PRIMARY KEY (answer_id, user_id)
   );`,
  `ALTER TABLE chunks ADD COLUMN ocr INTEGER NOT NULL DEFAULT 0;`,
  `CREATE TABLE channel_settings (
     tenant TEXT NOT NULL,
     key TEXT NOT NULL,
     value TEXT NOT NULL,
     updated_by TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     PRIMARY KEY (tenant, key)
   );
   CREATE INDEX answers_by_tenant ON answers (tenant, created_at);
   CREATE INDEX documents_by_indexed ON documents (tenant, indexed_at);`,
  `CREATE TABLE digest_schedules (
     id TEXT PRIMARY KEY,
     platform TEXT NOT NULL,
     workspace TEXT NOT NULL,
     channel TEXT NOT NULL,
     spec TEXT NOT NULL,
     expression TEXT NOT NULL,
     timezone TEXT NOT NULL,
     description TEXT NOT NULL,
     channels TEXT NOT NULL,
     created_by_id TEXT NOT NULL,
     created_by_name TEXT NOT NULL,
     created_at TEXT NOT NULL,
     source TEXT NOT NULL CHECK (source IN ('chat', 'config')),
     removed_at TEXT
   );
   CREATE INDEX digest_schedules_by_channel ON digest_schedules (platform, workspace, channel);
   CREATE TABLE digest_runs (
     schedule_id TEXT NOT NULL REFERENCES digest_schedules (id),
     period TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('claimed', 'posting', 'posted', 'quiet', 'skipped', 'failed', 'unknown')),
     late INTEGER NOT NULL DEFAULT 0,
     owner TEXT NOT NULL,
     started_at TEXT NOT NULL,
     covered_until TEXT,
     finished_at TEXT,
     message TEXT,
     detail TEXT,
     PRIMARY KEY (schedule_id, period)
   );`,
  // Per document, in how many of its passages each term occurs: the channel's term statistics for
  // judging whether retrieved passages cover a question (terms_saved = 0 for documents indexed before).
  `CREATE TABLE document_terms (
     document_id TEXT NOT NULL REFERENCES documents (id) ON DELETE CASCADE,
     token TEXT NOT NULL,
     passages INTEGER NOT NULL,
     PRIMARY KEY (token, document_id)
   ) WITHOUT ROWID;
   CREATE INDEX document_terms_by_document ON document_terms (document_id);
   ALTER TABLE documents ADD COLUMN terms_saved INTEGER NOT NULL DEFAULT 0;`,
  // Follow-up memory (the latest /ask turns per conversation), kept across restarts.
  `CREATE TABLE conversation_turns (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     key TEXT NOT NULL,
     question TEXT NOT NULL,
     answer TEXT NOT NULL,
     at TEXT NOT NULL
   );
   CREATE INDEX conversation_turns_by_key ON conversation_turns (key, seq);
   CREATE INDEX conversation_turns_by_age ON conversation_turns (at);`,
  // Deliveries taken on (Slack event ids, Discord interaction and message ids): each runs once.
  `CREATE TABLE deliveries (
     source TEXT NOT NULL,
     id TEXT NOT NULL,
     at TEXT NOT NULL,
     PRIMARY KEY (source, id)
   ) WITHOUT ROWID;
   CREATE INDEX deliveries_by_age ON deliveries (at);`,
  // A channel's passage epoch, moved when its passages are rewritten or deleted: a saved index
  // snapshot of an older epoch is not used (see providers/search/index-snapshot.ts).
  `CREATE TABLE passage_epochs (
     tenant TEXT PRIMARY KEY,
     epoch INTEGER NOT NULL
   ) WITHOUT ROWID;`,
  ...HISTORIC_SHARED_MIGRATIONS.map((m) => m(SQLITE_TYPES)),
  // A channel's passages in the order they were written, as PostgreSQL's passages_by_tenant: a
  // search asks for the channel's last passage first, and reads only those after it holds.
  `CREATE INDEX chunks_by_tenant ON chunks (tenant, rowid);`,
];

const MIGRATIONS = migrationsFor('sqlite', HISTORIC_MIGRATIONS);

/**
 * Opens (creating if needed) the one SQLite file under DATA_DIR that holds the document registry
 * and, for the embedded store, the chunks. WAL mode so readers never wait for an ingest.
 */
export function openSqliteDatabase(dataDir: string, fileName = 'docent.db'): SqliteDatabase {
  const file = dataDir === ':memory:' ? ':memory:' : path.join(dataDir, fileName);
  if (file !== ':memory:') fs.mkdirSync(dataDir, { recursive: true });
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');
  migrate(db);
  return db;
}

function migrate(db: SqliteDatabase): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  for (let version = current; version < MIGRATIONS.length; version++) {
    const sql = MIGRATIONS[version];
    if (sql === undefined) break;
    db.transaction(() => {
      db.exec(sql);
      db.pragma(`user_version = ${version + 1}`);
    })();
  }
}
