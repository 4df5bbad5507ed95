/**
 * Loading a year's holiday notice on the real Temporal dev server and PostgreSQL: the supervisor's action
 * (and its refusals), the running case's deadline recounted on its chain, and its re-armed timer firing at
 * the new time. Days are compressed (a day lasts 400 ms on the worker's clock) so the timer can be seen to
 * fire; the counting itself is the real calendar's. The file has its own database, so the calendar it loads
 * is seen by no other test file. Nothing here depends on the date the suite runs.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, calendarYear, type HolidayCalendar } from '../../domain/calendar.js';
import { DEADLINE_RULES, computeDeadline, reminderAt } from '../../domain/deadlines.js';
import { withNotice, type CalendarNotice } from '../../domain/calendar-notice.js';
import { isProvisional } from '../../domain/recount.js';
import { verifyCaseChain } from '../../db/event-chain.js';
import { readOutbox } from '../../infra/sms.js';
import { calendarOfVersion } from '../support/deadlines.js';
import { partyApplication } from '../support/fixtures.js';
import { startStack, type Credentials, type Stack } from '../support/stack.js';

const DAY_MS = 400;
let stack: Stack;
const who: Record<string, Credentials> = {};

beforeAll(async () => {
  stack = await startStack({ ownDatabase: true, dayLengthMs: DAY_MS });
  Object.assign(who, (await stack.loginAll(['clerk.chen', 'supervisor.zheng'])).who);
});
afterAll(async () => {
  await stack?.close();
});

type Deadline = {
  ruleId: string;
  status: string;
  startedAt: string;
  dueAt: string;
  lastDay: string;
  calendarVersion: string;
  provisional: boolean;
};
type Event = { type: string; at: string; payload: Record<string, unknown> };
const view = async (caseId: string) =>
  (await stack.send(who['clerk.chen'], 'GET', `/cases/${caseId}`)).body as { deadlines: Deadline[]; events: Event[] };
const deadline = async (caseId: string, ruleId: string) =>
  (await view(caseId)).deadlines.find((d) => d.ruleId === ruleId)!;

/** A notice for the years around `lastDay` that makes it and the nine days after it rest days (a long break). */
function noticeMovingPast(cal: HolidayCalendar, lastDay: string): CalendarNotice {
  const extra = Array.from({ length: 10 }, (_, i) => addDays(lastDay, i));
  const years: CalendarNotice['years'] = {};
  for (const year of new Set(extra.map((d) => d.slice(0, 4)))) {
    const { days } = calendarYear(cal, Number(year));
    const mine = extra.filter((d) => d.startsWith(year));
    years[year] = {
      off: [...new Set([...days.off, ...mine])].sort(),
      workdays: days.workdays.filter((d) => !mine.includes(d)),
    };
  }
  return { source: '测试用放假安排（非官方，仅用于测试）', publishedOn: `${lastDay.slice(0, 4)}-01-01`, years };
}

