/**
 * Ratings' activities (docs/supervision.md#ratings): a 差评 follow-up's record (its chain and projection, each write
 * keyed by rating id and event sequence, so a retry writes once) and its clocks, counted here on the holiday
 * calendar and recorded by the workflow with the calendar's version; and the invitation to rate texted when a case
 * concludes (sent by the recording of its concluding events, activities/record.ts), with a one-use link (only its
 * token's hash is kept).
 */
import { randomBytes } from 'node:crypto';
import type { Knex } from 'knex';
import type { CaseEvent } from '../domain/case.js';
import { CalendarYearMissing } from '../domain/calendar.js';
import {
  RATING_LEVELS,
  RATING_LINK_VALID_DAYS,
  computeRatingClock,
  type ComputedRatingClock,
  type RatingClockId,
  type RatingFollowUpState,
} from '../domain/ratings.js';
import { appendCreditEntry } from '../db/credit.js';
import { confirmedRatingEntries } from '../domain/credit.js';
import { appendRatingEvents, liveLinkMessage, partiesToInvite, ratingSubject, saveRatingLink } from '../db/ratings.js';
import { smsRecorded } from '../db/sms-outbox.js';
import { nameBasedId } from '../identity/name-based-ids.js';
import { sha256 } from '../identity/secrets.js';
import type { CalendarSource } from '../infra/calendar.js';
import type { FieldCipher } from '../infra/crypto.js';
import { createOutboxSms, type SmsSender } from '../infra/sms.js';

export type CountedRatingClock = ComputedRatingClock | { clockId: RatingClockId; startedAt: string; problem: string };

type RatingDeps = {
  db: Knex;
  cipher: FieldCipher;
  calendars: CalendarSource;
  publicBaseUrl: string;
  sms?: SmsSender | undefined;
  /** Tests only: the clock counted on the real calendar, then run on a clock whose day lasts this long. */
  dayLengthMs?: number | undefined;
};

export function ratingActivities(deps: RatingDeps) {
  const { db, calendars, dayLengthMs } = deps;
  return {
    /** Appends events to the rating's chain and moves its follow-up's projection, in one transaction. */
    async recordRatingEvents(input: { ratingId: string; events: CaseEvent[]; state: RatingFollowUpState }) {
      await db.transaction(async (trx) => {
        await appendRatingEvents(trx, input.ratingId, input.events, input.state);
        await fileConfirmedRating(trx, input.state);
      });
    },

    /**
     * A follow-up clock's due time from its data row and the calendar in force; a year the calendar does not
     * cover comes back as a problem (the clock is shown, never timed), not as a failure.
     */
    async computeRatingClock(input: { clockId: RatingClockId; startedAt: string }): Promise<CountedRatingClock> {
      const calendar = await calendars.current();
      try {
        const counted = computeRatingClock(input.clockId, input.startedAt, calendar);
        return dayLengthMs === undefined ? counted : compressed(counted, dayLengthMs);
      } catch (err) {
        if (!(err instanceof CalendarYearMissing)) throw err;
        return { clockId: input.clockId, startedAt: input.startedAt, problem: err.message };
      }
    },

    /** Texts each party who has not rated a one-use link to rate the concluded case (once per party). */
    async sendRatingInvitations(input: { caseId: string }): Promise<{ invited: number }> {
      return sendRatingInvitations(deps, input.caseId);
    },
  };
}

/**
 * A 差评 whose follow-up closed without being excluded by 申诉复核 is written to the credit files it rates, in the
 * transaction that records the closing (docs/supervision.md#credit-files), once: keyed by rating and file.
 */
async function fileConfirmedRating(trx: Knex.Transaction, state: RatingFollowUpState): Promise<void> {
  if (state.status !== 'CLOSED' || state.closedAt === null) return;
  if (state.review && state.review.outcome !== 'kept') return; // excluded, or its review never decided
  const { rating } = state;
  const entries = confirmedRatingEntries({
    ratingId: rating.ratingId,
    level: rating.level,
    levelLabel: RATING_LEVELS[rating.level],
    mediatorAccountId: rating.mediatorAccountId,
    orgId: rating.orgId,
    closedAt: state.closedAt,
  });
  for (const filed of entries) {
    await appendCreditEntry(trx, {
      ...filed,
      actor: { id: 'system', role: 'system' },
      at: new Date(state.closedAt),
      sourceKey: `rating:${rating.ratingId}:${filed.subject.kind}`,
    });
  }
}

/** The due time moved onto a clock whose day lasts `dayMs` from the start (as activities/deadlines.ts does). */
function compressed(counted: ComputedRatingClock, dayMs: number): ComputedRatingClock {
  const start = Date.parse(counted.startedAt);
  const dueAt = new Date(start + ((Date.parse(counted.dueAt) - start) * dayMs) / 86_400_000).toISOString();
  return { ...counted, dueAt };
}

/**
 * One text per party not yet rated, with a link whose token only this text carries. Idempotent: a party whose
 * live link's text is in the outbox is skipped; a link saved by an attempt that failed before texting is voided
 * and replaced (its token was never sent).
 */
export async function sendRatingInvitations(deps: RatingDeps, caseId: string): Promise<{ invited: number }> {
  const { db, cipher } = deps;
  const sms = deps.sms ?? createOutboxSms(db, cipher);
  const subject = await ratingSubject(db, caseId);
  if (!subject) return { invited: 0 };
  let invited = 0;
  for (const p of await partiesToInvite(db, caseId)) {
    const sent = await liveLinkMessage(db, caseId, p.partyId);
    if (sent && (await smsRecorded(db, sent))) continue;
    const token = `rate_${randomBytes(32).toString('base64url')}`;
    const link = `${deps.publicBaseUrl}/portal/rate#t=${token}`;
    const body = `【揭阳市一站式非诉讼纠纷化解中心】您的案件${subject.caseNumber}已办结，欢迎对本次服务作出评价：${link} （${RATING_LINK_VALID_DAYS}日内有效，仅可使用一次）`;
    const key = `rating-invitation/${caseId}/${p.partyId}/${sha256(token).slice(0, 16)}`;
    // The link is kept before it is texted: a retry finds it unsent, voids it and texts a new one.
    await saveRatingLink(db, {
      caseId,
      partyId: p.partyId,
      tokenHash: sha256(token),
      messageId: nameBasedId(key),
      expiresAt: new Date(Date.now() + RATING_LINK_VALID_DAYS * 86_400_000),
    });
    await sms.send({
      to: cipher.decrypt(p.phoneEnc),
      body,
      purpose: 'notice',
      caseId,
      partyId: p.partyId,
      dedupeKey: key,
    });
    invited += 1;
  }
  return { invited };
}

export type RatingActivities = ReturnType<typeof ratingActivities>;
