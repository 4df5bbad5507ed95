/**
 * Activities: the workflow's only way to touch the world. Built from explicit dependencies; every write
 * is idempotent (keyed by case id and event sequence, or draft version), so Temporal may retry any of them.
 * The record (record.ts), the periods (deadlines.ts), the messages (messages.ts) and the documents (documents.ts).
 */
import type { Knex } from 'knex';
import type { DeadlineRuleId } from '../domain/deadlines.js';
import type { CalendarSource } from '../infra/calendar.js';
import type { FieldCipher } from '../infra/crypto.js';
import { createLocalSmsGateway, createOutboxSms, type SmsGateway, type SmsSender } from '../infra/sms.js';
import type { DocumentStore } from '../db/documents.js';
import { renderPdf, type Render } from '../templates/render.js';
import { deadlineActivities } from './deadlines.js';
import { renderCaseDocument, type DocumentRequest } from './documents/index.js';
import { messageActivities } from './messages.js';
import { recordActivities } from './record.js';

export type ActivityDeps = {
  db: Knex;
  cipher: FieldCipher;
  /** The holiday calendar, read at each count (an operator may load a new year at any time). */
  calendars: CalendarSource;
  documents: DocumentStore;
  /** Keys the documents' verification codes. */
  signingKey: Buffer;
  /** Printed in each document's verify URL and QR code. */
  publicBaseUrl: string;
  /** Short periods for tests and demos, by rule id, in milliseconds. Never set in production. */
  deadlineOverridesMs?: DeadlineOverrides;
  /**
   * Tests only: every period is counted on the real calendar, then run on a clock where a day lasts this
   * many milliseconds from the start, so a test sees a timer fire where a recount put it.
   */
  dayLengthMs?: number;
  /** Texts to parties (reminders); the outbox by default. */
  sms?: SmsSender;
  /** Hands outbox messages to the network; the local gateway (sends nothing) by default. */
  smsGateway?: SmsGateway;
  /** Renders PDFs (on the documents worker, workers/documents-worker.ts; a benchmark may time it). */
  render?: Render;
  /** Development and tests only: webhooks may be plain http and reach this machine or its network. */
  allowInternalWebhooks?: boolean;
  /**
   * How long a one-time code is of use (config.auth.oneTimeCodeMs, ONE_TIME_CODE_MINUTES): the SMS sweep
   * does not start the delivery of an older unsent code. Five minutes by default, as the configuration's.
   */
  oneTimeCodeMs?: number;
};

/** Rule id (or `performance_instalment`: each instalment falls due n × this after scheduling) → milliseconds. */
export type DeadlineOverrides = Partial<
  Record<DeadlineRuleId | 'performance_instalment' | 'failure_report_facts', number>
>;

/** What the case row shows for lists, queues and the access policy (written with the events in db/case-projection.ts). */
export type { CaseProjection } from '../db/case-projection.js';

export function createActivities({
  db,
  cipher,
  calendars,
  documents,
  signingKey,
  publicBaseUrl,
  deadlineOverridesMs = {},
  dayLengthMs,
  sms = createOutboxSms(db, cipher),
  smsGateway = createLocalSmsGateway(),
  render = renderPdf,
  allowInternalWebhooks = false,
  oneTimeCodeMs = 5 * 60_000,
}: ActivityDeps) {
  return {
    ...recordActivities({ db, cipher, calendars, publicBaseUrl, sms }),
    ...deadlineActivities({ db, calendars, deadlineOverridesMs, dayLengthMs }),
    ...messageActivities({ db, cipher, sms, smsGateway, allowInternalWebhooks, oneTimeCodeMs }),

    /** Renders and stores a case document once per version (the same inputs give the same bytes). */
    async renderCaseDocument(
      input: DocumentRequest,
    ): Promise<{ documentId: string; sha256: string; verificationCode: string }> {
      const meta = await renderCaseDocument({ db, cipher, documents, signingKey, publicBaseUrl, render }, input);
      return { documentId: meta.documentId, sha256: meta.sha256, verificationCode: meta.verificationCode };
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;
