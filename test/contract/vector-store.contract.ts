import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chunkId } from '../../src/core/knowledge/ingest/ids.js';
import { documentTerms, queryTerms, tokenize } from '../../src/core/lib/tokenizer.js';
import { normalise } from '../../src/core/providers/models/gemini-embedder.js';
import type { VectorStore } from '../../src/core/ports/ports.js';
import type { SearchQuery, StoredChunk } from '../../src/core/ports/types.js';
import { fakeEmbedding } from '../fakes/gemini-fake.js';

export const CONTRACT_DIMENSIONS = 32;

export interface StoreUnderTest {
  readonly store: VectorStore;
  cleanup(): Promise<void>;
}

function embed(text: string): Float32Array {
  return normalise(fakeEmbedding(text, CONTRACT_DIMENSIONS));
}

export function makeChunk(tenant: string, documentId: string, ordinal: number, text: string, withVector = true): StoredChunk {
  const tokens = tokenize(text);
  return {
    id: chunkId(documentId, ordinal),
    tenant,
    documentId,
    file: `${documentId}.pdf`,
    ordinal,
    page: ordinal + 1,
    heading: ordinal === 0 ? 'Introduction' : undefined,
    text,
    tokens: tokens.join(' '),
    sparse: documentTerms(tokens),
    vector: withVector ? embed(text) : undefined,
  };
}

export function makeQuery(tenant: string, documentIds: string[], question: string, withVector = true, limit = 5): SearchQuery {
  const tokens = tokenize(question);
  return { tenant, documentIds, tokens: tokens.join(' '), sparse: queryTerms(tokens), vector: withVector ? embed(question) : undefined, limit };
}

const A = 'slack:W1:C-alpha';
const B = 'slack:W1:C-beta';
const OTHER_WORKSPACE = 'slack:W2:C-alpha';

/**
 * The behaviour every VectorStore must have, run against SQLite, the Qdrant fake and (when
 * QDRANT_URL is set) a real Qdrant. Tenant isolation is the property that matters most.
 */
