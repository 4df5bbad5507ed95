/** /healthz: the process answers. /readyz: PostgreSQL and Temporal answer too (for load balancers and compose). */
import { Router } from 'express';
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { pingDatabase } from '../../db/health.js';

export function healthRouter(deps: { db: Knex; temporal: Client; isDraining: () => boolean }): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    if (deps.isDraining()) {
      res.status(503).json({ status: 'draining', checks: {} });
      return;
    }
    const WAIT_MS = 2000;
    const answers = async (fn: () => Promise<unknown>) => {
      try {
        await fn();
        return 'ok';
      } catch {
        return 'unavailable';
      }
    };
    const [postgres, temporal] = await Promise.all([
      answers(() => pingDatabase(deps.db, WAIT_MS)),
      // The gRPC call itself is cancelled at the deadline, not merely no longer waited for.
      answers(() =>
        deps.temporal.withDeadline(Date.now() + WAIT_MS, () => deps.temporal.workflowService.getSystemInfo({})),
      ),
    ]);
    const ready = postgres === 'ok' && temporal === 'ok';
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks: { postgres, temporal } });
  });
  return router;
}
