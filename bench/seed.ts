/**
 * Synthetic case projections for the work-queue and statistics benchmarks: rows in `cases`, two parties each in
 * `case_parties` (what the queue query reads) and the per-case facts (what the statistics read,
 * bench/seed-facts.ts), with the shape of a center three years old: cases arriving over 36 months with a seasonal
 * pattern and a Spring Festival dip (bench/seed-season.ts), the older ones concluded, the open ones recent and due
 * within weeks, organizations, mediators, dispute types, channels, priority groups and legal aid in realistic
 * proportions. Written by `INSERT ... SELECT generate_series`
 * in batches, so a million cases take minutes, not hours. Rows are marked by their workflow id
 * (`bench-seed-<n>`); seeding to a total adds only the missing ones.
 */
import type { Knex } from 'knex';
import { rebuildMonthlyRollup } from '../db/case-facts-monthly.js';
import { NO_DEADLINE } from '../db/queues.js';
import { seedReferenceData } from '../db/demo-seed.js';
import { countCasesByWorkflowPrefix, mediationRoster } from '../db/tooling.js';
import { addDays, chinaDateOf, type HolidayCalendar } from '../domain/calendar.js';
import { PRIORITY_GROUPS } from '../domain/screening.js';
import { loadHolidayCalendar } from '../infra/calendar.js';
import { seedCaseFacts } from './seed-facts.js';
import { cumulativeEdges, seasonDays } from './seed-season.js';
import { seedCaseRecords } from './seed-records.js';

export const SEED_PREFIX = 'bench-seed-';
/** How far back the synthetic cases arrive: three years, so the forecast has two full seasons and a year to backtest. */
export const SEED_MONTHS = 36;
/** The statuses of a concluded case: all a case older than four months may have. */
const CONCLUDED = ['CLOSED_ARCHIVED', 'TERMINATED', 'NOT_ACCEPTED', 'RETURNED_TO_COURT', 'PERFORMED'];

/** Share of cases by status; the open ones carry their typical next deadline. */
const STATUSES: { status: string; weight: number; rule: string | null; assigned: boolean }[] = [
  { status: 'CLOSED_ARCHIVED', weight: 45, rule: null, assigned: true },
  { status: 'TERMINATED', weight: 8, rule: null, assigned: true },
  { status: 'NOT_ACCEPTED', weight: 4, rule: null, assigned: false },
  { status: 'RETURNED_TO_COURT', weight: 3, rule: null, assigned: true },
  { status: 'PERFORMED', weight: 4, rule: null, assigned: true },
  { status: 'AGREEMENT_EFFECTIVE', weight: 5, rule: 'judicial_confirmation_application', assigned: true },
  { status: 'ENFORCEMENT_ADVISED', weight: 1, rule: 'enforcement_application', assigned: true },
  { status: 'IN_MEDIATION', weight: 14, rule: 'general_mediation', assigned: true },
  { status: 'SUSPENDED', weight: 1, rule: null, assigned: true },
  { status: 'AGREEMENT_DRAFTING', weight: 3, rule: 'general_mediation', assigned: true },
  { status: 'PENDING_SIGNATURE', weight: 3, rule: 'general_mediation', assigned: true },
  { status: 'PENDING_MEDIATOR_ACCEPT', weight: 2, rule: 'mediator_acceptance', assigned: true },
  { status: 'PENDING_ASSIGNMENT', weight: 3, rule: 'party_mediator_choice', assigned: false },
  { status: 'PENDING_COUNTERPARTY_CONSENT', weight: 1, rule: 'counterparty_contact', assigned: false },
  { status: 'REGISTERED', weight: 3, rule: null, assigned: false },
];

const DISPUTES: { disputeType: string; weight: number }[] = [
  { disputeType: 'loan_debt', weight: 25 },
  { disputeType: 'general_civil', weight: 15 },
  { disputeType: 'labour', weight: 12 },
  { disputeType: 'family_property', weight: 10 },
  { disputeType: 'road_traffic', weight: 10 },
  { disputeType: 'neighbour', weight: 8 },
  { disputeType: 'property_management', weight: 6 },
  { disputeType: 'consumer', weight: 6 },
  { disputeType: 'medical', weight: 3 },
  { disputeType: 'e_commerce', weight: 2 },
  { disputeType: 'express_logistics', weight: 1 },
  { disputeType: 'construction', weight: 1 },
  { disputeType: 'real_estate', weight: 1 },
];

const CHANNELS: { channel: string; weight: number }[] = [
  { channel: 'walk_in', weight: 45 },
  { channel: 'online', weight: 20 },
  { channel: 'court_pre_filing', weight: 17 },
  { channel: 'referral', weight: 10 },
  { channel: 'phone', weight: 8 },
];

