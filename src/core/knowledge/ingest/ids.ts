import { createHash } from 'node:crypto';

/** A document's id: the same bytes in the same channel (and store) always get the same id. */
export function documentId(tenant: string, storeKey: string, sha256: string): string {
  return createHash('sha256').update(`${tenant}\n${storeKey}\n${sha256}`).digest('hex').slice(0, 32);
}

/**
 * A chunk's id as a deterministic UUID (RFC 9562 version 8, name-based from SHA-256), the only
 * string form Qdrant accepts for point ids. Re-indexing the same document rewrites the same points.
 */
export function chunkId(documentId: string, ordinal: number): string {
  const bytes = createHash('sha256').update(`${documentId}#${ordinal}`).digest().subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

export function sha256Hex(data: Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}
