import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** ../shared beside the checkout: specs, hostile PDFs and samples. Never copied into the project. */
export const sharedDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../shared');

export function sharedFile(...parts: string[]): string | undefined {
  const file = path.join(sharedDir, ...parts);
  if (fs.existsSync(file)) return file;
  console.warn(`[notice] ${path.join('../shared', ...parts)} is absent: tests that need it are skipped.`);
  return undefined;
}

export const qdrantSpecPath = sharedFile('specs', 'qdrant-openapi.json');