const BASIC_COURTS = ['court-5202', 'court-5203', 'court-5222', 'court-5224', 'court-5281'];
const SURNAMES = [
  '王',
  '李',
  '张',
  '刘',
  '陈',
  '杨',
  '黄',
  '赵',
  '吴',
  '周',
  '徐',
  '孙',
  '马',
  '朱',
  '胡',
  '郭',
  '何',
  '林',
  '罗',
  '郑',
  '梁',
  '谢',
  '宋',
  '唐',
  '许',
  '邓',
  '冯',
  '韩',
  '曹',
  '彭',
];
const GIVEN = [
  '伟',
  '芳',
  '娜',
  '敏',
  '静',
  '丽',
  '强',
  '磊',
  '军',
  '洋',
  '勇',
  '艳',
  '杰',
  '娟',
  '涛',
  '明',
  '超',
  '秀英',
  '华',
  '慧',
  '建华',
  '志强',
  '晓琳',
  '国栋',
  '春梅',
  '文涛',
  '丽华',
  '振华',
  '美玲',
  '立新',
];

/** Cumulative ranges [lo, hi) over [0, 1) for a weighted pick by one random number in SQL. */
function ranges<T extends { weight: number }>(xs: T[]): (Omit<T, 'weight'> & { lo: number; hi: number })[] {
  const total = xs.reduce((s, x) => s + x.weight, 0);
  let acc = 0;
  return xs.map(({ weight, ...x }, i) => {
    const lo = acc / total;
    acc += weight;
    return { ...x, lo, hi: i === xs.length - 1 ? 2 : acc / total };
  });
}

const pgArray = (xs: string[]) => `{${xs.map((x) => `"${x}"`).join(',')}}`;

export async function countSeeded(db: Knex): Promise<number> {
  return (await countCasesByWorkflowPrefix(db, SEED_PREFIX)).matching;
}

/** Cases the seeder did not write: `bench:seed` refuses a database that holds any (it is somebody's record). */
export async function countNotSeeded(db: Knex): Promise<number> {
  return (await countCasesByWorkflowPrefix(db, SEED_PREFIX)).others;
}

/**
 * Brings the synthetic cases to `total` (adds what is missing) and analyzes both tables. Needs the
 * reference organizations and courts (seeded here, idempotently) and takes mediators from the roster
 * (`staff_accounts`): without any, cases carry no mediator.
 */
