import type { StoredPassage } from '../../ports.js';

/** A passage row as the SQLite and PostgreSQL stores select it (`ordinal, page, heading, text`). */
export interface PassageRow {
  ordinal: number;
  page: number;
  heading: string | null;
  text: string;
}

export function toPassage(row: PassageRow): StoredPassage {
  return { ordinal: row.ordinal, page: row.page, heading: row.heading ?? undefined, text: row.text };
}
