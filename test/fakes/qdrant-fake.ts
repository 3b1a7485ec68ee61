import { OpenApiValidator } from './openapi-validator.js';
import { startJsonServer, type FakeServer, type JsonResponse, type RecordedRequest } from './http.js';

type PointId = string | number;
interface SparseVector {
  indices: number[];
  values: number[];
}
type VectorValue = number[] | SparseVector;
interface StoredPoint {
  id: PointId;
  version: number;
  vectors: Record<string, VectorValue>;
  payload: Record<string, unknown>;
}
interface Collection {
  dense: Record<string, { size: number; distance: string }>;
  sparse: Record<string, { modifier?: string | null }>;
  points: Map<string, StoredPoint>;
  payloadIndexes: Record<string, unknown>;
}
interface Condition {
  key?: string;
  match?: { value?: unknown; any?: unknown[]; except?: unknown[] };
  must?: Condition | Condition[] | null;
  should?: Condition | Condition[] | null;
  must_not?: Condition | Condition[] | null;
  has_id?: PointId[];
}
interface QueryBody {
  prefetch?: QueryBody | QueryBody[] | null;
  query?: unknown;
  using?: string | null;
  filter?: Condition | null;
  limit?: number | null;
  score_threshold?: number | null;
  with_payload?: boolean | null;
}

