/**
 * Where words were said: `platform:workspace:channel`. Every chunk carries one and every
 * retrieval filters on it, so a channel only ever sees the documents posted in it.
 */
export interface Scope {
  readonly platform: string;
  readonly workspace: string;
  readonly channel: string;
}

export function tenantKey(scope: Scope): string {
  for (const part of [scope.platform, scope.workspace, scope.channel]) {
    if (part.length === 0 || part.includes(':')) {
      throw new Error(`Invalid scope part ${JSON.stringify(part)}: must be non-empty and contain no ':'`);
    }
  }
  return `${scope.platform}:${scope.workspace}:${scope.channel}`;
}

/** Who did something, as people see them. */
export interface Actor {
  readonly id: string;
  readonly name: string;
}

/** A file handed to Docent by a platform adapter, read lazily so size can be checked first. */
export interface FileSource {
  readonly name: string;
  /** Size in bytes when the platform says it before download; checked against the limits first. */
  readonly size: number | undefined;
  /** Where the file was posted (a message link), shown next to citations when known. */
  readonly link?: string;
  /**
   * Where the upload came from, as keys a deletion there can be matched against:
   * `discord:message:<id>`, `slack:message:<channel>:<ts>`, `slack:file:<id>`; together they
   * are one posting, and the deletion of any of them removes it. None for files given to a
   * command (they have no message of their own).
   */
  readonly origins?: readonly string[];
  /** The MIME type the platform gives (`video/mp4`); what the file is, is still judged by its bytes. */
  readonly mimeType?: string;
  read(maxBytes: number): Promise<Buffer>;
}

export type DocumentStatus = 'indexing' | 'ready' | 'deleting';

export interface DocumentRecord {
  readonly id: string;
  readonly tenant: string;
  readonly storeKey: string;
  readonly name: string;
  readonly sha256: string;
  readonly bytes: number;
  readonly pages: number;
  readonly chunks: number;
  readonly ocrPages: number;
  readonly status: DocumentStatus;
  readonly uploadedBy: Actor;
  readonly link: string | undefined;
  readonly createdAt: string;
  readonly indexedAt: string | undefined;
}

/** Sparse lexical representation of a text: token ids (32-bit hashes) and their weights. */
export interface SparseTerms {
  readonly indices: number[];
  readonly values: number[];
}

export interface ChunkDraft {
  readonly page: number;
  readonly heading: string | undefined;
  readonly text: string;
  /** Read from the page image (scanned page), not from a text layer. */
  readonly ocr?: boolean;
}

/** One chunk as the vector store holds it. */
export interface StoredChunk {
  readonly id: string;
  readonly tenant: string;
  readonly documentId: string;
  readonly file: string;
  readonly ordinal: number;
  readonly page: number;
  readonly heading: string | undefined;
  readonly text: string;
  /** Normalised tokens, space separated; the lexical index is built from these. */
  readonly tokens: string;
  readonly sparse: SparseTerms;
  readonly vector: Float32Array | undefined;
  readonly ocr?: boolean;
}

export interface SearchQuery {
  readonly tenant: string;
  /** Only these documents may be returned: the tenant's fully indexed ones. */
  readonly documentIds: readonly string[];
  readonly tokens: string;
  readonly sparse: SparseTerms;
  readonly vector: Float32Array | undefined;
  readonly limit: number;
}

export interface SearchHit {
  readonly chunkId: string;
  readonly documentId: string;
  readonly file: string;
  readonly page: number;
  readonly heading: string | undefined;
  readonly text: string;
  /** Fused relevance; higher is better. Comparable only within one result list. */
  readonly score: number;
  readonly ocr?: boolean;
}

export interface Citation {
  readonly n: number;
  readonly documentId: string;
  readonly file: string;
  readonly page: number;
  readonly heading: string | undefined;
  /** How the place is cited: "page 4", "§ Failover", "rows 10–18" (see providers/readers/formats). */
  readonly location: string;
  readonly score: number;
  readonly excerpt: string;
  readonly link: string | undefined;
  /** The passage was read from a scanned page. */
  readonly ocr?: boolean;
}

export { isImageFile, isVideoFile, READABLE_VIDEOS } from './media-kinds.js';

/** One question and its answer, remembered for follow-ups. */
export interface Turn {
  readonly question: string;
  readonly answer: string;
}
