/**
 * A passage's fields as the stores keep them, under the names they keep them by: the columns of
 * SQLite's `chunks` and PostgreSQL's `passages`, and the payload of a Qdrant point. Each store adds
 * what it keeps besides (ids, tokens, vectors, the OCR flag in its own form).
 */
export interface PassageFields {
  readonly tenant: string;
  readonly document_id: string;
  readonly file: string;
  readonly ordinal: number;
  readonly page: number;
  readonly heading: string | null;
  readonly text: string;
}
