/**
 * Activities: the workflow's only way to touch the world. Built from explicit dependencies; every write
 * is idempotent (keyed by case id and event sequence, or draft version), so Temporal may retry any of them.
 */
import { ApplicationFailure, activityInfo } from '@temporalio/activity';
import { HEADERS, signWebhook, webhookTargetProblem } from '../infra/webhooks.js';
import type { Knex } from 'knex';
import type { CaseEvent, CaseIntake, CaseStatus } from '../domain/case.js';
import { CalendarYearMissing, addWorkingDays, chinaDateOf, endOfChinaDay, tracingProvisionalYears, versionWith } from '../domain/calendar.js';
import { isProvisional } from '../domain/recount.js';
import { clockSettingsForCase, reminderRecipients } from '../db/calendars.js';
import { limitationAlert } from '../domain/screening.js';
import type { CalendarSource } from '../infra/calendar.js';
import { FAILURE_FACTS_WORKING_DAYS, registeredState, type AgreementContent, type CaseState, type DeadlineState, type Instalment } from '../domain/case-rules.js';
import { DEADLINE_RULES, REMINDER_WORKING_DAYS, computeDeadline, performanceDue, reminderAt, type DeadlineRule, type ComputedDeadline, type DeadlineRuleId, type Pause } from '../domain/deadlines.js';
import { appendCaseEvents, registerCaseRecord } from '../db/cases.js';
import { saveProcessState, stateColumns, type ProcessRecord } from '../db/workflow-state.js';
import { NO_DEADLINE } from '../db/queues.js';
import { canonicalJson } from '../db/event-chain.js';
import { proposeMediator, type ProposalRequest } from '../db/roster.js';
import type { FieldCipher } from '../infra/crypto.js';
import { createLocalSmsGateway, createOutboxSms, SmsRejected, uuidFrom, type SmsGateway, type SmsSender } from '../infra/sms.js';
import type { DocumentStore } from '../db/documents.js';
import { renderCaseDocument, type DocumentRequest } from './documents.js';
import { renderInline, type Render } from '../templates/render-pool.js';
import { createHash } from 'node:crypto';

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
  /** Renders PDFs: on this thread by default; the worker process uses a pool of render threads. */
  render?: Render;
  /** Development and tests only: webhooks may be plain http and reach this machine or its network. */
  allowInternalWebhooks?: boolean;
};

/** Rule id (or `performance_instalment`: each instalment falls due n × this after scheduling) → milliseconds. */
export type DeadlineOverrides = Partial<Record<DeadlineRuleId | 'performance_instalment' | 'failure_report_facts', number>>;

/** What the case row shows for lists, queues and the access policy. */
export type CaseProjection = {
  status: CaseStatus;
  mediatorAccountId: string | null;
  handlingOrgId: string | null;
  legalAidRequested: boolean;
  priorityGroups: string[];
  terminationReason: string | null;
  agreementEffectiveAt: string | null;
  deadlines: (DeadlineState & { ruleId: DeadlineRuleId })[];
  /** The calendar the pending instalments were counted on ('' when one predates versions; absent: none pending). */
  instalmentsCalendarVersion?: string | null;
  /** The court asked to confirm, the notary asked to notarize: they may see the case. */
  confirmingCourtId?: string | null;
  notaryInstitutionId?: string | null;
  /** The case's whole state after these events (histories recorded before it sent none). */
  state?: CaseState;
  /** The securing process whose report these events are, as it reported itself. */
  process?: ProcessRecord;
};

