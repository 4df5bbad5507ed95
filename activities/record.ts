/**
 * The case's record in PostgreSQL: its registration, its events with the projection they move, its agreement
 * drafts and the mediator proposal. Each write is keyed by case id and event sequence or draft version. Recording
 * the events that conclude a case also texts its parties the invitation to rate it (docs/supervision.md#ratings).
 */
import { createHash } from 'node:crypto';
import { Context } from '@temporalio/activity';
import type { Knex } from 'knex';
import type { CaseEvent, CaseIntake, CaseStatus } from '../domain/case.js';
import { chinaDateOf } from '../domain/calendar.js';
import { CONCLUDING_EVENT_TYPES } from '../domain/ratings.js';
import { registeredState, type AgreementContent, type CaseState } from '../domain/case-rules.js';
import { limitationAlert } from '../domain/screening.js';
import { saveCaseFacts } from '../db/case-facts.js';
import { caseProjectionColumns, saveCaseDeadlines, type CaseProjection } from '../db/case-projection.js';
import { appendCaseEvents, registerCaseRecord } from '../db/cases.js';
import { canonicalJson } from '../db/event-chain.js';
import { proposeMediator, type ProposalRequest } from '../db/roster.js';
import { storeAgreementDraft } from '../db/stored-drafts.js';
import { saveProcessState } from '../db/workflow-state.js';
import type { CalendarSource } from '../infra/calendar.js';
import type { FieldCipher } from '../infra/crypto.js';
import type { SmsSender } from '../infra/sms.js';
import { sendRatingInvitations } from './ratings.js';

type RecordDeps = {
  db: Knex;
  cipher: FieldCipher;
  calendars: CalendarSource;
  /** The invitation to rate: the link's origin, and the texts (the outbox by default). */
  publicBaseUrl: string;
  sms?: SmsSender | undefined;
};

export function recordActivities(deps: RecordDeps) {
  const { db, cipher, calendars } = deps;
  return {
    /** Writes the case row, its parties (personal data encrypted) and its first event. */
    /** `state`: the case's state before registration (older histories sent none); stored as registered. */
    async registerCase(input: {
      intake: CaseIntake;
      event: CaseEvent;
      workflowId: string;
      state?: CaseState;
    }): Promise<{ caseNumber: string; limitation?: CaseState['screening']['limitation'] }> {
      // The limitation alert rolls a rest day on (民法典 Art 203): that needs the calendar, so it is counted here.
      const { intake, state, ...rest } = input;
      const cal = await calendars.current();
      const limitation = limitationAlert(
        {
          disputeType: intake.disputeType,
          claimantLearnedOfHarmOn: intake.claimantLearnedOfHarmOn,
          intakeDate: chinaDateOf(intake.receivedAt),
        },
        cal,
      );
      const event = { ...input.event, payload: { ...input.event.payload, limitation } };
      const stateAfter = state
        ? (caseNumber: string) => registeredState(state, { caseNumber, limitation, seq: event.seq })
        : undefined;
      const { caseNumber } = await registerCaseRecord(db, cipher, {
        ...rest,
        intake,
        event,
        ...(stateAfter ? { stateAfter } : {}),
        // The case's facts row for the statistics and its rollups, with the record (a retry folds nothing twice:
        // keyed by case and event seq).
        alongside: (tx) => saveCaseFacts(tx, intake.caseId, [event], cal),
      });
      return { caseNumber, limitation };
    },

    /** Appends events to the case's chain and moves the projection, in one transaction. */
    async recordCaseEvents(input: {
      caseId: string;
      events: CaseEvent[];
      status: CaseStatus;
      projection?: CaseProjection;
    }): Promise<void> {
      const cal = await calendars.current();
      const p = input.projection;
      await db.transaction(async (trx) => {
        // The case row moved to the events and the projection in one statement.
        const moved = p ? caseProjectionColumns(p) : {};
        const written = await appendCaseEvents(trx, input.caseId, input.events, input.status, moved);
        if (written === 0) return;
        if (p) {
          // A securing process's state as it reported it: what a rebuild starts it from.
          if (p.process) await saveProcessState(trx, input.caseId, p.process);
          await saveCaseDeadlines(trx, input.caseId, p.deadlines);
        }
        // The statistics' facts, from the same events and the case row as just moved (docs/supervision.md#statistics).
        await saveCaseFacts(trx, input.caseId, input.events, cal);
      });
      if (input.events.some((e) => CONCLUDING_EVENT_TYPES.includes(e.type))) await inviteToRate(deps, input.caseId);
    },

    /** Proposes (or checks a named) mediator by the roster rule, with its reasoning. */
    async proposeMediator(input: ProposalRequest) {
      return proposeMediator(db, cipher, input);
    },

    /** Stores an agreement draft once per version and returns the SHA-256 of its canonical content. */
    async storeAgreementDraft(input: {
      caseId: string;
      version: number;
      form: 'written' | 'oral';
      content: AgreementContent;
      createdBy: string;
    }): Promise<{ sha256: string }> {
      const sha256 = createHash('sha256').update(canonicalJson(input.content)).digest('hex');
      await storeAgreementDraft(db, { ...input, sha256 });
      return { sha256 };
    },
  };
}

/**
 * The case has concluded (不予受理, 终止, an agreement in effect): each party who has not rated is texted a one-use
 * link to rate it. Asked again by a retried recording (even one that wrote nothing, its events being in already), it
 * texts nobody twice: a party whose live link's text is in the outbox is skipped (activities/ratings.ts). An
 * invitation that cannot be sent never holds the case up: it is logged, and the party can still rate in the portal.
 */
async function inviteToRate(deps: RecordDeps, caseId: string): Promise<void> {
  await sendRatingInvitations(deps, caseId).catch((err: unknown) =>
    Context.current().log.warn('rating invitation not sent', { caseId, error: String(err) }),
  );
}
