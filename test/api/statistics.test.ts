/**
 * The supervision's statistics end to end (docs/supervision.md#statistics): four cases driven through the real
 * stack (an agreement, a terminated mediation, a case not accepted, one waiting for its mediator), then the figures a
 * supervisor, each organization's clerk and each mediator see; a month without a case as 0; CSV and XLSX that
 * parse back; 满意率 and 参评率 from the parties' ratings; the monthly rollups kept with the facts; the facts rebuilt
 * from the chain give the same figures; a party and legal aid are refused.
 */
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildCaseFacts } from '../../db/case-facts.js';
import { monthlyRollupDrift } from '../../db/case-facts-monthly.js';
import { durationRollupDrift } from '../../db/case-facts-durations.js';
import { chinaDateOf } from '../../domain/calendar.js';
import { daysTaken, summarizeDurations } from '../../domain/statistics.js';
import { databaseCalendarSource } from '../../infra/calendar.js';
import { effectiveAgreement } from '../support/drive.js';
import { fictionalIdNumber, partyApplication } from '../support/fixtures.js';
import { startStack, type Credentials, type Stack } from '../support/stack.js';

let stack: Stack;
let who: Record<string, Credentials>;
let accountId: Record<string, string>;
let today: string;
let applicantId: string;
const ids: Record<'agreed' | 'failed' | 'declined' | 'open', string> = {} as never;

/** Another pair of parties for each case (no conflict with the demo mediators' relatives). */
const intake = (n: number, overrides: Record<string, unknown> = {}) =>
  partyApplication({
    parties: [
      {
        role: 'applicant',
        kind: 'natural',
        name: `钱${n}`,
        idNumber: fictionalIdNumber('445202', '19000303', `${n}11`),
        phone: `1700000${n}${n}${n}${n}`,
      },
      {
        role: 'respondent',
        kind: 'natural',
        name: `孙${n}`,
        idNumber: fictionalIdNumber('445202', '19000404', `${n}22`),
      },
    ],
    ...overrides,
  });

async function act(as: Credentials, caseId: string, path: string, body: unknown = {}) {
  const res = await stack.send(as, 'POST', `/cases/${caseId}/${path}`, body);
  if (res.status !== 200) throw new Error(`${path}: ${res.status} ${res.text}`);
}

async function register(as: Credentials, body: unknown): Promise<string> {
  const res = await stack.send(as, 'POST', '/cases', body);
  if (res.status !== 201) throw new Error(`register: ${res.status} ${res.text}`);
  return res.body.caseId as string;
}

beforeAll(async () => {
  // Its own database: the figures count every case in it.
  stack = await startStack({ ownDatabase: true });
  ({ who, accountId } = await stack.loginAll([
    'clerk.chen',
    'clerk.huang',
    'mediator.wu',
    'mediator.zhou',
    'supervisor.zheng',
    'legalaid.xu',
  ]));
  const clerk = who['clerk.chen']!;
  const mediator = who['mediator.wu']!;
  const agreed = await effectiveAgreement(stack, { intake: intake(1) });
  ids.agreed = agreed.caseId;
  applicantId = agreed.applicant;
  ids.failed = await register(clerk, intake(2));
  await act(clerk, ids.failed, 'accept');
  await act(clerk, ids.failed, 'mediator', { mode: 'designated', mediatorId: accountId['mediator.wu'] });
  await act(mediator, ids.failed, 'mediator/accept');
  await act(mediator, ids.failed, 'termination', { reason: 'positions_too_far_apart' });
  ids.declined = await register(clerk, intake(3));
  await act(clerk, ids.declined, 'decline', { reason: 'outside_scope' });
  ids.open = await register(who['clerk.huang']!, intake(4, { channel: 'phone', disputeType: 'neighbour' }));
  // Accepted and assigned, waiting for the mediator to accept: 3 working days, so 临期 from the start.
  await act(who['clerk.huang']!, ids.open, 'accept');
  await act(who['clerk.huang']!, ids.open, 'mediator', { mode: 'designated', mediatorId: accountId['mediator.zhou'] });
  today = (await stack.send(who['supervisor.zheng'], 'GET', '/statistics/summary')).body.to;
}, 240_000);

afterAll(async () => {
  await stack?.close();
});

