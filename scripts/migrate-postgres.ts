// npm run migrate:postgres — copies a SQLite install of Docent into PostgreSQL (DATABASE_URL).
import { ConfigError, loadConfig } from '../src/config.js';
import { DatabaseUnavailableError, isDocentError } from '../src/core/ports/errors.js';
import { migrateSqliteToPostgres, type MigrationReport } from '../src/composition/sqlite-to-postgres.js';
import { EnvFileError, loadEnvFile } from '../src/env-file.js';

if (process.argv.includes('--help') || process.argv.includes('-h')) {
  process.stdout.write(
    'Usage: npm run migrate:postgres\n\n' +
      'Copies the SQLite database under DATA_DIR (docent.db) into the PostgreSQL database DATABASE_URL names:\n' +
      'documents with their passages, digest schedules and runs, settings, answers and ratings, follow-up memory.\n' +
      'Passages go to Qdrant when QDRANT_URL is set, else to PostgreSQL. Reads the environment and .env, like Docent.\n' +
      'Stop Docent first. Rows already in PostgreSQL are kept, so an interrupted copy can be run again; the SQLite\n' +
      'file is left in place.\n',
  );
  process.exit(0);
}

const count = (n: number, one: string, many = `${one}s`) => `${n.toLocaleString('en-US')} ${n === 1 ? one : many}`;

function summary(report: MigrationReport): string {
  const table = (name: string) => report.tables.find((t) => t.table === name) ?? { read: 0, copied: 0 };
  const line = (name: string, one: string, many?: string) => {
    const t = table(name);
    return `  ${count(t.copied, one, many)}${t.read > t.copied ? ` (${t.read - t.copied} already there)` : ''}`;
  };
  const notes: string[] = [];
  if (report.unfinished > 0) notes.push(`  ${count(report.unfinished, 'document was', 'documents were')} left half-indexed or half-deleted by a crash and not copied; post them again.`);
  if (report.vectorsDropped > 0) notes.push(`  ${count(report.vectorsDropped, 'passage')} kept without a vector (another embedding model, or GEMINI_API_KEY unset); keyword search still finds them.`);
  if (report.elsewhere > 0) notes.push(`  ${count(report.elsewhere, 'document has its', 'documents have their')} passages in a Qdrant collection this configuration does not use: set QDRANT_URL (and QDRANT_COLLECTION_PREFIX) as before.`);
  return [
    `Copied ${report.from} into ${report.to}:`,
    `${line('documents', 'document')}, ${count(report.passages, 'passage')} into ${report.passagesInto}`,
    line('digest_schedules', 'digest schedule'),
    line('digest_runs', 'digest run'),
    line('channel_settings', 'setting'),
    line('answers', 'answer'),
    line('feedback', 'rating'),
    line('conversation_turns', 'follow-up turn'),
    ...notes,
    'Start Docent with DATABASE_URL set; the SQLite file is no longer read and can be kept as a backup.',
  ].join('\n');
}

try {
  loadEnvFile();
  const config = loadConfig(process.env);
  const report = await migrateSqliteToPostgres(config, (line) => process.stdout.write(`${line}\n`));
  process.stdout.write(`${summary(report)}\n`);
} catch (error) {
  if (error instanceof ConfigError || error instanceof EnvFileError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(78);
  }
  // An unreachable database stops the copy like any other failure: with the driver's reason, to run it again.
  if (isDocentError(error) && !(error instanceof DatabaseUnavailableError)) {
    process.stderr.write(`${error.userMessage}\n`);
    process.exit(78);
  }
  process.stderr.write(`The copy stopped: ${error instanceof Error ? error.message : String(error)}\nRun it again once that is fixed: what was copied is kept, and nothing is copied twice.\n`);
  process.exit(1);
}
