import { spawn } from 'node:child_process';
import path from 'node:path';

/**
 * Runs crash-ingest.ts (a Docent indexing `pdfPath`, on PostgreSQL when `databaseUrl` is given)
 * and SIGKILLs it once it has stored the first pages; resolves when it is gone.
 */
export async function killMidIngest(dataDir: string, pdfPath: string, databaseUrl?: string): Promise<void> {
  const script = path.resolve(import.meta.dirname, 'crash-ingest.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', script, dataDir, pdfPath, ...(databaseUrl ? [databaseUrl] : [])], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('MID-INGEST')) {
        child.kill('SIGKILL');
        resolve();
      }
      if (out.includes('FINISHED')) reject(new Error('the ingest finished before it could be killed'));
    });
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child exited early: code ${code}`));
    });
  });
  await new Promise((resolve) => child.once('close', resolve));
}
