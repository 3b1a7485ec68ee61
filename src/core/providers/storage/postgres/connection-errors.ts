import type pg from 'pg';
import { DatabaseUnavailableError } from '../../../ports/errors.js';
import type { ReachabilityWatch } from '../../../ports/ports.js';
import { reasonOf } from '../../../lib/dependency-monitor.js';

/**
 * What says the server cannot be reached, rather than that a query is wrong: the socket's errors,
 * SQLSTATE class 08 (connection exception), 57P01–57P03 (the server shut down, crashed, or is
 * starting or stopping), and node-postgres's own words for a connection that ended.
 */
const SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);
const SERVER_CODES = new Set(['57P01', '57P02', '57P03']);
const DRIVER_MESSAGES = /^Connection terminated\b|^Client has encountered a connection error and is not queryable/;

export function isConnectionError(error: unknown, depth = 0): boolean {
  if (typeof error !== 'object' || error === null || depth > 4) return false;
  const code = (error as { code?: unknown }).code;
  if (typeof code === 'string' && (SOCKET_CODES.has(code) || SERVER_CODES.has(code) || /^08[0-9A-Z]{3}$/.test(code))) return true;
  if (error instanceof Error && DRIVER_MESSAGES.test(error.message)) return true;
  // Node tries each address of a host name and reports them all (AggregateError), or wraps a cause.
  if (error instanceof AggregateError && error.errors.some((e) => isConnectionError(e, depth + 1))) return true;
  return error instanceof Error && error.cause !== undefined && isConnectionError(error.cause, depth + 1);
}

/** A connection-level failure as the database being unavailable; anything else as it was. */
export function asUnavailable(error: unknown): unknown {
  if (error instanceof DatabaseUnavailableError || !isConnectionError(error)) return error;
  return new DatabaseUnavailableError({ cause: error, detail: reasonOf(error) });
}

type Queryable = Pick<pg.Pool, 'query'> | Pick<pg.PoolClient, 'query'>;

function isPromise(value: unknown): value is Promise<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

/**
 * The pool as every PostgreSQL store uses it, with each query and checkout watched: a
 * connection-level failure tells the watch and is thrown as a DatabaseUnavailableError (so the
 * user reads that the database cannot be reached, not "something went wrong"), a success tells
 * the watch the server answers. Idle connections the server drops tell the watch too.
 */
export function watchedPool(pool: pg.Pool, watch: ReachabilityWatch | undefined): pg.Pool {
  pool.on('error', (error) => {
    if (isConnectionError(error)) watch?.failed(error);
  });
  const settle = <T>(result: Promise<T>): Promise<T> =>
    result.then(
      (value) => {
        watch?.succeeded();
        return value;
      },
      (error: unknown) => {
        if (isConnectionError(error)) watch?.failed(error);
        throw asUnavailable(error);
      },
    );
  // query() returns a promise unless given a callback (which Docent never passes): that is kept as it is.
  const query = (target: Queryable) =>
    function watchedQuery(...args: unknown[]): unknown {
      const result: unknown = Reflect.apply(target.query, target, args);
      return isPromise(result) ? settle(result) : result;
    };
  const client = (checkedOut: pg.PoolClient): pg.PoolClient =>
    new Proxy(checkedOut, {
      get: (target, property) => (property === 'query' ? query(target) : bound(target, property)),
    });
  return new Proxy(pool, {
    get(target, property) {
      if (property === 'query') return query(target);
      if (property === 'connect') {
        return (...args: unknown[]): unknown => {
          const result: unknown = Reflect.apply(target.connect, target, args);
          return isPromise(result) ? settle(result as Promise<pg.PoolClient>).then(client) : result;
        };
      }
      return bound(target, property);
    },
  });
}

/** A property of `target`, its methods bound to it (a Proxy would otherwise call them on itself). */
function bound(target: object, property: string | symbol): unknown {
  const value: unknown = Reflect.get(target, property, target);
  return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
}
