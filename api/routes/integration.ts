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
import type { Client } from '@temporalio/client';
import { DELIVERY_WORKFLOW_TYPE, deliveryWorkflowId } from '../../workflows/messages.js';
import { principalOf } from '../auth.js';
import { parseOrThrow, problems } from '../problem.js';
import {
  findWebhook,
  messagesAfter,
  saveWebhook,
  undeliveredMessageIds,
  webhookAttempts,
} from '../../db/integration.js';

export const webhookBody = z.strictObject({
  url: z.url({ protocol: /^https?$/, message: 'must be an http(s) URL' }).max(500),
});
export const messagesQuery = z.strictObject({
  // A message id (bigserial), compared exactly only up to the largest safe integer.
  after: z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});

export function integrationRouter(deps: {
  db: Knex;
  cipher: FieldCipher;
  temporal: Client;
  taskQueue: string;
  allowInternalWebhooks: boolean;
}): Router {
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
    const refused = await webhookTargetProblem(url, { allowInternal: deps.allowInternalWebhooks }).catch(
      () => 'a host that does not resolve',
    );
    if (refused) throw problems.validation([{ field: 'url', message: `cannot be used for notifications: ${refused}` }]);
    const secret = randomBytes(32).toString('base64url');
    await saveWebhook(deps.db, institutionId, { url, secretEnc: deps.cipher.encrypt(secret) });
    // What waited for a webhook (or failed before) goes out now, each by its own delivery workflow.
    const pending = await undeliveredMessageIds(deps.db, institutionId);
    for (const deliveryId of pending) {
      // A delivery still retrying is kept (it reads the new URL on its next attempt); an ended one starts again.
      await deps.temporal.workflow.start(DELIVERY_WORKFLOW_TYPE, {
        workflowId: deliveryWorkflowId(deliveryId),
        taskQueue: deps.taskQueue,
        args: [{ deliveryId }],
        workflowIdConflictPolicy: 'USE_EXISTING',
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
    const webhook = await findWebhook(deps.db, institution(req));
    if (!webhook) throw problems.notFound('A webhook');
    res.json(webhook);
  });

  /** Every message for this institution after `after` (a message id), oldest first: polling instead of, or besides, the webhook. */
  router.get('/messages', async (req, res) => {
    const institutionId = institution(req);
    const { after, limit } = parseOrThrow(messagesQuery, req.query);
    const messages = await messagesAfter(deps.db, institutionId, after, limit);
    res.json({ messages, next: messages.length ? messages.at(-1)!.id : after });
  });

  router.get('/deliveries/:deliveryId/attempts', async (req, res) => {
    const institutionId = institution(req);
    const id = String(req.params.deliveryId);
    const attempts = z.uuid().safeParse(id).success ? await webhookAttempts(deps.db, institutionId, id) : undefined;
    if (!attempts) throw problems.notFound('The delivery');
    res.json({ attempts });
  });
  return router;
}
