import type { IndexSnapshots } from './index-snapshot.js';

/** How a store that searches in memory (SQLite, PostgreSQL) keeps its channel indexes. */
export interface InMemoryStoreOptions {
  /** Cosine similarity below which a dense match is not relevant. */
  readonly minSimilarity: number;
  /** Memory allowed for cached channel indexes; the least recently used are dropped beyond it. */
  readonly cacheBytes?: number;
  /** Passages read per step when a channel's index is built; the event loop runs between steps. */
  readonly buildBatch?: number;
  /** Where channel index snapshots are saved (this process's DATA_DIR/index-cache); none when absent. */
  readonly snapshots?: IndexSnapshots;
  /** Channels with fewer passages build fast enough without a snapshot. */
  readonly snapshotMinRows?: number;
}

/** Below this many passages a channel's index builds in well under a second: no snapshot. */
export const SNAPSHOT_MIN_ROWS = 5_000;

/** 1 GiB of cached channel indexes unless configured. */
export const DEFAULT_CACHE_BYTES = 1024 ** 3;
