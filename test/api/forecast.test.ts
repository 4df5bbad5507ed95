/**
 * The forecast and the risk alerts end to end (docs/supervision.md#forecast): three years of cases written straight
 * into the projection and the facts (2023-01 to 2025-12, dated from that fixed origin, never from today), loan debts
 * following the working days with a seasonal swing and a Spring Festival dip, neighbour disputes steady until they
 * jump in December 2025, and e-commerce cases only since January 2025. Then what the supervisor, a clerk of
 * another organization and a party get from GET /statistics/forecast and /statistics/alerts.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rebuildMonthlyRollup } from '../../db/case-facts-monthly.js';
import { monthRange, workingDaysByMonth } from '../../domain/forecast/index.js';
import { statutoryHolidays } from '../../domain/provisional-calendar.js';
import { loadHolidayCalendar } from '../../infra/calendar.js';
import { partyApplication } from '../support/fixtures.js';
import { startStack, type Credentials, type Stack } from '../support/stack.js';

let stack: Stack;
let who: Record<string, Credentials>;

const FIRST = '2023-01';
const CUTOFF = '2025-12';
const MONTHS = monthRange(FIRST, CUTOFF);
const WORKING_DAYS = workingDaysByMonth(loadHolidayCalendar(), MONTHS).days;
/** The month holding each year's 春节 holidays (放假办法 Art 2): January or February as the lunar year falls. */
const SPRING_FESTIVAL_MONTHS = new Set(
  [2023, 2024, 2025].map((y) =>
    statutoryHolidays(y)
      .find((h) => h.name === '春节')!
      .days[0]!.slice(0, 7),
  ),
);

/** Cases received per month and dispute type. */
function loanDebts(month: string, i: number): number {
  const season = 1.5 + 0.4 * Math.sin((2 * Math.PI * i) / 12);
  const dip = SPRING_FESTIVAL_MONTHS.has(month) ? 0.7 : 1;
  return Math.round(WORKING_DAYS[month]! * season * dip * (1 + 0.01 * i));
}
const NEIGHBOUR_SPIKE = 60;
const neighbours = (month: string) => (month === CUTOFF ? NEIGHBOUR_SPIKE : 8 + (month.charCodeAt(6) % 3));
const eCommerce = (month: string) => (month >= '2025-01' ? 10 + (month.charCodeAt(6) % 4) : 0);

const inserted: { caseId: string; month: string; disputeType: string }[] = [];

/** The cases and their facts, in the projection as the activities would have left them (concluded ones). */
async function insertHistory(): Promise<void> {
  MONTHS.forEach((month, i) => {
    const counts = { loan_debt: loanDebts(month, i), neighbour: neighbours(month), e_commerce: eCommerce(month) };
    for (const [disputeType, n] of Object.entries(counts))
      for (let k = 0; k < n; k++) inserted.push({ caseId: randomUUID(), month, disputeType });
  });
  const rows = inserted.map((c, n) => {
    const receivedAt = new Date(`${c.month}-${String(1 + (n % 28)).padStart(2, '0')}T10:00:00+08:00`);
    return { ...c, n, receivedAt };
  });
  for (let at = 0; at < rows.length; at += 500) {
    const chunk = rows.slice(at, at + 500);
    await stack.db('cases').insert(
      chunk.map((c) => ({
        case_id: c.caseId,
        workflow_id: `forecast-test-${c.caseId}`,
        case_number: `（${c.month.slice(0, 4)}）揭非诉字第F${String(c.n).padStart(6, '0')}号`,
        status: 'CLOSED_ARCHIVED',
        channel: 'walk_in',
        dispute_type: c.disputeType,
        summary: '（预测测试）合成案件',
        claimant_learned_of_harm_on: `${c.month}-01`,
        received_at: c.receivedAt,
        registered_by_id: 'forecast-test',
        registered_by_role: 'clerk',
        last_seq: 1,
        status_changed_at: c.receivedAt,
        intake_org_id: 'center',
      })),
    );
    await stack.db.raw(
      `INSERT INTO case_facts (case_id, last_seq, channel, dispute_type, intake_org_id, org_id, county, status, received_at)
       SELECT c.case_id, 1, c.channel, c.dispute_type, c.intake_org_id, c.intake_org_id, o.county, c.status, c.received_at
       FROM cases c JOIN organizations o ON o.org_id = c.intake_org_id WHERE c.case_id = ANY(?::uuid[])`,
      [chunk.map((c) => c.caseId)],
    );
  }
}

beforeAll(async () => {
  // Its own database: the figures count every case in it.
  stack = await startStack({ ownDatabase: true });
  ({ who } = await stack.loginAll(['supervisor.zheng', 'clerk.chen', 'clerk.huang']));
  await insertHistory();
  // Written straight into the facts, as `npm run stats:rebuild` leaves them: the monthly rollup is rebuilt from them.
  await rebuildMonthlyRollup(stack.db);
}, 240_000);

afterAll(async () => {
  await stack?.close();
});

const get = async (as: string | Credentials, path: string) => {
  const res = await stack.send(typeof as === 'string' ? who[as] : as, 'GET', path);
  return res;
};

