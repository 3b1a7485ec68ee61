import { describe, expect, it } from 'vitest';
import { DatabaseUnavailableError } from '../../../../src/core/ports/errors.js';
import { asUnavailable, isConnectionError } from '../../../../src/core/providers/storage/postgres/connection-errors.js';

const coded = (message: string, code: string) => Object.assign(new Error(message), { code });

describe('which PostgreSQL failures mean the database cannot be reached', () => {
  it('the socket refused or cut, the server shutting down or starting, SQLSTATE class 08, a connection that ended', () => {
    for (const error of [
      coded('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED'),
      coded('read ECONNRESET', 'ECONNRESET'),
      coded('getaddrinfo ENOTFOUND db', 'ENOTFOUND'),
      coded('terminating connection due to administrator command', '57P01'),
      coded('the database system is starting up', '57P03'),
      coded('connection failure', '08006'),
      new Error('Connection terminated unexpectedly'),
      new Error('Connection terminated due to connection timeout'),
      // Node tries every address of localhost and reports them together, with no message of its own.
      new AggregateError([coded('connect ECONNREFUSED ::1:5432', 'ECONNREFUSED'), coded('connect ECONNREFUSED 127.0.0.1:5432', 'ECONNREFUSED')], ''),
      new Error('queue fetch failed', { cause: coded('connect ECONNREFUSED', 'ECONNREFUSED') }),
    ]) {
      expect(isConnectionError(error), String(error)).toBe(true);
      const mapped = asUnavailable(error);
      expect(mapped).toBeInstanceOf(DatabaseUnavailableError);
      expect((mapped as DatabaseUnavailableError).code).toBe('database_unavailable');
      expect((mapped as DatabaseUnavailableError).userMessage).toBe("Docent can't reach its database; try again in a minute.");
      // The driver's reason stays in the message, for the logs.
      expect((mapped as Error).message.length).toBeGreaterThan(0);
    }
  });

  it('a wrong query, a constraint, a full disk or a pool already closed are not an outage and keep their own error', () => {
    for (const error of [
      coded('duplicate key value violates unique constraint', '23505'),
      coded('relation "nope" does not exist', '42P01'),
      coded('could not extend file: No space left on device', '53100'),
      new Error('Cannot use a pool after calling end on the pool'),
      new Error('timeout exceeded when trying to connect'),
      'a string',
      undefined,
    ]) {
      expect(isConnectionError(error), String(error)).toBe(false);
      expect(asUnavailable(error)).toBe(error);
    }
  });
});
