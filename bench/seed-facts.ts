/**
 * The per-case facts of the synthetic cases (bench/seed.ts), in one `INSERT ... SELECT` per batch: milestones
 * that agree with each case's status (an agreement concluded 3–80 days after acceptance, a termination, a case not
 * accepted, a confirmation or notarization asked for some agreements, performance of most), never later than the
 * seed's `now`, and durations counted as db/case-facts.ts counts them: calendar days between the China dates, and
 * working days after the start day up to the conclusion on the holiday calendar (民事诉讼法 Art 85), here by
 * differences of the running working-day count of bench/seed-season.ts. What the statistics read at scale, without
 * a chain of events behind each row (`npm run stats:rebuild` would fold none: synthetic cases have no events).
 */
import type { Knex } from 'knex';
import type { SeasonDays } from './seed-season.js';

/** A milestone `days` after `start`, or null when that is still to come at the seed's `now`. */
const reached = (start: string, days: string) =>
  `CASE WHEN ${start} + (${days}) * interval '1 day' <= CAST(:now AS timestamptz) THEN ${start} + (${days}) * interval '1 day' END`;

/** The China date's offset into the season's days (its index in `workingDaysUpTo`, 1-based for SQL arrays). */
const dayIndex = (column: string) => `((${column} AT TIME ZONE 'Asia/Shanghai')::date - CAST(:first AS date) + 1)`;