type Figure = { id: string; numerator: number; denominator: number | null; value: number | null; [k: string]: unknown };
const byId = (metrics: Figure[]) => Object.fromEntries(metrics.map((m) => [m.id, m]));
const summaryOf = async (as: string) => {
  const res = await stack.send(who[as], 'GET', '/statistics/summary');
  expect(res.status, res.text).toBe(200);
  return byId(res.body.metrics);
};
/**
 * When each case was received, accepted and concluded, as recorded: the suite may run across a midnight or a month's
 * end (Beijing time), so which day and month a figure falls in is read from the record, not assumed to be today.
 */
async function milestonesOf(which: (keyof typeof ids)[]) {
  const rows = await stack
    .db('case_facts')
    .whereIn(
      'case_id',
      which.map((k) => ids[k]),
    )
    .select('received_at', 'accepted_at', 'concluded_at');
  return rows.map((r) => ({
    received: (r.received_at as Date).toISOString(),
    accepted: r.accepted_at ? (r.accepted_at as Date).toISOString() : null,
    concluded: r.concluded_at ? (r.concluded_at as Date).toISOString() : null,
  }));
}
/** How many of `instants` fall in each month (YYYY-MM, Beijing time). */
const byChinaMonth = (instants: string[]) => {
  const n: Record<string, number> = {};
  for (const at of instants) n[chinaDateOf(at).slice(0, 7)] = (n[chinaDateOf(at).slice(0, 7)] ?? 0) + 1;
  return n;
};
const monthStart = (date: string, back: number) => {
  const [y, m] = date.split('-').map(Number) as [number, number];
  const i = y * 12 + m - 1 - back;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`;
};

describe('when four cases went four ways', () => {
  it('then the supervisor sees every case: received, accepted, concluded after acceptance, the success rate without the case not accepted', async () => {
    const s = await summaryOf('supervisor.zheng');
    expect(s.received!.value).toBe(4);
    expect(s.accepted!.value).toBe(3);
    expect(s.concluded!.value).toBe(2);
    expect(s.agreements!.value).toBe(1);
    expect(s.success_rate).toMatchObject({ numerator: 1, denominator: 2, value: 0.5 });
    expect(s.open!.value).toBe(1);
    expect(s.near_due!.value).toBe(1);
    expect(s.overdue!.value).toBe(0);
    // Within a day of acceptance: zero days taken, in both counts; a mediation that ran past midnight (Beijing
    // time) took the days counted as periods are (民事诉讼法 Art 85), working days on the calendar.
    const cal = await databaseCalendarSource(stack.db).current();
    const taken = (await milestonesOf(['agreed', 'failed'])).map((m) => daysTaken(cal, m.accepted!, m.concluded!));
    expect(s.duration_from_acceptance).toMatchObject({
      numerator: 2,
      calendarDays: summarizeDurations(taken.map((t) => t.calendar)),
      workingDays: summarizeDurations(taken.map((t) => t.working!)),
    });
    expect(s.confirmation_application_rate).toMatchObject({ numerator: 0, denominator: 1, value: 0 });
    expect(s.confirmation_rate).toMatchObject({ numerator: 0, denominator: 0, value: null });
  });

  it("then each organization's clerk sees the cases taken in or handled there, and each mediator only theirs", async () => {
    // 陈 (the center) took in three; 黄 (榕城区人民调解委员会) took in one and handles the two 吴 mediated.
    expect((await summaryOf('clerk.chen')).received!.value).toBe(3);
    const huang = await summaryOf('clerk.huang');
    expect(huang.received!.value).toBe(3);
    expect(huang.success_rate).toMatchObject({ numerator: 1, denominator: 2 });
    const wu = await summaryOf('mediator.wu');
    expect(wu.received!.value).toBe(2);
    expect(wu.agreements!.value).toBe(1);
    expect(wu.open!.value).toBe(0);
    const zhou = await summaryOf('mediator.zhou');
    expect(zhou.received!.value).toBe(1);
    expect(zhou.near_due!.value).toBe(1);
    expect(zhou.success_rate!.value).toBeNull();
  });

  it('then a series by month lists every month of the period, a month without a case as 0', async () => {
    const from = monthStart(today, 2);
    const res = await stack.send(
      who['supervisor.zheng'],
      'GET',
      `/statistics/series?metric=received&groupBy=month&from=${from}&to=${today}`,
    );
    expect(res.status, res.text).toBe(200);
    // Each case in the month (Beijing time) it was received: this month, or the last when the cases were
    // registered before a month's last midnight and the summary read after it.
    const received = byChinaMonth(
      (await milestonesOf(['agreed', 'failed', 'declined', 'open'])).map((m) => m.received),
    );
    expect(Object.keys(received).every((m) => m >= from.slice(0, 7) && m <= today.slice(0, 7))).toBe(true);
    expect(res.body.rows.map((r: Figure) => [r.key, r.value])).toEqual(
      [from, monthStart(today, 1), today].map((d) => [d.slice(0, 7), received[d.slice(0, 7)] ?? 0]),
    );
  });

  it('then series group by dispute type, channel, organization and mediator with Chinese labels', async () => {
    const series = async (metric: string, groupBy: string, as = 'supervisor.zheng') => {
      const res = await stack.send(who[as], 'GET', `/statistics/series?metric=${metric}&groupBy=${groupBy}`);
      expect(res.status, res.text).toBe(200);
      return Object.fromEntries(res.body.rows.map((r: Figure & { label: string }) => [r.label, r.value]));
    };
    expect(await series('received', 'channel')).toEqual({ 现场登记: 3, 电话登记: 1 });
    const types = await series('received', 'disputeType');
    expect(Object.values(types).reduce((a, b) => Number(a) + Number(b), 0)).toBe(4);
    expect(Object.keys(types).every((k) => /[\u4e00-\u9fff]/.test(k))).toBe(true);
    expect(await series('agreements', 'mediator')).toEqual({ 吴国栋: 1 });
    expect(await series('success_rate', 'mediator', 'mediator.wu')).toEqual({ 吴国栋: 0.5 });
    const orgs = await series('received', 'organization');
    expect(Object.values(orgs).reduce((a, b) => Number(a) + Number(b), 0)).toBe(4);
    expect(await series('open', 'status')).toEqual({ 待调解员确认: 1 });
    expect(await series('near_due', 'rule')).toEqual({ 调解员确认接受: 1 });
    expect(await series('received', 'priorityGroup')).toEqual({ 非优先服务对象: 4 });
    const counties = await series('received', 'county');
    expect(Object.values(counties).reduce((a, b) => Number(a) + Number(b), 0)).toBe(4);
    expect(await series('overdue', 'rule')).toEqual({});
  });

  it('then the summary downloads as CSV that parses back, with its file name', async () => {
    const res = await fetch(`${stack.url}/statistics/summary?format=csv`, { headers: auth(who['supervisor.zheng']) });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(res.headers.get('content-disposition')).toMatch(
      /^attachment; filename="?statistics-summary_[\d-]+_[\d-]+\.csv"?; filename\*=UTF-8''%E7%BB%9F/,
    );
    const lines = (await res.text())
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
    expect(lines[0]!.slice(0, 4)).toEqual(['指标', '数值', '分子（计数）', '分母']);
    expect(lines.find((l) => l[0] === '调解成功率')!.slice(1, 4)).toEqual(['0.5', '1', '2']);
    expect(lines.find((l) => l[0] === '登记量')![1]).toBe('4');
  });

  it('then a series downloads as XLSX by Accept, and exceljs reads the same figures back', async () => {
    const res = await fetch(`${stack.url}/statistics/series?metric=received&groupBy=channel`, {
      headers: {
        ...auth(who['supervisor.zheng']),
        accept: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-disposition')).toContain('.xlsx');
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(await res.arrayBuffer());
    const sheet = book.worksheets[0]!;
    expect(sheet.name).toContain('登记量');
    expect(sheet.getRow(1).getCell(1).value).toBe('来源渠道');
    const rows: Record<string, unknown> = {};
    sheet.eachRow((row, n) => {
      if (n > 1) rows[String(row.getCell(1).value)] = row.getCell(2).value;
    });
    expect(rows).toEqual({ 现场登记: 3, 电话登记: 1 });
  });

  it('then 满意率 and 参评率 count the parties’ ratings: in the summary, by mediator and organization, and in each scope', async () => {
    // The agreed case's applicant is 满意; the declined case's applicant (不予受理 is rated too) only 基本满意.
    const declinedApplicant = (await stack
      .db('case_parties')
      .where({ case_id: ids.declined, role: 'applicant' })
      .first('party_id'))!.party_id as string;
    for (const [caseId, partyId, level] of [
      [ids.agreed, applicantId, 'satisfied'],
      [ids.declined, declinedApplicant, 'basically_satisfied'],
    ] as const) {
      const party = await stack.partyLogin(who['clerk.chen']!, caseId, partyId);
      const rated = await stack.send(party, 'POST', `/cases/${caseId}/ratings`, { level });
      expect(rated.status, rated.text).toBe(201);
    }
    const s = await summaryOf('supervisor.zheng');
    expect(s.satisfaction_rate).toMatchObject({ numerator: 1, denominator: 2, value: 0.5 });
    // Three cases concluded (the agreement, the termination, the one not accepted); two of them were rated.
    expect(s.rating_rate).toMatchObject({ numerator: 2, denominator: 3, value: 0.6667 });
    const wu = await summaryOf('mediator.wu');
    expect(wu.satisfaction_rate).toMatchObject({ numerator: 1, denominator: 1, value: 1 });
    expect(wu.rating_rate).toMatchObject({ numerator: 1, denominator: 2, value: 0.5 });
    expect((await summaryOf('mediator.zhou')).satisfaction_rate!.value).toBeNull();
    const series = async (metric: string, groupBy: string) => {
      const res = await stack.send(
        who['supervisor.zheng'],
        'GET',
        `/statistics/series?metric=${metric}&groupBy=${groupBy}`,
      );
      expect(res.status, res.text).toBe(200);
      return Object.fromEntries(res.body.rows.map((r: Figure & { label: string }) => [r.label, r.value]));
    };
    expect(await series('satisfaction_rate', 'mediator')).toEqual({ 吴国栋: 1, 未指派调解员: 0 });
    expect(Object.values(await series('satisfaction_rate', 'organization')).sort()).toEqual([0, 1]);
    // 参评率 by the month each case concluded (Beijing time): two rated of three, unless a month's end fell between.
    const concluded = byChinaMonth((await milestonesOf(['agreed', 'failed', 'declined'])).map((m) => m.concluded!));
    const rated = byChinaMonth((await milestonesOf(['agreed', 'declined'])).map((m) => m.concluded!));
    expect(await series('rating_rate', 'month')).toMatchObject(
      Object.fromEntries(
        Object.entries(concluded).map(([month, n]) => [month, Math.round(((rated[month] ?? 0) / n) * 10_000) / 10_000]),
      ),
    );
    const byStatus = await stack.send(
      who['supervisor.zheng'],
      'GET',
      '/statistics/series?metric=rating_rate&groupBy=status',
    );
    expect(byStatus.status).toBe(400);
    expect(byStatus.body.errors.map((e: { field: string }) => e.field)).toContain('groupBy');
  });

  it('then the monthly rollup, moved with each event in the same transaction, equals one rebuilt from the facts', async () => {
    expect(
      Number((await stack.db('case_facts_monthly').sum({ n: 'n_all' }).where({ dated: 'received' }).first())!.n),
    ).toBe(4);
    expect(await monthlyRollupDrift(stack.db)).toEqual([]);
    expect(await durationRollupDrift(stack.db)).toEqual([]);
  });

  it('then the facts rebuilt from the chain give the same figures', async () => {
    const before = await summaryOf('supervisor.zheng');
    await stack.db('case_facts').del();
    expect((await summaryOf('supervisor.zheng')).received!.value).toBe(0);
    const rebuilt = await rebuildCaseFacts(stack.db, await databaseCalendarSource(stack.db).current());
    expect(rebuilt).toBe(4);
    expect(await summaryOf('supervisor.zheng')).toEqual(before);
  });
});

describe('when the statistics are asked for wrongly or by someone else', () => {
  it('then a party and a legal-aid officer are refused', async () => {
    const party = await stack.partyLogin(who['clerk.chen']!, ids.agreed, applicantId);
    expect((await stack.send(party, 'GET', '/statistics/summary')).status).toBe(403);
    expect((await stack.send(who['legalaid.xu'], 'GET', '/statistics/series?metric=received')).status).toBe(403);
  });

  it.each([
    ['metric=received&groupBy=rule', 'groupBy'],
    ['metric=nonsense', 'metric'],
    ['metric=received&from=2026-13-01', 'from'],
    ['metric=received&from=2026-06-01&to=2026-05-01', 'from'],
    ['metric=received&format=pdf', 'format'],
  ])('then ?%s is 400 naming %s', async (query, field) => {
    const res = await stack.send(who['supervisor.zheng'], 'GET', `/statistics/series?${query}`);
    expect(res.status).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });
});

const auth = (c: Credentials): Record<string, string> =>
  c && 'token' in c ? { authorization: `Bearer ${c.token}` } : {};