describe('loading a holiday notice', () => {
  it('when a supervisor loads a year, then a running clock is recounted on the chain and its timer fires at the new time; an expired one stays expired', async () => {
    const clerk = who['clerk.chen'];
    // A one-sided application: its 3-working-day contact period runs out within seconds on this clock.
    const lapsed = (await stack.send(clerk, 'POST', '/cases', partyApplication({ oneSided: true }))).body
      .caseId as string;
    await stack.send(clerk, 'POST', `/cases/${lapsed}/accept`, {});
    await expect
      .poll(async () => (await deadline(lapsed, 'counterparty_contact'))?.status, { timeout: 20_000, interval: 250 })
      .toBe('expired');

    // The clerk gives a phone for reminder texts.
    expect((await stack.send(clerk, 'PUT', '/auth/me/reminder-phone', { phone: '1700009' })).status).toBe(400);
    expect((await stack.send(clerk, 'PUT', '/auth/me/reminder-phone', { phone: '17000009999' })).body).toEqual({
      phone: '170****9999',
    });
    const caseId = (await stack.send(clerk, 'POST', '/cases', partyApplication())).body.caseId as string;
    expect((await stack.send(clerk, 'POST', `/cases/${caseId}/accept`, {})).status).toBe(200);
    const before = await deadline(caseId, 'general_mediation');
    expect(before).toMatchObject({ status: 'open' });

    const current = await calendarOfVersion(stack.db, before.calendarVersion);
    const notice = noticeMovingPast(current, before.lastDay);
    const body = { notice, replace: true };

    // Only a supervisor loads a calendar; a wrong notice is refused naming the field, and nothing changes.
    expect((await stack.send(clerk, 'POST', '/supervision/calendar', body)).status).toBe(403);
    const year = Object.keys(notice.years)[0]!;
    // A make-up working day on a weekday: the first weekday of March in that year.
    const weekday = [1, 2, 3, 4, 5, 6, 7]
      .map((n) => `${year}-03-0${n}`)
      .find((d) => ![0, 6].includes(new Date(`${d}T00:00:00Z`).getUTCDay()))!;
    const weekdayWorkday = {
      notice: { ...notice, years: { [year]: { ...notice.years[year]!, workdays: [weekday] } } },
      replace: true,
    };
    const refused = await stack.send(who['supervisor.zheng'], 'POST', '/supervision/calendar', weekdayWorkday);
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].field).toBe(`notice.years.${year}.workdays[0]`);

    const loaded = await stack.send(who['supervisor.zheng'], 'POST', '/supervision/calendar', body);
    expect(loaded.status, loaded.text).toBe(201);
    expect(loaded.body.recount.told).toBeGreaterThanOrEqual(1);
    const version = loaded.body.version as string;
    expect((await stack.send(clerk, 'GET', '/supervision/calendar')).body.version).toBe(version);
    // Loading the same notice again changes nothing.
    expect((await stack.send(who['supervisor.zheng'], 'POST', '/supervision/calendar', body)).body).toMatchObject({
      version,
      changed: false,
    });

    // The case recounts on the new version: the last day moves past the break, and the chain says so.
    await expect
      .poll(async () => (await deadline(caseId, 'general_mediation')).calendarVersion.split('+')[0], {
        timeout: 15_000,
        interval: 200,
      })
      .toBe(version);
    const after = await deadline(caseId, 'general_mediation');
    const expected = computeDeadline(DEADLINE_RULES.general_mediation, before.startedAt, {
      ...withNotice(current, notice, { replace: true }).calendar,
      provisional: current.provisional!,
    });
    expect(after).toMatchObject({
      status: 'open',
      lastDay: expected.lastDay,
      calendarVersion: expected.calendarVersion,
      provisional: isProvisional(expected),
    });
    expect(after.lastDay > addDays(before.lastDay, 9)).toBe(true);
    expect(Date.parse(after.dueAt)).toBeGreaterThan(Date.parse(before.dueAt) + 9 * DAY_MS);
    // The live state shows the recount first; the chain has it once the record activity ran.
    await expect
      .poll(async () => (await view(caseId)).events.some((e) => e.type === 'DeadlineRecomputed'), {
        timeout: 10_000,
        interval: 200,
      })
      .toBe(true);
    const recount = (await view(caseId)).events.find((e) => e.type === 'DeadlineRecomputed')!;
    expect(recount.payload).toMatchObject({
      ruleId: 'general_mediation',
      oldDueAt: before.dueAt,
      newDueAt: after.dueAt,
      oldCalendarVersion: before.calendarVersion,
      newCalendarVersion: after.calendarVersion,
    });
    const rows = (await stack.send(clerk, 'GET', `/cases/${caseId}/deadlines`)).body.deadlines as Deadline[];
    expect(rows.find((d) => d.ruleId === 'general_mediation')).toMatchObject({
      dueAt: after.dueAt,
      calendarVersion: after.calendarVersion,
      provisional: after.provisional,
    });

    // The expired clock of the other case stays expired and is not recounted.
    expect(await deadline(lapsed, 'counterparty_contact')).toMatchObject({ status: 'expired' });
    expect((await view(lapsed)).events.some((e) => e.type === 'DeadlineRecomputed')).toBe(false);

    // Its reminder reaches the clerk's queue, not only the event log.
    const queued = async () => {
      for (let cursor = '', page = 0; page < 20; page++) {
        const q = await stack.send(clerk, 'GET', `/queues/cases?limit=200${cursor ? `&cursor=${cursor}` : ''}`);
        const row = q.body.cases.find((c: { caseId: string }) => c.caseId === caseId);
        if (row || !q.body.nextCursor) return row as { reminders: { ruleId: string; dueAt: string }[] } | undefined;
        cursor = q.body.nextCursor;
      }
      return undefined;
    };
    await expect
      .poll(async () => (await queued())?.reminders, { timeout: 20_000, interval: 250 })
      .toEqual([{ ruleId: 'general_mediation', dueAt: after.dueAt }]);
    expect(
      (await view(caseId)).events.find((e) => e.type === 'DeadlineReminder' && e.payload.ruleId === 'general_mediation')
        ?.payload,
    ).toMatchObject({ dueAt: after.dueAt, to: ['mediator', 'clerk'] });
    // …and the clerk's phone, once, naming the case and the period but no party.
    const caseNumber = (await stack.send(clerk, 'GET', `/cases/${caseId}`)).body.caseNumber as string;
    await expect
      .poll(
        async () =>
          (await readOutbox(stack.db, stack.cipher, 500)).filter(
            (m) => m.to === '17000009999' && m.body.includes(caseNumber) && m.body.includes('人民调解期限'),
          ).length,
        { timeout: 10_000, interval: 250 },
      )
      .toBe(1);
    const text = (await readOutbox(stack.db, stack.cipher, 500)).find(
      (m) => m.to === '17000009999' && m.body.includes(caseNumber) && m.body.includes('人民调解期限'),
    )!;
    expect(text.body).toContain(after.lastDay);
    expect(text.body).not.toMatch(/张三|李四/);

    // The timer was re-armed durably: the period runs out at the new time, not the old one.
    await expect
      .poll(async () => (await deadline(caseId, 'general_mediation')).status, { timeout: 30_000, interval: 250 })
      .toBe('expired');
    const expired = (await view(caseId)).events.find(
      (e) => e.type === 'DeadlineExpired' && e.payload.ruleId === 'general_mediation',
    )!;
    expect(Date.parse(expired.at)).toBeGreaterThanOrEqual(Date.parse(after.dueAt));
    expect(expired.payload.dueAt).toBe(after.dueAt);
    expect(await verifyCaseChain(stack.db, caseId)).toMatchObject({ ok: true });
  });

  it('when an operator loads a notice file with npm run calendar, then a wrong file is refused naming the field and a loaded one is reported', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'odr-calendar-'));
    const env = { ...process.env, ...stack.workerEnv(dir) };
    const run = (...args: string[]) =>
      promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/calendar.ts', ...args], {
        env,
        timeout: 60_000,
      }).then(
        (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
        (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
      );
    const shown = await run('show');
    expect(shown.code, shown.err).toBe(0);
    const version = /calendar (\S+)/.exec(shown.out)![1]!;
    const current = await calendarOfVersion(stack.db, version);
    const year = String(Math.max(...Object.keys(current.years).map(Number)) + 1);
    const { days } = calendarYear(current, Number(year));
    const bad = path.join(dir, 'bad.json');
    writeFileSync(
      bad,
      JSON.stringify({
        source: '测试用放假安排（非官方）',
        publishedOn: `${year}-01-01`,
        years: { [year]: { off: days.off.slice(1), workdays: [] } },
      }),
    );
    const refused = await run('add', bad);
    expect(refused.code).toBe(65);
    expect(refused.err).toContain(`years.${year}.off: 元旦`);
    const good = path.join(dir, 'good.json');
    writeFileSync(
      good,
      JSON.stringify({
        source: '测试用放假安排（非官方）',
        publishedOn: `${year}-01-01`,
        years: { [year]: { off: days.off, workdays: [] } },
      }),
    );
    const loaded = await run('add', good);
    expect(loaded.code, loaded.err).toBe(0);
    expect(loaded.out).toContain(`loaded: the calendar is now prc-2025-${year}@${year}-01-01`);
    expect(loaded.out).toMatch(/\d+ running case\(s\) told to recount/);
    expect((await run('add', good)).out).toContain('nothing new');
    expect((await stack.send(who['clerk.chen'], 'GET', '/supervision/calendar')).body).toMatchObject({
      version: `prc-2025-${year}@${year}-01-01`,
      publishedYears: expect.arrayContaining([Number(year)]),
    });
  });

  it("when a supervisor sets an organization's own length and reminder lead, then its next case counts with them and says so", async () => {
    const clerk = who['clerk.chen'];
    const orgId = (await stack.send(clerk, 'GET', '/auth/me')).body.principal.orgId as string;
    const path = `/supervision/organizations/${orgId}/clock-settings`;
    expect((await stack.send(clerk, 'PUT', path, { generalMediationDays: 20, reminderWorkingDays: 5 })).status).toBe(
      403,
    );
    const bad = await stack.send(who['supervisor.zheng'], 'PUT', path, {
      generalMediationDays: 0,
      reminderWorkingDays: 5,
    });
    expect(bad.status).toBe(400);
    expect(bad.body.errors[0].field).toBe('generalMediationDays');
    expect(
      (
        await stack.send(who['supervisor.zheng'], 'PUT', '/supervision/organizations/no-such-org/clock-settings', {
          generalMediationDays: 20,
          reminderWorkingDays: 5,
        })
      ).status,
    ).toBe(404);
    expect(
      (await stack.send(who['supervisor.zheng'], 'PUT', path, { generalMediationDays: 20, reminderWorkingDays: 5 }))
        .status,
    ).toBe(200);
    expect((await stack.send(clerk, 'GET', path)).body).toMatchObject({
      generalMediationDays: 20,
      reminderWorkingDays: 5,
      defaults: { generalMediationDays: 30, reminderWorkingDays: 3 },
    });
    try {
      const caseId = (await stack.send(clerk, 'POST', '/cases', partyApplication())).body.caseId as string;
      await stack.send(clerk, 'POST', `/cases/${caseId}/accept`, {});
      const d = await deadline(caseId, 'general_mediation');
      const cal = await calendarOfVersion(stack.db, d.calendarVersion);
      const counted = computeDeadline(DEADLINE_RULES.general_mediation, d.startedAt, cal, { length: 20 });
      expect(d.lastDay).toBe(counted.lastDay);
      const rows = (await stack.send(clerk, 'GET', `/cases/${caseId}/deadlines`)).body.deadlines as {
        ruleId: string;
        explanation: string[];
        reminderAt: string;
      }[];
      const row = rows.find((r) => r.ruleId === 'general_mediation')!;
      expect(row.explanation[0]).toContain('人民调解期限：20日（调解组织规定）');
      // Five working days before the last day, on this file's compressed clock.
      const start = Date.parse(d.startedAt);
      const remind = reminderAt(counted, cal, 5)!;
      expect(row.reminderAt).toBe(new Date(start + ((Date.parse(remind) - start) * DAY_MS) / 86_400_000).toISOString());
    } finally {
      await stack.send(who['supervisor.zheng'], 'PUT', path, { generalMediationDays: null, reminderWorkingDays: null });
      await stack.send(clerk, 'PUT', '/auth/me/reminder-phone', { phone: null });
    }
  });
});