describe('when three years of cases with a seasonal swing and a Spring Festival dip are in the facts', () => {
  it('then the forecast of cases received is a 预测 naming its method and its backtest error', async () => {
    const res = await get('supervisor.zheng', `/statistics/forecast?metric=received&cutoff=${CUTOFF}`);
    expect(res.status, res.text).toBe(200);
    const { history, forecast } = res.body;
    expect(history).toHaveLength(36);
    expect(history[0]).toEqual({ month: FIRST, value: loanDebts(FIRST, 0) + neighbours(FIRST) });
    // The dip is in the history: each Spring Festival month below the month after it.
    for (const m of SPRING_FESTIVAL_MONTHS) {
      const at = history.findIndex((h: { month: string }) => h.month === m);
      expect(history[at].value).toBeLessThan(history[at + 1].value);
    }
    expect(forecast.label).toBe('预测');
    expect(['same_month_last_year', 'holt_winters']).toContain(forecast.method);
    expect(forecast.description).toMatch(/工作日/);
    expect(forecast.cutoff).toBe(CUTOFF);
    expect(forecast.historyMonths).toBe(36);
    expect(forecast.backtest.origins).toBeGreaterThanOrEqual(10);
    expect(forecast.backtest.mae).toBeGreaterThan(0);
    expect(typeof forecast.backtest.mase).toBe('number');
    expect(forecast.points.map((p: { month: string }) => p.month)).toEqual(['2026-01', '2026-02', '2026-03']);
    // 2026's Spring Festival (17 February) falls in February: fewer cases expected than in March.
    expect(forecast.points[1].expected).toBeLessThan(forecast.points[2].expected);
    for (const p of forecast.points) expect(p.band95.upper).toBeGreaterThanOrEqual(p.band80.upper);
  });

  it('then a dispute type with a year of history is only a 趋势参考', async () => {
    const res = await get(
      'supervisor.zheng',
      `/statistics/forecast?metric=received&groupBy=disputeType&key=e_commerce&cutoff=${CUTOFF}`,
    );
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ metric: 'received', groupBy: 'disputeType', key: 'e_commerce' });
    expect(res.body.history).toHaveLength(12);
    expect(res.body.history[0].month).toBe('2025-01');
    expect(res.body.forecast.label).toBe('趋势参考');
    expect(['mean_3_months', 'naive_drift']).toContain(res.body.forecast.method);
  });

  it('then the neighbour disputes that jumped in December alert, with exactly their cases; the steady loan debts do not', async () => {
    const res = await get('supervisor.zheng', `/statistics/alerts?month=${CUTOFF}`);
    expect(res.status, res.text).toBe(200);
    const byType = res.body.alerts.filter((a: { dimension: string }) => a.dimension === 'disputeType');
    const neighbour = byType.find((a: { key: string }) => a.key === 'neighbour');
    expect(neighbour).toMatchObject({ label: '相邻关系纠纷', month: CUTOFF, actual: NEIGHBOUR_SPIKE, basis: '预测' });
    expect(neighbour.reasons.map((r: { code: string }) => r.code)).toContain('above_band_95');
    const expected = inserted.filter((c) => c.disputeType === 'neighbour' && c.month === CUTOFF).map((c) => c.caseId);
    expect([...neighbour.caseIds].sort()).toEqual(expected.sort());
    expect(byType.map((a: { key: string }) => a.key)).not.toContain('loan_debt');
  });

  it("then a clerk of another organization sees neither the figures nor the cases of the center's intake", async () => {
    const forecast = await get('clerk.huang', `/statistics/forecast?metric=received&cutoff=${CUTOFF}`);
    expect(forecast.status, forecast.text).toBe(200);
    expect(forecast.body).toMatchObject({ history: [], forecast: null });
    const alerts = await get('clerk.huang', `/statistics/alerts?month=${CUTOFF}`);
    expect(alerts.body.alerts).toEqual([]);
    // The center's own clerk sees them.
    const own = await get('clerk.chen', `/statistics/alerts?month=${CUTOFF}`);
    expect(own.body.alerts.map((a: { key: string }) => a.key)).toContain('neighbour');
  });
});

describe('when the forecast is asked for wrongly or by someone else', () => {
  it.each([
    ['forecast?metric=success_rate', 'metric'],
    ['forecast?metric=received&groupBy=disputeType', 'key'],
    ['forecast?metric=received&cutoff=2025-13', 'cutoff'],
    ['forecast?metric=received&cutoff=9999-01', 'cutoff'],
    ['forecast?metric=received&horizon=4', 'horizon'],
    ['alerts?month=2025-1', 'month'],
    ['alerts?yearOnYearShare=-1', 'yearOnYearShare'],
  ])('then /statistics/%s is 400 naming %s', async (query, field) => {
    const res = await get('supervisor.zheng', `/statistics/${query}`);
    expect(res.status, res.text).toBe(400);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
  });

  it('then a party is refused', async () => {
    const created = await stack.send(who['clerk.chen'], 'POST', '/cases', partyApplication());
    expect(created.status, created.text).toBe(201);
    const party = await stack.partyLogin(who['clerk.chen']!, created.body.caseId, created.body.parties[0].partyId);
    expect((await get(party, '/statistics/alerts')).status).toBe(403);
    expect((await get(party, '/statistics/forecast?metric=received')).status).toBe(403);
  });
});