export function describeVectorStoreContract(name: string, create: () => Promise<StoreUnderTest>): void {
  describe(`VectorStore contract: ${name}`, () => {
    let subject: StoreUnderTest;
    let store: VectorStore;

    beforeAll(async () => {
      subject = await create();
      store = subject.store;
      await store.init();
      await store.upsert([
        makeChunk(A, 'doc-a1', 0, 'The median household income in Ohio rose to 66,990 dollars in 2022.'),
        makeChunk(A, 'doc-a1', 1, 'Private health insurance coverage declined among young adults in the region.'),
        makeChunk(A, 'doc-a2', 0, 'Volcano eruptions in Iceland disrupted air travel across northern Europe.'),
        makeChunk(B, 'doc-b1', 0, 'The median household income in Texas reached 73,035 dollars, a confidential figure.'),
        makeChunk(OTHER_WORKSPACE, 'doc-w2', 0, 'Secret merger plans: median household income of acquired staff.'),
      ]);
    });

    afterAll(async () => {
      await store.close();
      await subject.cleanup();
    });

    it('finds the chunk that matches the question, lexically and in hybrid mode', async () => {
      for (const withVector of [false, true]) {
        const hits = await store.search(makeQuery(A, ['doc-a1', 'doc-a2'], 'median household income Ohio', withVector));
        expect(hits.length).toBeGreaterThan(0);
        expect(hits[0]).toMatchObject({ documentId: 'doc-a1', page: 1, heading: 'Introduction', file: 'doc-a1.pdf' });
        expect(hits[0].text).toContain('66,990');
        for (const hit of hits) {
          expect(hit.score).toBeGreaterThan(0);
          expect(hit.score).toBeLessThanOrEqual(1.0000001);
        }
      }
    });

    it('never returns another channel’s or another workspace’s chunks, even when asked for their ids', async () => {
      for (const withVector of [false, true]) {
        const hits = await store.search(makeQuery(A, ['doc-a1', 'doc-a2', 'doc-b1', 'doc-w2'], 'median household income Texas confidential merger', withVector, 20));
        expect(hits.length).toBeGreaterThan(0);
        for (const hit of hits) expect(['doc-a1', 'doc-a2']).toContain(hit.documentId);
        expect(hits.map((h) => h.text).join(' ')).not.toMatch(/Texas|merger/);
      }
    });

    it('returns only the documents it is told are visible', async () => {
      const hits = await store.search(makeQuery(A, ['doc-a2'], 'median household income volcano', true, 20));
      expect(hits.map((h) => h.documentId)).toEqual(['doc-a2']);
      expect(await store.search(makeQuery(A, [], 'median household income'))).toEqual([]);
    });

    it('returns nothing for a question with no searchable words and no vector', async () => {
      expect(await store.search(makeQuery(A, ['doc-a1'], 'the of and', false))).toEqual([]);
    });

    it('keeps one copy of a chunk written twice (deterministic ids)', async () => {
      const again = makeChunk(A, 'doc-a2', 0, 'Volcano eruptions in Iceland disrupted air travel across northern Europe.');
      await store.upsert([again]);
      await store.upsert([again]);
      expect(await store.countChunks(A, 'doc-a2')).toBe(1);
    });

    it('deletes every chunk of one document and nothing else', async () => {
      await store.upsert([makeChunk(B, 'doc-b2', 0, 'Temporary notes about glaciers.'), makeChunk(B, 'doc-b2', 1, 'More glacier notes.')]);
      expect(await store.countChunks(B, 'doc-b2')).toBe(2);
      await store.deleteDocument(B, 'doc-b2');
      expect(await store.countChunks(B, 'doc-b2')).toBe(0);
      expect(await store.countChunks(B, 'doc-b1')).toBe(1);
      expect(await store.search(makeQuery(B, ['doc-b2'], 'glacier notes'))).toEqual([]);
    });

    it('deleting in one tenant leaves the same document id in another tenant alone', async () => {
      await store.upsert([makeChunk(A, 'shared-id', 0, 'Alpha copy of the handbook.'), makeChunk(B, 'shared-id', 1, 'Beta copy of the handbook.')]);
      await store.deleteDocument(A, 'shared-id');
      expect(await store.countChunks(A, 'shared-id')).toBe(0);
      expect(await store.countChunks(B, 'shared-id')).toBe(1);
    });

    it('reads a document’s passages back in reading order, only from its own tenant', async () => {
      // Written out of order, and more than one page of Qdrant's scroll.
      const chunks = Array.from({ length: 300 }, (_, i) => makeChunk(A, 'doc-read', i, `Passage ${i} of the handbook about tides.`, false));
      await store.upsert([...chunks.slice(150), ...chunks.slice(0, 150)]);
      await store.upsert([{ ...makeChunk(B, 'doc-read', 0, 'Another workspace’s passage.', false), id: chunkId('doc-read-in-another-workspace', 0) }]);
      const passages = await store.passages(A, 'doc-read');
      expect(passages).toHaveLength(300);
      expect(passages.slice(0, 2)).toEqual([
        { ordinal: 0, page: 1, heading: 'Introduction', text: 'Passage 0 of the handbook about tides.' },
        { ordinal: 1, page: 2, heading: undefined, text: 'Passage 1 of the handbook about tides.' },
      ]);
      expect(passages.map((p) => p.ordinal)).toEqual(chunks.map((c) => c.ordinal));
      expect(await store.passages(B, 'doc-read')).toHaveLength(1);
      expect(await store.passages(A, 'no-such-document')).toEqual([]);
      // A sample (telling a document's language): at most that many, in reading order.
      const sample = await store.passages(A, 'doc-read', 5);
      expect(sample).toHaveLength(5);
      expect(sample.map((p) => p.ordinal)).toEqual([...sample.map((p) => p.ordinal)].sort((a, b) => a - b));
    });

    it('tokenizes a document’s passages again: a question meets them only after, in their own channel only', async () => {
      const texts = ['Inspectors examined the ferries and their safety regulations.', 'Harbour cranes were repainted in spring.'];
      // As an older Docent stored them: plain lower-case words, no stemming.
      const oldStyle = (tenant: string, ordinal: number): StoredChunk => {
        const tokens = texts[ordinal].toLowerCase().match(/[\p{L}\p{N}]+/gu) ?? [];
        return { ...makeChunk(tenant, 'doc-retok', ordinal, texts[ordinal]), tokens: tokens.join(' '), sparse: documentTerms(tokens) };
      };
      await store.upsert([oldStyle(A, 0), oldStyle(A, 1)]);
      await store.upsert([{ ...oldStyle(B, 0), id: chunkId('doc-retok-in-another-channel', 0) }]);
      const question = (tenant: string) => makeQuery(tenant, ['doc-retok'], 'ferry regulation', false);
      // Searched once before: a store that keeps the channel's index in memory has it cached now.
      expect(await store.search(question(A))).toEqual([]);

      const current = texts.map((text, ordinal) => {
        const tokens = tokenize(text);
        return { ordinal, tokens: tokens.join(' '), sparse: documentTerms(tokens) };
      });
      // A passage the store does not hold (ordinal 7) is skipped.
      await store.retokenize(A, 'doc-retok', [...current, { ordinal: 7, tokens: 'absent', sparse: documentTerms(['absent']) }]);
      const hits = await store.search(question(A));
      expect(hits.map((h) => [h.documentId, h.text])).toEqual([['doc-retok', texts[0]]]);
      expect(hits[0]).toMatchObject({ page: 1, heading: 'Introduction', file: 'doc-retok.pdf' });
      expect(await store.countChunks(A, 'doc-retok')).toBe(2);
      // The dense vectors stay as they were.
      expect((await store.search(makeQuery(A, ['doc-retok'], texts[1], true)))[0]?.text).toBe(texts[1]);
      // The same document id in another channel keeps its own tokens.
      expect(await store.search(question(B))).toEqual([]);
      await store.retokenize(A, 'doc-retok', []);
    });

    it('stores chunks without vectors and still finds them lexically', async () => {
      await store.upsert([makeChunk(A, 'doc-novec', 0, 'Quarterly tuna fishing quotas were reduced.', false)]);
      const hits = await store.search(makeQuery(A, ['doc-novec'], 'tuna quotas', false));
      expect(hits.map((h) => h.documentId)).toEqual(['doc-novec']);
    });
  });
}
