import { UnreadableDocumentError } from '../../ports/errors.js';
import { safeUnzip } from '../../lib/safe-unzip.js';
import { DamagedFileError } from './damaged-file.js';

/**
 * The entries `wanted` picks from a ZIP-based document, inflated under the reading's unpack
 * limits (lib/safe-unzip.ts). An archive that inflates past them is refused as such; one that
 * does not unpack is damaged, in its format's words.
 */
export function unpackArchive(data: Uint8Array, wanted?: (name: string) => boolean): Record<string, Uint8Array> {
  try {
    return safeUnzip(data, wanted);
  } catch (error) {
    if (error instanceof UnreadableDocumentError) throw error;
    throw new DamagedFileError(error instanceof Error ? error.message : String(error));
  }
}
