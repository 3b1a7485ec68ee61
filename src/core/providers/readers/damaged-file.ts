/**
 * A reader found the file's structure broken (an archive that does not unpack, a document its
 * parser rejects). The message is the cause; the file's format says it in its own words (its
 * `refusals.damaged`), so a reader never has to know which format it was handed as.
 */
export class DamagedFileError extends Error {
  override readonly name = 'DamagedFileError';
}
