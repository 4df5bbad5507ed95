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
    const check = async (fn: () => Promise<unknown>) => {
      try {
        await Promise.race([
          fn(),
          new Promise((_, reject) => setTimeout(() => reject(new Error('timeout')), 2000).unref()),
        ]);
        return 'ok';
      } catch {
        return 'unavailable';
      }
    };
    const [postgres, temporal] = await Promise.all([
      check(() => pingDatabase(deps.db)),
      check(() => deps.temporal.workflowService.getSystemInfo({})),
    ]);
    const ready = postgres === 'ok' && temporal === 'ok';
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready', checks: { postgres, temporal } });
  });
  return router;
}
