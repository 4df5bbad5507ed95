/**
 * Court and notary integration: an institution registers the URL its system receives notifications at
 * (and gets the signing secret once), polls its messages as an alternative, and reads each delivery's
 * attempts. Messages: case accepted, agreement filed or sent for a 调解书, failure report, confirmed, and the
 * steps of a confirmation or notarization sent to it.
 */
import { randomBytes } from 'node:crypto';
import { Router } from 'express';
import type { Knex } from 'knex';
import { z } from 'zod';
import type { FieldCipher } from '../../infra/crypto.js';
import { HEADERS, webhookTargetProblem } from '../../infra/webhooks.js';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { DELIVERY_WORKFLOW_TYPE, deliveryWorkflowId } from '../../workflows/messages.js';
import { principalOf } from '../auth.js';
import { parseOrThrow, problems } from '../problem.js';

export const webhookBody = z.strictObject({
  url: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).max(500),
});
export const messagesQuery = z.strictObject({
  // A message id (bigserial), compared exactly only up to the largest safe integer.
  after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export function integrationRouter(deps: { db: Knex; cipher: FieldCipher; temporal: Client; taskQueue: string; allowInternalWebhooks: boolean }): Router {
  const router = Router();
  const institution = (req: Parameters<typeof principalOf>[0]) => {
    const p = principalOf(req);
    if (p.kind !== 'institution') throw problems.forbidden('only a court or notary office integrates its system');
    return p.institutionId;
  };

  /** Registers (or replaces) the webhook; a new secret each time, shown once. */
  router.put('/webhook', async (req, res) => {
    const institutionId = institution(req);
    const { url } = parseOrThrow(webhookBody, req.body ?? {});
    const refused = await webhookTargetProblem(url, { allowInternal: deps.allowInternalWebhooks }).catch(() => 'a host that does not resolve');
    if (refused) throw problems.validation([{ field: 'url', message: `cannot be used for notifications: ${refused}` }]);
    const secret = randomBytes(32).toString('base64url');
    await deps.db('institution_webhooks')
      .insert({ institution_id: institutionId, url, secret_enc: deps.cipher.encrypt(secret), updated_at: new Date() })
      .onConflict('institution_id')
      .merge();
    // What waited for a webhook (or failed before) goes out now, each by its own delivery workflow.
    const pending = await deps.db('institution_messages').where({ institution_id: institutionId }).whereNull('delivered_at').orderBy('id').limit(1000).pluck('delivery_id');
    for (const deliveryId of pending as string[]) {
      await deps.temporal.workflow
        .start(DELIVERY_WORKFLOW_TYPE, { workflowId: deliveryWorkflowId(deliveryId), taskQueue: deps.taskQueue, args: [{ deliveryId }] })
        .catch((err: unknown) => {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err; // still retrying: it will use the new URL
        });
    }
    res.setHeader('Cache-Control', 'no-store');
    res.json({
      redelivering: pending.length,
      url,
      secret,
      signing: `HMAC-SHA256 over "<${HEADERS.timestamp}>.<body>", sent as ${HEADERS.signature}: sha256=<hex>; reject a timestamp more than 5 minutes off; deduplicate by ${HEADERS.delivery}`,
    });
  });

  router.get('/webhook', async (req, res) => {
    const row = await deps.db('institution_webhooks').where({ institution_id: institution(req) }).first('url', 'updated_at');
    if (!row) throw problems.notFound('A webhook');
    res.json({ url: row.url, updatedAt: (row.updated_at as Date).toISOString() });
  });

  /** Every message for this institution after `after` (a message id), oldest first: polling instead of, or besides, the webhook. */
  router.get('/messages', async (req, res) => {
    const institutionId = institution(req);
    const { after, limit } = parseOrThrow(messagesQuery, req.query);
    const rows = await deps.db('institution_messages').where({ institution_id: institutionId }).where('id', '>', after).orderBy('id').limit(limit);
    res.json({
      messages: rows.map((m) => ({
        id: Number(m.id),
        deliveryId: m.delivery_id,
        message: m.message,
        caseId: m.case_id,
        payload: m.payload,
        createdAt: (m.created_at as Date).toISOString(),
        deliveredAt: m.delivered_at ? (m.delivered_at as Date).toISOString() : null,
      })),
      next: rows.length ? Number(rows.at(-1)!.id) : after,
    });
  });

  router.get('/deliveries/:deliveryId/attempts', async (req, res) => {
    const institutionId = institution(req);
    const id = String(req.params.deliveryId);
    const m = z.uuid().safeParse(id).success ? await deps.db('institution_messages').where({ delivery_id: id, institution_id: institutionId }).first('delivery_id') : undefined;
    if (!m) throw problems.notFound('The delivery');
    const attempts = await deps.db('delivery_attempts').where({ delivery_id: id, channel: 'institution' }).orderBy('id');
    res.json({ attempts: attempts.map((a) => ({ attempt: a.attempt, at: (a.at as Date).toISOString(), outcome: a.outcome, httpStatus: a.http_status, error: a.error })) });
  });
  return router;
}
