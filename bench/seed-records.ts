/**
 * What a center's database holds beside the cases and their facts, for the statistics that read it
 * (bench/seed.ts): the deadlines (the next one of an open case, open or already past, and a met one for every
 * accepted case that concluded) for 超期 and 临期, and the parties' ratings of concluded cases for 满意率 and
 * 参评率 (docs/supervision.md#ratings): the applicant rates about two in five, the respondent about one in five,
 * within a week of the conclusion, mostly satisfied, about one in ten 差评 (whose follow-ups the bench does not run).
 */
import type { Knex } from 'knex';

/** The synthetic cases `from`..`to` by id, as bench/seed.ts numbers them. */
const BATCH = `SELECT md5(:prefix || i)::uuid FROM generate_series(CAST(:from AS int), CAST(:to AS int)) i`;

const DEADLINES_SQL = `
INSERT INTO case_deadlines (case_id, rule_id, status, started_at, due_at, last_day, calendar_version)
SELECT c.case_id, c.next_due_rule, 'open', c.status_changed_at, c.next_due_at,
       (c.next_due_at AT TIME ZONE 'Asia/Shanghai')::date, 'bench-seed'
FROM cases c WHERE c.case_id IN (${BATCH}) AND c.next_due_rule IS NOT NULL
UNION ALL
SELECT f.case_id, 'general_mediation', 'met', f.accepted_at, f.accepted_at + interval '30 days',
       ((f.accepted_at + interval '30 days') AT TIME ZONE 'Asia/Shanghai')::date, 'bench-seed'
FROM case_facts f WHERE f.case_id IN (${BATCH}) AND f.accepted_at IS NOT NULL AND f.concluded_at IS NOT NULL
ON CONFLICT DO NOTHING`;

const RATINGS_SQL = `
WITH p AS (
  SELECT f.case_id, f.mediator_account_id, f.org_id, f.concluded_at, cp.party_id, random() AS r_rates,
         random() AS r_level, random() AS r_when, cp.position
  FROM case_facts f JOIN case_parties cp ON cp.case_id = f.case_id
  WHERE f.case_id IN (${BATCH}) AND f.concluded_at IS NOT NULL
), r AS (
  SELECT p.*, CASE WHEN r_level < 0.45 THEN 'very_satisfied' WHEN r_level < 0.75 THEN 'satisfied'
                   WHEN r_level < 0.9 THEN 'basically_satisfied' WHEN r_level < 0.96 THEN 'dissatisfied'
                   ELSE 'very_dissatisfied' END AS level,
         p.concluded_at + r_when * 7 * interval '1 day' AS rated_at
  FROM p WHERE r_rates < CASE WHEN position = 0 THEN 0.4 ELSE 0.2 END
)
INSERT INTO ratings (rating_id, case_id, party_id, level, negative, channel, rated_by_id, mediator_account_id, org_id,
                     rated_at, last_seq)
SELECT md5('bench-seed-rating-' || party_id)::uuid, case_id, party_id, level,
       level IN ('dissatisfied', 'very_dissatisfied'), CASE WHEN r_when < 0.6 THEN 'sms_link' ELSE 'portal' END,
       'bench-seed', mediator_account_id, org_id, rated_at, 1
FROM r WHERE rated_at <= CAST(:now AS timestamptz)
ON CONFLICT DO NOTHING`;

/** Writes the deadlines and ratings of the synthetic cases `from`..`to`, as their facts have them at `now`. */
export async function seedCaseRecords(
  db: Knex,
  batch: { from: number; to: number; now: Date; prefix: string },
): Promise<void> {
  const bindings = { prefix: batch.prefix, from: batch.from, to: batch.to, now: batch.now };
  await db.raw(DEADLINES_SQL, bindings);
  await db.raw(RATINGS_SQL, bindings);
}
