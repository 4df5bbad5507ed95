/**
 * An agreed instalment is a clock too: its due date rolls past a rest day (民法典 Art 203), so a holiday notice
 * loaded later that makes that date a rest day moves it, on the case's chain. Real days; the file has its own
 * database (the calendar it loads is seen by no other file); dates are chosen from the day the suite runs.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, calendarYear, isWorkingDay } from '../../domain/calendar.js';
import { withNotice, type CalendarNotice } from '../../domain/calendar-notice.js';
import { performanceDue } from '../../domain/deadlines.js';
import { verifyCaseChain } from '../../db/event-chain.js';
import { calendarOfVersion } from '../support/deadlines.js';
import { effectiveAgreement } from '../support/drive.js';
import { datesAhead, loanAgreement, partyApplication } from '../support/fixtures.js';
import { startStack, type Credentials, type Stack } from '../support/stack.js';

let stack: Stack;
const who: Record<string, Credentials> = {};

beforeAll(async () => {
  stack = await startStack({ ownDatabase: true });
  Object.assign(who, (await stack.loginAll(['clerk.chen', 'supervisor.zheng'])).who);
});
afterAll(async () => {
  await stack?.close();
});

describe('instalments after a holiday notice', () => {
  it("when a loaded notice makes an instalment's date a rest day, then it falls due on the next working day and the chain says so", async () => {
    const shown = (await stack.send(who['clerk.chen'], 'GET', '/supervision/calendar')).body as { version: string };
    const cal = await calendarOfVersion(stack.db, shown.version);
    // A working day about two months on.
    let due = datesAhead(60).date;
    while (!isWorkingDay(cal, due)) due = addDays(due, 1);
    const [y, m, d] = due.split('-').map(Number) as [number, number, number];
    const content = {
      ...loanAgreement,
      terms: [
        {
          text: `被申请人李四于${y}年${m}月${d}日前向申请人张三归还借款人民币陆仟元整。`,
          amountFen: 600_000,
          dueDate: due,
        },
      ],
    };
    const { caseId } = await effectiveAgreement(stack, { intake: partyApplication(), content });
    const before = (await stack.send(who['clerk.chen'], 'GET', `/cases/${caseId}`)).body.performance.instalments[0];
    expect(before).toMatchObject({ lastDay: due, status: 'pending' });

    const year = due.slice(0, 4);
    const { days } = calendarYear(cal, Number(year));
    const notice: CalendarNotice = {
      source: '测试用放假安排（非官方，仅用于测试）',
      publishedOn: `${year}-01-01`,
      years: {
        [year]: { off: [...new Set([...days.off, due])].sort(), workdays: days.workdays.filter((x) => x !== due) },
      },
    };
    const loaded = await stack.send(who['supervisor.zheng'], 'POST', '/supervision/calendar', {
      notice,
      replace: true,
    });
    expect(loaded.status, loaded.text).toBe(201);
    expect(loaded.body.recount.told).toBeGreaterThanOrEqual(1);

    const expected = performanceDue(due, {
      ...withNotice(cal, notice, { replace: true }).calendar,
      provisional: cal.provisional!,
    });
    expect(expected.rolled).toBe(true);
    await expect
      .poll(
        async () =>
          (await stack.send(who['clerk.chen'], 'GET', `/cases/${caseId}`)).body.performance.instalments[0].lastDay,
        { timeout: 15_000, interval: 200 },
      )
      .toBe(expected.lastDay);
    await expect
      .poll(
        async () =>
          (await stack.send(who['clerk.chen'], 'GET', `/cases/${caseId}`)).body.events.some(
            (e: { type: string }) => e.type === 'InstalmentRecomputed',
          ),
        { timeout: 10_000, interval: 200 },
      )
      .toBe(true);
    const view = (await stack.send(who['clerk.chen'], 'GET', `/cases/${caseId}`)).body;
    expect(view.performance.instalments[0]).toMatchObject({
      dueAt: expected.dueAt,
      status: 'pending',
      calendarVersion: loaded.body.version,
    });
    expect(view.events.find((e: { type: string }) => e.type === 'InstalmentRecomputed').payload).toMatchObject({
      n: 1,
      oldLastDay: due,
      newLastDay: expected.lastDay,
      newDueAt: expected.dueAt,
      article: '民法典第二百零三条',
    });
    // Told again, the case has nothing left to recount.
    const again = await stack.send(who['supervisor.zheng'], 'POST', '/supervision/calendar', { notice, replace: true });
    expect(again.body).toMatchObject({ changed: false, recount: { told: 0 } });
    expect(await verifyCaseChain(stack.db, caseId)).toMatchObject({ ok: true });
  });
});
