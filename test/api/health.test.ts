/**
 * /readyz when PostgreSQL or Temporal hangs (a server that takes the connection and never answers): the probe
 * still answers, 503 naming what did not answer, instead of hanging as long as the hung part does.
 */
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { Client, Connection } from '@temporalio/client';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { healthRouter } from '../../api/routes/health.js';
import { createDb } from '../../db/knex.js';

let silent: net.Server;
let port: number;
const held: net.Socket[] = [];

beforeAll(async () => {
  // Takes every connection and says nothing: neither PostgreSQL's handshake nor HTTP/2's ever completes.
  silent = net.createServer((socket) => void held.push(socket));
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', () => resolve()));
  port = (silent.address() as AddressInfo).port;
});

afterAll(async () => {
  for (const s of held) s.destroy();
  await new Promise<void>((resolve) => silent.close(() => resolve()));
});

describe('the readiness probe', () => {
  it('when PostgreSQL and Temporal take the connection and never answer, then /readyz answers 503 naming both, within seconds', async () => {
    const db = createDb(`postgres://odr:x@127.0.0.1:${port}/odr`);
    const connection = Connection.lazy({ address: `127.0.0.1:${port}` });
    const temporal = new Client({ connection });
    const app = express().use(healthRouter({ db, temporal, isDraining: () => false }));
    const server = app.listen(0, '127.0.0.1');
    await new Promise<void>((resolve) => server.once('listening', () => resolve()));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/readyz`;
      // A load balancer's probe gives up after some seconds of its own: the answer must come before that.
      const res = await fetch(url, { signal: AbortSignal.timeout(15_000) });
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({
        status: 'not ready',
        checks: { postgres: 'unavailable', temporal: 'unavailable' },
      });
    } finally {
      server.close();
      server.closeAllConnections();
      // Hung up on, the connections still being opened fail at once instead of at their own timeout.
      for (const s of held) s.destroy();
      await db.destroy();
      await connection.close().catch(() => undefined);
    }
  });
});
