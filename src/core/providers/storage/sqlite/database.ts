import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { HISTORIC_SHARED_MIGRATIONS, HISTORIC_TABLES, migrationsFor, SQLITE_TYPES } from '../sql/migrations.js';

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
  `${HISTORIC_TABLES.answers(SQLITE_TYPES)};
   ${HISTORIC_TABLES.feedback(SQLITE_TYPES)};`,
  `ALTER TABLE chunks ADD COLUMN ocr INTEGER NOT NULL DEFAULT 0;`,
  `${HISTORIC_TABLES.channelSettings(SQLITE_TYPES)};
   CREATE INDEX answers_by_tenant ON answers (tenant, created_at);
   CREATE INDEX documents_by_indexed ON documents (tenant, indexed_at);`,
  `${HISTORIC_TABLES.digestSchedules(SQLITE_TYPES)};
   CREATE INDEX digest_schedules_by_channel ON digest_schedules (platform, workspace, channel);
   ${HISTORIC_TABLES.digestRuns(SQLITE_TYPES)};`,
  // Per document, in how many of its passages each term occurs: the channel's term statistics for
  // judging whether retrieved passages cover a question (terms_saved = 0 for documents indexed before).
  `${HISTORIC_TABLES.documentTerms(SQLITE_TYPES)};
   CREATE INDEX document_terms_by_document ON document_terms (document_id);
   ALTER TABLE documents ADD COLUMN terms_saved INTEGER NOT NULL DEFAULT 0;`,
  // Follow-up memory (the latest /ask turns per conversation), kept across restarts.
  `${HISTORIC_TABLES.conversationTurns(SQLITE_TYPES)};
   CREATE INDEX conversation_turns_by_key ON conversation_turns (key, seq);
   CREATE INDEX conversation_turns_by_age ON conversation_turns (at);`,
  // Deliveries taken on (Slack event ids, Discord interaction and message ids): each runs once.
  `${HISTORIC_TABLES.deliveries(SQLITE_TYPES)};
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
