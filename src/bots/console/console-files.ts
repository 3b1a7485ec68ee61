import { isDocumentFile } from '../../core/public-surface.js';
import fs from 'node:fs/promises';
import path from 'node:path';
import { BadInputError } from '../../core/ports/errors.js';
import type { FileSource } from '../../core/ports/types.js';

/** A local file as a FileSource: its size is known before reading, and reading stops past the cap. */
export function localFile(filePath: string, size: number, displayName = path.basename(filePath)): FileSource {
  return {
    name: displayName,
    size,
    link: undefined,
    async read(maxBytes) {
      const handle = await fs.open(filePath, 'r');
      try {
        const length = Math.min(size, maxBytes + 1);
        const buffer = Buffer.alloc(length);
        const { bytesRead } = await handle.read(buffer, 0, length, 0);
        return buffer.subarray(0, bytesRead);
      } finally {
        await handle.close();
      }
    },
  };
}

/**
 * Expands a path given to /index: a file as itself (whatever its name; its content decides),
 * a folder as every document Docent reads below it, recursively, in a stable order.
 */
export async function resolvePaths(target: string, cwd: string): Promise<FileSource[]> {
  const absolute = path.resolve(cwd, target);
  let stat;
  try {
    stat = await fs.stat(absolute);
  } catch {
    throw new BadInputError('no_such_path', `No such file or folder: ${target}`);
  }
  if (stat.isFile()) return [localFile(absolute, stat.size)];
  if (!stat.isDirectory()) throw new BadInputError('no_such_path', `${target} is neither a file nor a folder.`);

  const files: FileSource[] = [];
  const walk = async (dir: string): Promise<void> => {
    const entries = (await fs.readdir(dir, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile() && isDocumentFile(entry.name)) {
        const size = (await fs.stat(full)).size;
        files.push(localFile(full, size, path.relative(absolute, full)));
      }
    }
  };
  await walk(absolute);
  if (files.length === 0) throw new BadInputError('no_pdfs', `No documents in ${target} (folders are searched recursively for PDF, Office, Markdown, HTML, CSV and text files).`);
  return files;
}
