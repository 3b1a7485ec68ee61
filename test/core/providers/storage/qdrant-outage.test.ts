import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { ProviderError } from '../../../../src/core/ports/errors.js';
import { composeCore } from '../../../../src/composition/compose-core.js';
import { startFakeQdrant } from '../../../fakes/qdrant-fake.js';
import { alice, bufferFile, memoryLogger, scope, testConfig } from '../../../helpers/core.js';
import { makePdf } from '../../../helpers/pdfs.js';
import { freePort } from '../../../helpers/postgres.js';
import { qdrantSpecPath } from '../../../helpers/shared.js';
import { waitFor } from '../../../helpers/wait.js';

/** A TCP door in front of a server that can be shut (connections refused and cut) and opened again on the same port. */
async function door(target: URL) {
  const port = await freePort();
  const sockets = new Set<net.Socket>();
  let server: net.Server | undefined;
  const open = () =>
    new Promise<void>((resolve) => {
      server = net.createServer((socket) => {
        const upstream = net.connect(Number(target.port), target.hostname);
        for (const s of [socket, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => undefined);
        }
        socket.pipe(upstream).pipe(socket);
      });
      server.listen(port, '127.0.0.1', resolve);
    });
  const shut = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server?.close(() => resolve());
    });
  await open();
  return { url: `http://127.0.0.1:${port}`, open, shut };
}

describe.skipIf(!qdrantSpecPath)('a Qdrant outage', () => {
  it('is logged once when Qdrant stops answering and once when its readiness check answers again; the state store stays ok', async () => {
    const fake = await startFakeQdrant(qdrantSpecPath ?? '');
    const gate = await door(new URL(fake.url));
    const logger = memoryLogger();
    const core = await composeCore(testConfig({ QDRANT_URL: gate.url }), logger, { embedder: null, outageCheckMs: 50 });
    try {
      await core.start();
      const here = scope('C-qdrant-outage');
      const pdf = await makePdf([{ paragraphs: ['The ferry to Helsinki leaves at 07:30.'] }]);
      expect((await core.knowledge.ingest(here, bufferFile('ferry.pdf', pdf), alice)).status).toBe('indexed');
      expect(core.dependencies()).toEqual({ state: 'ok', vectors: 'ok' });

      await gate.shut();
      const refusal = await core.answers.answer(here, 'When does the ferry to Helsinki leave?').catch((error: unknown) => error);
      expect(refusal).toBeInstanceOf(ProviderError);
      expect((refusal as ProviderError).code).toBe('provider_unreachable');
      await waitFor(() => core.dependencies().vectors === 'down', 8000, 'Qdrant to be reported down');
      expect(core.dependencies()).toEqual({ state: 'ok', vectors: 'down' });
      await core.answers.answer(here, 'And the ferry to Tallinn?').catch(() => undefined);
      const outage = logger.entries.filter((e) => /is unreachable/.test(e.msg ?? ''));
      expect(outage).toHaveLength(1);
      expect(outage[0]).toMatchObject({ level: 'error', obj: { dependency: `Qdrant at ${gate.url}` } });

      await gate.open();
      await waitFor(() => core.dependencies().vectors === 'ok', 8000, 'Qdrant to be reported back');
      expect(logger.entries.filter((e) => /is reachable again/.test(e.msg ?? ''))).toHaveLength(1);
      // The check is Qdrant's readiness endpoint, as the spec describes it.
      expect(fake.requests.some((r) => r.method === 'GET' && r.path === '/readyz')).toBe(true);
      expect(fake.rejected).toEqual([]);
      expect((await core.answers.answer(here, 'When does the ferry to Helsinki leave?')).grounded).toBe(true);
    } finally {
      await core.close();
      await gate.shut();
      await fake.close();
    }
  }, 60_000);
});