const FACTS_SQL = `
WITH c AS (
  SELECT c.case_id, c.channel, c.dispute_type, c.intake_org_id, c.handling_org_id, c.mediator_account_id,
         c.priority_groups, c.status, c.received_at, c.last_seq, o.county,
         random() AS r1, random() AS r2, random() AS r3, random() AS r4,
         c.status IN ('CLOSED_ARCHIVED', 'PERFORMED', 'AGREEMENT_EFFECTIVE', 'ENFORCEMENT_ADVISED') AS agreed,
         c.status IN ('TERMINATED', 'RETURNED_TO_COURT') AS failed,
         c.status NOT IN ('REGISTERED', 'PENDING_COUNTERPARTY_CONSENT', 'NOT_ACCEPTED') AS accepted,
         c.status NOT IN ('REGISTERED', 'PENDING_COUNTERPARTY_CONSENT', 'NOT_ACCEPTED', 'PENDING_ASSIGNMENT',
                          'PENDING_MEDIATOR_ACCEPT') AND c.mediator_account_id IS NOT NULL AS mediator_took
  FROM cases c LEFT JOIN organizations o ON o.org_id = coalesce(c.handling_org_id, c.intake_org_id)
  WHERE c.case_id IN (SELECT md5(:prefix || i)::uuid FROM generate_series(CAST(:from AS int), CAST(:to AS int)) i)
), a AS (
  SELECT c.*, CASE WHEN accepted THEN least(received_at + (0.5 + r1 * 3) * interval '1 day', CAST(:now AS timestamptz)) END AS accepted_at
  FROM c
), k AS (
  SELECT a.*,
         CASE WHEN agreed OR failed THEN least(accepted_at + (3 + r2 * r2 * 77) * interval '1 day', CAST(:now AS timestamptz))
              WHEN status = 'NOT_ACCEPTED' THEN least(received_at + (1 + r2 * 5) * interval '1 day', CAST(:now AS timestamptz)) END
           AS concluded_at
  FROM a
), m AS (
  SELECT k.*, CASE WHEN mediator_took THEN least(accepted_at + r3 * 2 * interval '1 day', coalesce(concluded_at, CAST(:now AS timestamptz))) END
           AS mediator_accepted_at
  FROM k
), f AS (
  SELECT m.*,
         CASE WHEN agreed AND r4 < 0.3 THEN ${reached('concluded_at', '2 + r1 * 10')} END AS confirmation_applied_at,
         CASE WHEN agreed AND r4 >= 0.3 AND r4 < 0.36 THEN ${reached('concluded_at', '1 + r1 * 5')} END AS notarization_applied_at,
         CASE WHEN agreed AND r3 < 0.7 THEN concluded_at + (15 + r2 * 60) * interval '1 day' END AS last_instalment_due_at
  FROM m
)
INSERT INTO case_facts (case_id, last_seq, channel, dispute_type, intake_org_id, handling_org_id, org_id, county,
  mediator_account_id, priority_groups, status, received_at, accepted_at, mediator_accepted_at, concluded_at, outcome,
  termination_reason, agreement_effective_at, confirmation_applied_at, confirmation_ruled_at, confirmation_outcome,
  notarization_applied_at, certificate_issued_at, last_instalment_due_at, performed_at, archived_at,
  days_from_acceptance, working_days_from_acceptance, days_from_mediator_acceptance,
  working_days_from_mediator_acceptance)
SELECT case_id, last_seq, channel, dispute_type, intake_org_id, handling_org_id, coalesce(handling_org_id, intake_org_id),
  county, mediator_account_id, coalesce(priority_groups, '[]'::jsonb), status, received_at, accepted_at,
  mediator_accepted_at, concluded_at,
  CASE WHEN agreed THEN 'agreement' WHEN failed THEN 'failed' WHEN status = 'NOT_ACCEPTED' THEN 'not_accepted' END,
  CASE WHEN status = 'TERMINATED' THEN 'positions_too_far_apart' WHEN status = 'RETURNED_TO_COURT' THEN 'returned_to_court' END,
  CASE WHEN agreed THEN concluded_at END,
  confirmation_applied_at,
  CASE WHEN confirmation_applied_at IS NOT NULL THEN ${reached('confirmation_applied_at', '10 + r2 * 20')} END,
  CASE WHEN confirmation_applied_at IS NOT NULL AND ${reached('confirmation_applied_at', '10 + r2 * 20')} IS NOT NULL
       THEN CASE WHEN r1 < 0.95 THEN 'confirmed' ELSE 'rejected' END END,
  notarization_applied_at,
  CASE WHEN notarization_applied_at IS NOT NULL THEN ${reached('notarization_applied_at', '5 + r3 * 10')} END,
  last_instalment_due_at,
  CASE WHEN status = 'PERFORMED' OR (status = 'CLOSED_ARCHIVED' AND last_instalment_due_at IS NOT NULL AND r4 < 0.8)
       THEN ${reached('concluded_at', '10 + r3 * 50')} END,
  CASE WHEN status = 'CLOSED_ARCHIVED' THEN ${reached('concluded_at', '5 + r4 * 20')} END,
  CASE WHEN agreed OR failed THEN (concluded_at AT TIME ZONE 'Asia/Shanghai')::date - (accepted_at AT TIME ZONE 'Asia/Shanghai')::date END,
  CASE WHEN agreed OR failed THEN (CAST(:workingDaysUpTo AS int[]))[${dayIndex('concluded_at')}]
                               - (CAST(:workingDaysUpTo AS int[]))[${dayIndex('accepted_at')}] END,
  CASE WHEN (agreed OR failed) AND mediator_accepted_at IS NOT NULL
       THEN (concluded_at AT TIME ZONE 'Asia/Shanghai')::date - (mediator_accepted_at AT TIME ZONE 'Asia/Shanghai')::date END,
  CASE WHEN (agreed OR failed) AND mediator_accepted_at IS NOT NULL
       THEN (CAST(:workingDaysUpTo AS int[]))[${dayIndex('concluded_at')}]
          - (CAST(:workingDaysUpTo AS int[]))[${dayIndex('mediator_accepted_at')}] END
FROM f
ON CONFLICT (case_id) DO NOTHING`;

/** Writes the facts of the synthetic cases `from`..`to` (their numbers), as their status has them at `now`. */
export async function seedCaseFacts(
  db: Knex,
  batch: { from: number; to: number; now: Date; season: SeasonDays; prefix: string },
): Promise<void> {
  await db.raw(FACTS_SQL, {
    prefix: batch.prefix,
    from: batch.from,
    to: batch.to,
    now: batch.now,
    first: batch.season.first,
    workingDaysUpTo: `{${batch.season.workingDaysUpTo.join(',')}}`,
  });
}