export async function seedCases(
  db: Knex,
  opts: { total: number; batch?: number; log?: (line: string) => void; now?: Date; calendar?: HolidayCalendar },
): Promise<{ inserted: number; total: number; seconds: number }> {
  const started = performance.now();
  const log = opts.log ?? (() => undefined);
  await seedReferenceData(db);
  const existing = await countSeeded(db);
  if (existing >= opts.total) return { inserted: 0, total: existing, seconds: 0 };

  const { organizations: orgs, mediators } = await mediationRoster(db);
  const roster = ranges(DISPUTES).map(({ disputeType, lo, hi }) => {
    const org = orgs.find((o) => o.disputeTypes.includes(disputeType)) ?? orgs.find((o) => o.orgId === 'center')!;
    return {
      dispute_type: disputeType,
      lo,
      hi,
      org_id: org.orgId,
      abbreviation: org.abbreviation ?? '揭非诉',
      mediators: pgArray(mediators.filter((m) => m.orgId === org.orgId).map((m) => m.accountId)),
    };
  });
  // A case of the last four months may be at any step; an older one has concluded (the closed statuses only).
  const statuses = [
    ...ranges(STATUSES).map((x) => ({ ...x, recent: true })),
    ...ranges(STATUSES.filter((x) => CONCLUDED.includes(x.status))).map((x) => ({ ...x, recent: false })),
  ];
  const now = opts.now ?? new Date();
  const season = seasonDays(
    opts.calendar ?? loadHolidayCalendar(),
    addDays(chinaDateOf(now), -Math.round((SEED_MONTHS * 365.25) / 12)),
    chinaDateOf(now),
  );
  // Cases arrive up to yesterday (none later than the seed runs); today's working days count durations ending today.
  const edges = pgArray(cumulativeEdges(season.weights.slice(0, -1)).map(String));
  const channels = ranges(CHANNELS);
  const groups = Object.keys(PRIORITY_GROUPS);

  const batch = opts.batch ?? 100_000;
  for (let from = existing + 1; from <= opts.total; from += batch) {
    const to = Math.min(opts.total, from + batch - 1);
    await db.raw(
      `WITH statuses AS (SELECT * FROM jsonb_to_recordset(?::jsonb) AS s(status text, lo float8, hi float8, rule text, assigned boolean, recent boolean)),
            roster AS (SELECT * FROM jsonb_to_recordset(?::jsonb) AS r(dispute_type text, lo float8, hi float8, org_id text, abbreviation text, mediators text)),
            channels AS (SELECT * FROM jsonb_to_recordset(?::jsonb) AS c(channel text, lo float8, hi float8)),
            g AS (SELECT i, random() AS r_status, random() AS r_dispute, random() AS r_channel, random() AS r_pick,
                         -- the day of arrival by its seasonal weight (bench/seed-season.ts), in office hours, Beijing time
                         (CAST(? AS date) + width_bucket(random(), ?::float8[]) - 1 + (8 + random() * 10) * interval '1 hour')
                           AT TIME ZONE 'Asia/Shanghai' AS received_at,
                         random() AS r_due, random() AS r_aid, random() AS r_group, random() AS r_intake
                  FROM generate_series(?::int, ?::int) AS i),
            x AS (SELECT g.*, s.status, s.rule, s.assigned, r.dispute_type, r.org_id, r.abbreviation, r.mediators::uuid[] AS mediators, c.channel,
                         CASE WHEN s.rule IS NOT NULL THEN now() + (g.r_due * 35 - 5) * interval '1 day' END AS due_at
                  FROM g
                  -- a case of the last four months may be at any step; an older one has concluded
                  JOIN statuses s ON s.recent = (g.received_at > now() - interval '120 days') AND g.r_status >= s.lo AND g.r_status < s.hi
                  JOIN roster r ON g.r_dispute >= r.lo AND g.r_dispute < r.hi
                  JOIN channels c ON g.r_channel >= c.lo AND g.r_channel < c.hi)
       INSERT INTO cases (case_id, workflow_id, case_number, status, channel, dispute_type, summary, claimant_learned_of_harm_on, claim_amount_fen,
                          received_at, registered_by_id, registered_by_role, last_seq, status_changed_at, intake_org_id, handling_org_id,
                          mediator_account_id, court_institution_id, legal_aid_requested, priority_groups, next_due_at, next_due_rule, due_sort)
       SELECT md5(? || i)::uuid, ? || i,
              format('（%s）%s字第%s号', extract(year FROM received_at AT TIME ZONE 'Asia/Shanghai')::int, CASE WHEN r_intake < 0.7 THEN '揭非诉' ELSE abbreviation END, lpad(i::text, 7, '0')),
              status, channel, dispute_type, '（基准测试合成案件）当事人之间的民事纠纷。', (received_at - interval '60 days')::date,
              (1000 + floor(r_pick * 200000))::bigint * 100, received_at, 'bench-seed', 'clerk', 1 + floor(r_due * 40)::int, received_at,
              CASE WHEN r_intake < 0.7 THEN 'center' ELSE org_id END,
              CASE WHEN assigned THEN org_id END,
              CASE WHEN assigned AND cardinality(mediators) > 0 THEN mediators[1 + floor(r_pick * cardinality(mediators))::int] END,
              CASE WHEN channel = 'court_pre_filing' THEN (?::text[])[1 + floor(r_pick * ?)::int] END,
              r_aid < 0.03,
              CASE WHEN r_group < 0.08 THEN jsonb_build_array((?::text[])[1 + floor(r_group / 0.08 * ?)::int]) ELSE '[]'::jsonb END,
              due_at, rule, coalesce(due_at, ?::timestamptz)
       FROM x`,
      [
        JSON.stringify(statuses),
        JSON.stringify(roster),
        JSON.stringify(channels),
        season.first,
        edges,
        from,
        to,
        `${SEED_PREFIX}case-`,
        SEED_PREFIX,
        pgArray(BASIC_COURTS),
        BASIC_COURTS.length,
        pgArray(groups),
        groups.length,
        NO_DEADLINE,
      ],
    );
    await db.raw(
      `INSERT INTO case_parties (party_id, case_id, position, role, kind, name)
       SELECT md5(? || i || '-' || p.position)::uuid, md5(? || i)::uuid, p.position, p.role, 'natural',
              (?::text[])[1 + floor(random() * ?)::int] || (?::text[])[1 + floor(random() * ?)::int]
       FROM generate_series(?::int, ?::int) AS i CROSS JOIN (VALUES (0, 'applicant'), (1, 'respondent')) AS p(position, role)`,
      [
        `${SEED_PREFIX}party-`,
        `${SEED_PREFIX}case-`,
        pgArray(SURNAMES),
        SURNAMES.length,
        pgArray(GIVEN),
        GIVEN.length,
        from,
        to,
      ],
    );
    await seedCaseFacts(db, { from, to, now, season, prefix: `${SEED_PREFIX}case-` });
    await seedCaseRecords(db, { from, to, now, prefix: `${SEED_PREFIX}case-` });
    log(`seeded cases ${from}-${to} of ${opts.total} (${Math.round((performance.now() - started) / 1000)} s)`);
  }
  // Fresh statistics, so the planner sees the table as it now is.
  await db.raw('ANALYZE cases');
  await db.raw('ANALYZE case_parties');
  await db.raw('ANALYZE case_deadlines');
  await db.raw('ANALYZE ratings');
  // Both monthly rollups (counts, durations) from all the facts; the facts vacuumed, so the period's ends read their
  // covering index alone.
  await rebuildMonthlyRollup(db);
  await db.raw('VACUUM ANALYZE case_facts');
  return {
    inserted: opts.total - existing,
    total: opts.total,
    seconds: Math.round((performance.now() - started) / 100) / 10,
  };
}
