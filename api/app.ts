/** The HTTP edge: `createApp(deps)` without `listen`, so tests can serve it on port 0. */
import express from 'express';
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import type { FieldCipher } from '../infra/crypto.js';
import { idempotency } from './idempotency.js';
import { errorHandler, notFoundHandler } from './problem.js';
import { casesRouter } from './routes/cases.js';

export type AppDeps = {
  db: Knex;
  temporal: Client;
  cipher: FieldCipher;
  taskQueue: string;
  now?: () => Date;
  log?: (msg: string, fields: Record<string, unknown>) => void;
  registrationWait?: number;
};

export function createApp(deps: AppDeps): express.Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', false);
  app.use(express.json({ limit: '1mb', type: ['application/json', 'application/*+json'] }));
  app.use(idempotency(deps.db));

  app.get('/', (_req, res) => {
    res.json({ name: 'odr-case-center', links: { cases: '/cases' } });
  });
  app.use(
    '/cases',
    casesRouter({
      db: deps.db,
      temporal: deps.temporal,
      cipher: deps.cipher,
      taskQueue: deps.taskQueue,
      now: deps.now ?? (() => new Date()),
      ...(deps.registrationWait !== undefined ? { registrationWait: deps.registrationWait } : {}),
    }),
  );
  app.use(notFoundHandler);
  app.use(errorHandler(deps.log ?? ((msg, fields) => console.error(JSON.stringify({ level: 'error', msg, ...fields })))));
  return app;
}