export function createActivities({ db, cipher, calendars, documents, signingKey, publicBaseUrl, deadlineOverridesMs = {}, dayLengthMs, sms = createOutboxSms(db, cipher), smsGateway = createLocalSmsGateway(), render = renderInline, allowInternalWebhooks = false }: ActivityDeps) {
  /** Into the outbox once per key; the delivery id comes from the key, so a retry finds the same one. */
  const enqueue = async (m: { key: string; institutionId: string; caseId: string; message: string; payload: Record<string, unknown> }) => {
    await db('institution_messages')
      .insert({ message_key: m.key, delivery_id: uuidFrom(m.key), institution_id: m.institutionId, case_id: m.caseId, message: m.message, payload: JSON.stringify(m.payload) })
      .onConflict('message_key')
      .ignore();
    // The row's own id: one written earlier (even by older code) keeps the id it was given.
    const row = await db('institution_messages').where({ message_key: m.key }).first('delivery_id');
    return { deliveryId: row!.delivery_id as string };
  };
  return {
    /** Writes the case row, its parties (personal data encrypted) and its first event. */
    /** `state`: the case's state before registration (older histories sent none); stored as registered. */
    async registerCase(input: { intake: CaseIntake; event: CaseEvent; workflowId: string; state?: CaseState }): Promise<{ caseNumber: string; limitation?: CaseState['screening']['limitation'] }> {
      // The limitation alert rolls a rest day on (民法典 Art 203): that needs the calendar, so it is counted here.
      const { intake, state, ...rest } = input;
      const limitation = limitationAlert({ disputeType: intake.disputeType, claimantLearnedOfHarmOn: intake.claimantLearnedOfHarmOn, intakeDate: chinaDateOf(intake.receivedAt) }, await calendars.current());
      const event = { ...input.event, payload: { ...input.event.payload, limitation } };
      const stateAfter = state ? (caseNumber: string) => registeredState(state, { caseNumber, limitation, seq: event.seq }) : undefined;
      const { caseNumber } = await registerCaseRecord(db, cipher, { ...rest, intake, event, ...(stateAfter ? { stateAfter } : {}) });
      return { caseNumber, limitation };
    },

    /** Appends events to the case's chain and moves the projection, in one transaction. */
    async recordCaseEvents(input: { caseId: string; events: CaseEvent[]; status: CaseStatus; projection?: CaseProjection }): Promise<void> {
      await db.transaction(async (trx) => {
        const written = await appendCaseEvents(trx, input.caseId, input.events, input.status);
        const p = input.projection;
        if (written === 0 || !p) return;
        // A securing process's state as it reported it: what a rebuild starts it from.
        if (p.process) await saveProcessState(trx, input.caseId, p.process);
        await trx('cases').where({ case_id: input.caseId }).update({
          mediator_account_id: p.mediatorAccountId,
          ...(p.handlingOrgId ? { handling_org_id: p.handlingOrgId } : {}),
          legal_aid_requested: p.legalAidRequested,
          priority_groups: JSON.stringify(p.priorityGroups),
          termination_reason: p.terminationReason,
          agreement_effective_at: p.agreementEffectiveAt ? new Date(p.agreementEffectiveAt) : null,
          ...(p.confirmingCourtId !== undefined ? { confirming_court_id: p.confirmingCourtId } : {}),
          // The queues' order: the earliest open deadline, or last when there is none.
          ...nextDue(p.deadlines),
          ...(p.notaryInstitutionId !== undefined ? { notary_institution_id: p.notaryInstitutionId } : {}),
          ...(p.instalmentsCalendarVersion !== undefined ? { instalments_calendar_version: p.instalmentsCalendarVersion } : {}),
          // The state these events produced (newly written, so the newest): what reads and a rebuild use.
          ...(p.state ? stateColumns(p.state) : {}),
        } as never);
        // Every deadline of the case in one statement.
        if (p.deadlines.length > 0) {
          await trx('case_deadlines')
            .insert(
              p.deadlines.map((d) => ({
                case_id: input.caseId,
                rule_id: d.ruleId,
                status: d.status,
                started_at: new Date(d.startedAt),
                due_at: d.dueAt ? new Date(d.dueAt) : null,
                last_day: d.lastDay || null,
                reminder_at: d.reminderAt ? new Date(d.reminderAt) : null,
                calendar_version: d.calendarVersion || null,
                reminded: d.reminded,
                explanation: JSON.stringify(d.explanation),
                updated_at: new Date(),
              })),
            )
            .onConflict(['case_id', 'rule_id'])
            .merge();
        }
      });
    },

    /**
     * The due time of a period, from the rule and the current calendar; the workflow records the result
     * (with the calendar version) so later calendar data never changes a running case on replay.
     */
    async computeDeadline(input: { ruleId: DeadlineRuleId; startedAt: string; extensionDays?: number; pauses?: Pause[]; length?: number; calendarVersion?: string; caseId?: string }): Promise<{ deadline: ComputedDeadline; reminderAt: string | null }> {
      const rule: DeadlineRule = DEADLINE_RULES[input.ruleId];
      const override = deadlineOverridesMs[input.ruleId];
      if (override !== undefined) {
        const pausedMs = (input.pauses ?? []).reduce((n, p) => n + (Date.parse(p.to) - Date.parse(p.from)), 0);
        const extensionMs = (input.extensionDays ?? 0) * (override / rule.length);
        const dueAt = new Date(Date.parse(input.startedAt) + override + pausedMs + extensionMs).toISOString();
        return {
          deadline: {
            ruleId: input.ruleId, startedAt: input.startedAt, dueAt, lastDay: dueAt.slice(0, 10), calendarVersion: 'override',
            extensionDays: input.extensionDays ?? 0, pausedDays: 0,
            explanation: [`${rule.label}: shortened to ${override} ms by DEADLINE_OVERRIDES (testing only)`, rule.citation],
          },
          reminderAt: null,
        };
      }
      // A recount after a load names the version it was told of, so a cached older calendar is not used.
      const calendar = await calendars.current(input.calendarVersion ? { version: input.calendarVersion } : {});
      // The organization's own rules: its length of people's mediation (unless one was recorded), its reminder lead.
      const org = input.caseId ? await clockSettingsForCase(db, input.caseId) : undefined;
      const length = input.length ?? (rule.lengthSetBy === 'organization' ? (org?.generalMediationDays ?? undefined) : undefined);
      try {
        const deadline = computeDeadline(rule, input.startedAt, calendar, { extensionDays: input.extensionDays ?? 0, pauses: input.pauses ?? [], ...(length !== undefined ? { length } : {}) });
        const remindAt = reminderAt(deadline, calendar, org?.reminderWorkingDays ?? REMINDER_WORKING_DAYS);
        return dayLengthMs === undefined ? { deadline, reminderAt: remindAt } : compressed(deadline, remindAt, dayLengthMs);
      } catch (err) {
        if (err instanceof CalendarYearMissing) throw ApplicationFailure.nonRetryable(err.message, 'CalendarYearMissing');
        throw err;
      }
    },

    /**
     * Until when a mediator asked for a court failure report's facts may answer: 3 working days, to the end of
     * the Beijing day (counted provisionally in a year whose holidays are not published yet).
     */
    async failureFactsDue(input: { askedAt: string }): Promise<{ dueAt: string }> {
      const override = deadlineOverridesMs.failure_report_facts;
      if (override !== undefined) return { dueAt: new Date(Date.parse(input.askedAt) + override).toISOString() };
      const calendar = await calendars.current();
      return { dueAt: endOfChinaDay(addWorkingDays(calendar, chinaDateOf(input.askedAt), FAILURE_FACTS_WORKING_DAYS)) };
    },

    /**
     * Due times of the agreed instalments: the end of each date, rolled past a rest day (民法典 Art 203), with
     * the calendar that counted it (provisional years included), so a later holiday notice recounts it.
     */
    async schedulePerformance(input: { items: { n: number; amountFen: number | null; dueDate: string; payeePartyId?: string }[]; calendarVersion?: string }): Promise<Instalment[]> {
      const published = await calendars.current(input.calendarVersion ? { version: input.calendarVersion } : {});
      return input.items.map((item) => {
        const override = deadlineOverridesMs.performance_instalment;
        if (override !== undefined) {
          // Due n × override from now, reminded half an override before.
          const due = Date.now() + override * item.n;
          return { ...item, lastDay: item.dueDate, dueAt: new Date(due).toISOString(), reminderAt: new Date(due - override / 2).toISOString(), reminded: false, status: 'pending' as const, calendarVersion: 'override' };
        }
        const { calendar, provisionalYears } = tracingProvisionalYears(published);
        const due = performanceDue(item.dueDate, calendar);
        const remindAt = reminderAt({ lastDay: due.lastDay, startedAt: new Date().toISOString() }, calendar);
        return { ...item, lastDay: due.lastDay, dueAt: due.dueAt, reminderAt: remindAt, reminded: false, status: 'pending' as const, calendarVersion: versionWith(published, provisionalYears()) };
      });
    },

    /**
     * A message for a court or notary (application submitted, supplements handed in, withdrawn), kept in the
     * outbox once per key; delivery to the institution's system is the integration's job.
     */
    async notifyInstitution(input: { key: string; institutionId: string; caseId: string; message: string; payload: Record<string, unknown> }): Promise<{ deliveryId: string }> {
      return enqueue({ key: input.key, institutionId: input.institutionId, caseId: input.caseId, message: input.message, payload: input.payload });
    },

    /**
     * One attempt to deliver a message to the institution's webhook, logged whatever happens; a failure
     * throws, and Temporal retries with backoff. No webhook registered: the institution polls instead.
     */
    async deliverInstitutionMessage(input: { deliveryId: string }): Promise<{ outcome: 'delivered' | 'no_webhook' }> {
      const attempt = activityInfo().attempt;
      const m = await db('institution_messages').where({ delivery_id: input.deliveryId }).first();
      if (!m) throw ApplicationFailure.nonRetryable(`no message with delivery id ${input.deliveryId}`, 'UnknownDelivery');
      const hook = await db('institution_webhooks').where({ institution_id: m.institution_id }).first();
      const log = (outcome: string, httpStatus: number | null, error: string | null) =>
        db('delivery_attempts').insert({ delivery_id: input.deliveryId, channel: 'institution', attempt, outcome, http_status: httpStatus, error });
      if (!hook) {
        await log('no_webhook', null, null);
        return { outcome: 'no_webhook' };
      }
      // Checked at every attempt (a host may be re-pointed): never an internal address in production.
      const refused = await webhookTargetProblem(hook.url, { allowInternal: allowInternalWebhooks }).catch(() => 'unresolvable');
      if (refused) {
        await log('failed', null, `refused target: ${refused}`);
        throw ApplicationFailure.retryable(`the webhook target is refused (${refused})`, 'WebhookTargetRefused');
      }
      const body = JSON.stringify({ deliveryId: m.delivery_id, message: m.message, caseId: m.case_id, createdAt: (m.created_at as Date).toISOString(), payload: m.payload });
      const timestamp = Math.floor(Date.now() / 1000);
      let status: number | null = null;
      try {
        const res = await fetch(hook.url, {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            [HEADERS.delivery]: m.delivery_id,
            [HEADERS.timestamp]: String(timestamp),
            [HEADERS.signature]: signWebhook(cipher.decrypt(hook.secret_enc), timestamp, body),
          },
          body,
          signal: AbortSignal.timeout(10_000),
          redirect: 'manual',
        });
        status = res.status;
        await res.body?.cancel();
      } catch (err) {
        // A category only: the institution reads these, and raw errors would map the network behind.
        await log('failed', null, err instanceof Error && err.name === 'TimeoutError' ? 'timeout' : 'connection failed');
        throw err;
      }
      if (status < 200 || status >= 300) {
        await log('failed', status, null);
        throw ApplicationFailure.retryable(`the webhook answered ${status}`, 'WebhookRefused');
      }
      await log('delivered', status, null);
      await db('institution_messages').where({ delivery_id: input.deliveryId }).update({ delivered_at: new Date() });
      return { outcome: 'delivered' };
    },

    /**
     * One attempt to hand an outbox message to the SMS gateway, logged whatever happens; a failure throws
     * and Temporal retries with backoff. A message the gateway already took is not sent again.
     */
    async handSmsToGateway(input: { messageId: string }): Promise<{ outcome: 'delivered' | 'already_delivered' | 'expired' }> {
      const m = await db('sms_outbox').where({ message_id: input.messageId }).first('to_phone_enc', 'body_enc', 'sent_at', 'expires_at');
      if (!m) throw ApplicationFailure.nonRetryable(`no SMS with message id ${input.messageId}`, 'UnknownDelivery');
      if (m.sent_at) return { outcome: 'already_delivered' };
      const log = (outcome: string, error: string | null) =>
        db('delivery_attempts').insert({ delivery_id: input.messageId, channel: 'sms', attempt: activityInfo().attempt, outcome, error });
      // A one-time code that has expired would only confuse the party: the delivery ends; they ask for a new one.
      if (m.expires_at && (m.expires_at as Date).getTime() <= Date.now()) {
        await log('expired', null);
        return { outcome: 'expired' };
      }
      let gatewayMessageId: string;
      try {
        ({ gatewayMessageId } = await smsGateway.deliver({ messageId: input.messageId, to: cipher.decrypt(m.to_phone_enc), body: cipher.decrypt(m.body_enc) }));
      } catch (err) {
        // The error text names the gateway's answer, never the number or the text.
        const why = err instanceof Error ? (err.name === 'TimeoutError' ? 'timeout' : err.message.slice(0, 200)) : 'failed';
        await log(err instanceof SmsRejected ? 'rejected' : 'failed', why);
        if (err instanceof SmsRejected) throw ApplicationFailure.nonRetryable(`the SMS gateway refused the message: ${why}`, 'SmsRejected');
        throw ApplicationFailure.retryable(`the SMS gateway did not take the message: ${why}`, 'SmsGatewayFailed');
      }
      await log('delivered', null);
      await db('sms_outbox').where({ message_id: input.messageId }).update({ sent_at: new Date(), gateway_message_id: gatewayMessageId });
      return { outcome: 'delivered' };
    },

    /** Texts the parties with a phone on record (into the outbox; each message then has its own delivery); once per key and party. */
    async notifyParties(input: { caseId: string; key: string; notice: { kind: 'instalment_reminder'; instalment: number; lastDay: string; amountFen: number | null } }): Promise<{ sent: number; messageIds: string[] }> {
      const c = await db('cases').where({ case_id: input.caseId }).first('case_number');
      const parties = await db('case_parties').where({ case_id: input.caseId }).whereIn('role', ['applicant', 'respondent', 'third_party']).whereNotNull('phone_enc').select('party_id', 'phone_enc');
      const n = input.notice;
      const amount = n.amountFen !== null ? `，金额${(n.amountFen / 100).toFixed(2)}元` : '';
      const body = `【揭阳市一站式非诉讼纠纷化解中心】您的案件${c?.case_number ?? ''}调解协议约定的第${n.instalment}期履行期限为${n.lastDay}${amount}，请按约履行；已履行的请告知调解员。`;
      const messageIds: string[] = [];
      for (const p of parties) {
        const { messageId } = await sms.send({ to: cipher.decrypt(p.phone_enc!), body, purpose: 'notice', caseId: input.caseId, partyId: p.party_id, dedupeKey: `${input.key}/${p.party_id}` });
        messageIds.push(messageId);
      }
      return { sent: parties.length, messageIds };
    },

    /**
     * A reminder by text to the case's mediator and its organization's clerks who gave a phone for reminders
     * (in the outbox once per key and person); the text names the case number and the period, no party.
     */
    async notifyStaff(input: { caseId: string; key: string; notice: { kind: 'deadline_reminder'; ruleId: DeadlineRuleId; lastDay: string } }): Promise<{ messageIds: string[] }> {
      const c = await db('cases').where({ case_id: input.caseId }).first('case_number', 'mediator_account_id', 'handling_org_id', 'intake_org_id');
      if (!c) return { messageIds: [] };
      const staff = await reminderRecipients(db, { mediatorAccountId: c.mediator_account_id, orgIds: [c.handling_org_id, c.intake_org_id] });
      const rule = DEADLINE_RULES[input.notice.ruleId];
      const body = `【揭阳市一站式非诉讼纠纷化解中心】案件${c.case_number}的${rule.label}将于${input.notice.lastDay}届满（${rule.citation}），请及时处理。`;
      const messageIds: string[] = [];
      for (const s of staff) {
        const { messageId } = await sms.send({ to: cipher.decrypt(s.phoneEnc), body, purpose: 'notice', caseId: input.caseId, dedupeKey: `${input.key}/${s.accountId}` });
        messageIds.push(messageId);
      }
      return { messageIds };
    },

    /** A report for the court that delegated the case, kept in the outbox once per key. */
    async reportToCourt(input: { caseId: string; key: string; message: string; payload: Record<string, unknown> }): Promise<{ deliveryId: string | null }> {
      const c = await db('cases').where({ case_id: input.caseId }).first('court_institution_id', 'case_number', 'court');
      if (!c?.court_institution_id) return { deliveryId: null }; // not a court case: nobody to report to
      const court = (c.court ?? {}) as { courtCaseNumber?: string; letterNumber?: string };
      return enqueue({
        key: input.key,
        institutionId: c.court_institution_id,
        caseId: input.caseId,
        message: input.message,
        payload: { ...input.payload, caseNumber: c.case_number, courtCaseNumber: court.courtCaseNumber ?? null, letterNumber: court.letterNumber ?? null },
      });
    },

    /** Proposes (or checks a named) mediator by the roster rule, with its reasoning. */
    async proposeMediator(input: ProposalRequest) {
      return proposeMediator(db, cipher, input);
    },

    /** Renders and stores a case document once per version (the same inputs give the same bytes). */
    async renderCaseDocument(input: DocumentRequest): Promise<{ documentId: string; sha256: string; verificationCode: string }> {
      const meta = await renderCaseDocument({ db, cipher, documents, signingKey, publicBaseUrl, render }, input);
      return { documentId: meta.documentId, sha256: meta.sha256, verificationCode: meta.verificationCode };
    },

    /** Stores an agreement draft once per version and returns the SHA-256 of its canonical content. */
    async storeAgreementDraft(input: { caseId: string; version: number; form: 'written' | 'oral'; content: AgreementContent; createdBy: string }): Promise<{ sha256: string }> {
      const sha256 = createHash('sha256').update(canonicalJson(input.content)).digest('hex');
      await db('agreement_drafts')
        .insert({ case_id: input.caseId, version: input.version, form: input.form, content: JSON.stringify(input.content), sha256, created_by: input.createdBy })
        .onConflict(['case_id', 'version'])
        // The workflow stores only the version after its last recorded one: a row already there is a
        // retry of this call, or a draft no event ever recorded, so this content replaces it.
        .merge(['form', 'content', 'sha256', 'created_by']);
      return { sha256 };
    },
  };
}

export type Activities = ReturnType<typeof createActivities>;

/** A deadline counted on the calendar, its times moved onto a clock whose day lasts `dayMs` (tests only). */
function compressed(deadline: ComputedDeadline, remindAt: string | null, dayMs: number): { deadline: ComputedDeadline; reminderAt: string | null } {
  const start = Date.parse(deadline.startedAt);
  const squeeze = (instant: string) => new Date(start + ((Date.parse(instant) - start) * dayMs) / 86_400_000).toISOString();
  return { deadline: { ...deadline, dueAt: squeeze(deadline.dueAt) }, reminderAt: remindAt && squeeze(remindAt) };
}

function nextDue(deadlines: CaseProjection['deadlines']) {
  const open = deadlines.filter((d) => d.status === 'open' && d.dueAt).sort((a, b) => a.dueAt.localeCompare(b.dueAt))[0];
  return { next_due_at: open ? new Date(open.dueAt) : null, next_due_rule: open?.ruleId ?? null, next_due_provisional: open ? isProvisional(open) : false, due_sort: new Date(open?.dueAt ?? NO_DEADLINE) };
}