export interface FakeQdrant extends FakeServer {
  readonly collections: Map<string, Collection>;
  /** Every request body that failed validation against the OpenAPI spec, with the reason. */
  readonly rejected: { path: string; reason: string }[];
  /** Makes the next `count` requests whose path matches fail with HTTP `status`. */
  failNext(pathPattern: RegExp, count: number, status: number): void;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A behavioural Qdrant fake for @qdrant/js-client-rest. Every request body is validated
 * against the official OpenAPI spec, and it rejects what real Qdrant rejects: string ids that
 * are not UUIDs, unknown vector names, wrong dimensions, missing collections. It stores
 * points, filters payloads, scores dense (cosine) and sparse (dot product, IDF modifier)
 * vectors, and fuses prefetches with RRF.
 */
export async function startFakeQdrant(specPath: string, options: { apiKey?: string } = {}): Promise<FakeQdrant> {
  const validator = new OpenApiValidator(specPath);
  const collections = new Map<string, Collection>();
  const rejected: FakeQdrant['rejected'] = [];
  const failures: { pattern: RegExp; status: number }[] = [];
  let version = 0;

  const ok = (result: unknown): JsonResponse => ({ status: 200, body: { result, status: 'ok', time: 0.0001 } });
  const error = (status: number, message: string): JsonResponse => ({ status, body: { status: { error: message }, time: 0.0001 } });
  const completed = () => ok({ operation_id: ++version, status: 'completed' });

  const handle = (request: RecordedRequest): JsonResponse => {
    if (options.apiKey !== undefined && request.headers['api-key'] !== options.apiKey) return error(401, 'Invalid api-key');
    if (request.method === 'GET' && request.path === '/') return { status: 200, body: { title: 'qdrant - vector search engine', version: '1.19.0' } };
    if (request.method === 'GET' && request.path === '/readyz') return { status: 200, body: 'all shards are ready', headers: { 'content-type': 'text/plain' } };
    const failureIndex = failures.findIndex((f) => f.pattern.test(request.path));
    if (failureIndex >= 0) {
      const [failure] = failures.splice(failureIndex, 1);
      return error(failure.status, 'Service Unavailable (injected)');
    }
    const template = validator.matchPath(request.path);
    if (template === undefined) return error(404, `Not found: ${request.path}`);
    if (request.body !== undefined) {
      const reason = validator.validateBody(request.method, template, request.body);
      if (reason) {
        rejected.push({ path: request.path, reason });
        return error(400, `Format error in JSON body: ${reason}`);
      }
    }
    const segments = request.path.split('/').filter(Boolean);
    const name = decodeURIComponent(segments[1] ?? '');
    const action = segments.slice(2).join('/');
    const collection = collections.get(name);

    if (action === 'exists' && request.method === 'GET') return ok({ exists: collection !== undefined });
    if (action === '') {
      if (request.method === 'PUT') {
        if (collection) return error(409, `Wrong input: Collection \`${name}\` already exists!`);
        const body = request.body as { vectors?: Record<string, unknown>; sparse_vectors?: Record<string, { modifier?: string }> };
        const vectors = body.vectors ?? {};
        const dense: Collection['dense'] =
          'size' in vectors ? { '': vectors as { size: number; distance: string } } : (vectors as Collection['dense']);
        collections.set(name, { dense, sparse: body.sparse_vectors ?? {}, points: new Map(), payloadIndexes: {} });
        return ok(true);
      }
      if (!collection) return error(404, `Not found: Collection \`${name}\` doesn't exist!`);
      if (request.method === 'GET') {
        return ok({
          status: 'green',
          optimizer_status: 'ok',
          points_count: collection.points.size,
          segments_count: 1,
          config: {
            params: { vectors: collection.dense[''] ?? collection.dense, sparse_vectors: collection.sparse, shard_number: 1, replication_factor: 1, write_consistency_factor: 1, on_disk_payload: true },
            hnsw_config: { m: 16, ef_construct: 100, full_scan_threshold: 10000, max_indexing_threads: 0 },
            optimizer_config: { deleted_threshold: 0.2, vacuum_min_vector_number: 1000, default_segment_number: 0, flush_interval_sec: 5 },
            wal_config: { wal_capacity_mb: 32, wal_segments_ahead: 0 },
          },
          payload_schema: collection.payloadIndexes,
        });
      }
      if (request.method === 'DELETE') {
        collections.delete(name);
        return ok(true);
      }
    }
    if (!collection) return error(404, `Not found: Collection \`${name}\` doesn't exist!`);

    switch (`${request.method} ${action}`) {
      case 'PUT index': {
        const body = request.body as { field_name: string; field_schema?: unknown };
        collection.payloadIndexes[body.field_name] = body.field_schema ?? null;
        return completed();
      }
      case 'PUT points': {
        const body = request.body as { points: { id: PointId; vector: Record<string, VectorValue> | number[]; payload?: Record<string, unknown> | null }[] };
        for (const point of body.points) {
          if (typeof point.id === 'string' && !UUID.test(point.id)) {
            return error(400, `Format error in JSON body: value ${point.id} is not a valid point ID, valid values are either an unsigned integer or a UUID`);
          }
          const vectors = Array.isArray(point.vector) ? { '': point.vector } : point.vector;
          for (const [vectorName, value] of Object.entries(vectors)) {
            const problem = checkVector(collection, vectorName, value);
            if (problem) return error(400, problem);
          }
        }
        for (const point of body.points) {
          const vectors = Array.isArray(point.vector) ? { '': point.vector } : point.vector;
          collection.points.set(String(point.id), { id: point.id, version: ++version, vectors, payload: point.payload ?? {} });
        }
        return completed();
      }
      case 'PUT points/vectors': {
        // Replaces the named vectors given and keeps the others; like Qdrant, a missing point fails the request.
        const body = request.body as { points: { id: PointId; vector: Record<string, VectorValue> | number[] }[] };
        for (const point of body.points) {
          if (!collection.points.has(String(point.id))) return error(404, `Not found: No point with id ${point.id} found`);
          const vectors = Array.isArray(point.vector) ? { '': point.vector } : point.vector;
          for (const [vectorName, value] of Object.entries(vectors)) {
            const problem = checkVector(collection, vectorName, value);
            if (problem) return error(400, problem);
          }
        }
        for (const point of body.points) {
          const stored = collection.points.get(String(point.id));
          const vectors = Array.isArray(point.vector) ? { '': point.vector } : point.vector;
          if (stored) collection.points.set(String(point.id), { ...stored, version: ++version, vectors: { ...stored.vectors, ...vectors } });
        }
        return completed();
      }
      case 'POST points/delete': {
        const body = request.body as { filter?: Condition; points?: PointId[] };
        for (const [key, point] of collection.points) {
          if ((body.filter && matches(point, body.filter)) || body.points?.some((id) => String(id) === key)) collection.points.delete(key);
        }
        return completed();
      }
      case 'POST points/count': {
        const body = (request.body ?? {}) as { filter?: Condition | null };
        const count = [...collection.points.values()].filter((p) => !body.filter || matches(p, body.filter)).length;
        return ok({ count });
      }
      case 'POST points/scroll': {
        // Qdrant scrolls in point id order; `offset` is the first id of the page, `next_page_offset` the next page's.
        const body = (request.body ?? {}) as { filter?: Condition | null; limit?: number | null; with_payload?: boolean | string[] | null; offset?: string | number | null };
        const sorted = [...collection.points.values()].filter((p) => !body.filter || matches(p, body.filter)).sort((a, b) => String(a.id).localeCompare(String(b.id)));
        const from = body.offset === undefined || body.offset === null ? 0 : sorted.findIndex((p) => String(p.id) >= String(body.offset));
        const limit = body.limit ?? 10;
        const page = from < 0 ? [] : sorted.slice(from, from + limit);
        const next = from < 0 ? undefined : sorted[from + limit];
        const payloadOf = (payload: Record<string, unknown>) =>
          body.with_payload === false ? null : Array.isArray(body.with_payload) ? Object.fromEntries(body.with_payload.filter((k) => k in payload).map((k) => [k, payload[k]])) : payload;
        return ok({ points: page.map((p) => ({ id: p.id, payload: payloadOf(p.payload) })), next_page_offset: next?.id ?? null });
      }
      case 'POST points/query': {
        const body = request.body as QueryBody;
        const result = runQuery(collection, body, undefined);
        if (typeof result === 'string') return error(400, result);
        return ok({
          points: result.slice(0, body.limit ?? 10).map((r) => ({
            id: r.point.id,
            version: r.point.version,
            score: r.score,
            payload: body.with_payload === false ? null : r.point.payload,
          })),
        });
      }
      default:
        return error(404, `Not found: ${request.method} ${request.path} is not in this fake`);
    }
  };

  const server = await startJsonServer(handle);
  return {
    ...server,
    collections,
    rejected,
    failNext(pattern, count, status) {
      for (let i = 0; i < count; i++) failures.push({ pattern, status });
    },
  };
}

function checkVector(collection: Collection, name: string, value: VectorValue): string | undefined {
  if (Array.isArray(value)) {
    const params = collection.dense[name];
    if (!params) return `Wrong input: Not existing vector name error: ${name}`;
    if (value.length !== params.size) return `Wrong input: Vector dimension error: expected dim: ${params.size}, got ${value.length}`;
    return undefined;
  }
  if (!collection.sparse[name]) return `Wrong input: Not existing vector name error: ${name}`;
  if (value.indices.length !== value.values.length) return 'Validation error in JSON body: indices and values must be the same length';
  if (new Set(value.indices).size !== value.indices.length) return 'Validation error in JSON body: indices must be unique';
  return undefined;
}

function asList(condition: Condition | Condition[] | null | undefined): Condition[] {
  if (condition === null || condition === undefined) return [];
  return Array.isArray(condition) ? condition : [condition];
}

function matches(point: StoredPoint, filter: Condition): boolean {
  const test = (c: Condition): boolean => {
    if (c.must !== undefined || c.should !== undefined || c.must_not !== undefined) return matches(point, c);
    if (c.has_id) return c.has_id.some((id) => String(id) === String(point.id));
    if (c.key === undefined || c.match === undefined) return false;
    const value = point.payload[c.key];
    if ('value' in c.match) return value === c.match.value;
    if (c.match.any) return c.match.any.includes(value);
    if (c.match.except) return !c.match.except.includes(value);
    return false;
  };
  const must = asList(filter.must);
  const should = asList(filter.should);
  const mustNot = asList(filter.must_not);
  return must.every(test) && (should.length === 0 || should.some(test)) && !mustNot.some(test);
}

function mergeFilters(a: Condition | null | undefined, b: Condition | null | undefined): Condition | undefined {
  if (!a) return b ?? undefined;
  if (!b) return a;
  return { must: [a, b] };
}

interface Scored {
  point: StoredPoint;
  score: number;
}

function runQuery(collection: Collection, body: QueryBody, outerFilter: Condition | undefined): Scored[] | string {
  const filter = mergeFilters(outerFilter, body.filter);
  const candidates = [...collection.points.values()].filter((p) => !filter || matches(p, filter));
  const prefetches = asList(body.prefetch as Condition | Condition[] | null | undefined) as QueryBody[];
  const query = body.query as Record<string, unknown> | number[] | undefined | null;

  if (query && !Array.isArray(query) && ('fusion' in query || 'rrf' in query)) {
    if (prefetches.length === 0) return 'Wrong input: fusion requires prefetch';
    const k = 'rrf' in query ? (((query.rrf as { k?: number | null } | null)?.k ?? 2) as number) : 2;
    const lists: Scored[][] = [];
    for (const prefetch of prefetches) {
      const result = runQuery(collection, prefetch, filter);
      if (typeof result === 'string') return result;
      lists.push(result.slice(0, prefetch.limit ?? 10));
    }
    const fused = new Map<string, Scored>();
    for (const list of lists) {
      list.forEach((item, rank) => {
        const key = String(item.point.id);
        const previous = fused.get(key);
        fused.set(key, { point: item.point, score: (previous?.score ?? 0) + 1 / (k + rank + 1) });
      });
    }
    return [...fused.values()].sort((a, b) => b.score - a.score);
  }

  const vectorInput = query && !Array.isArray(query) && 'nearest' in query ? query.nearest : query;
  const using = body.using ?? '';
  let scored: Scored[];
  if (Array.isArray(vectorInput)) {
    const params = collection.dense[using];
    if (!params) return `Wrong input: Not existing vector name error: ${using}`;
    if (vectorInput.length !== params.size) return `Wrong input: Vector dimension error: expected dim: ${params.size}, got ${vectorInput.length}`;
    const q = unit(vectorInput as number[]);
    scored = candidates.flatMap((point) => {
      const v = point.vectors[using];
      return Array.isArray(v) ? [{ point, score: dot(q, unit(v)) }] : [];
    });
  } else if (vectorInput && typeof vectorInput === 'object' && 'indices' in vectorInput) {
    const params = collection.sparse[using];
    if (!params) return `Wrong input: Not existing vector name error: ${using}`;
    const q = vectorInput as SparseVector;
    const all = [...collection.points.values()];
    const idf = (index: number): number => {
      if (params.modifier !== 'idf') return 1;
      const n = all.filter((p) => {
        const v = p.vectors[using];
        return v && !Array.isArray(v) && v.indices.includes(index);
      }).length;
      return Math.log((all.length - n + 0.5) / (n + 0.5) + 1);
    };
    scored = candidates.flatMap((point) => {
      const v = point.vectors[using];
      if (!v || Array.isArray(v)) return [];
      let score = 0;
      q.indices.forEach((index, i) => {
        const at = v.indices.indexOf(index);
        if (at >= 0) score += q.values[i] * v.values[at] * idf(index);
      });
      return score > 0 ? [{ point, score }] : [];
    });
  } else {
    scored = candidates.map((point) => ({ point, score: 0 }));
  }
  const threshold = body.score_threshold;
  return scored.filter((s) => threshold === undefined || threshold === null || s.score >= threshold).sort((a, b) => b.score - a.score);
}

function unit(v: number[]): number[] {
  const norm = Math.sqrt(v.reduce((s, x) => s + x * x, 0));
  return norm === 0 ? v : v.map((x) => x / norm);
}

function dot(a: number[], b: number[]): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * (b[i] ?? 0);
  return s;
}

