/**
 * Credit files and the public directory end to end (docs/supervision.md#credit-files-and-the-public-directory),
 * on the real Temporal dev server and PostgreSQL: an upheld complaint lands in the mediator's credit file and in
 * the directory; a supervisor's sanction is public inside its window and gone after it; the directory needs no
 * login and leaks nothing personal; each file opens only to its readers; every file's chain verifies. Dates are
 * counted from the server's own day (China time) with the project's date helpers, so this holds on any date.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays, chinaDateOf } from '../../domain/calendar.js';
import { disclosureOf, disclosureStatus, levelRuleOn } from '../../domain/credit.js';
import { addYears } from '../../domain/deadlines.js';
import { verifyCreditChain } from '../../db/credit.js';
import { fictionalIdNumber, partyApplication } from '../support/fixtures.js';
import { startStack, type Credentials, type Stack } from '../support/stack.js';

let stack: Stack;
const who: Record<string, Credentials> = {};
const accountId: Record<string, string> = {};
let caseId: string;
const secrets = {
  ids: [fictionalIdNumber('445202', '19000911', '135'), fictionalIdNumber('445202', '19000912', '246')],
  phones: ['17000919001', '17000919002'],
};

beforeAll(async () => {
  stack = await startStack({ dayLengthMs: 2000 });
  const staff = await stack.loginAll([
    'clerk.chen',
    'clerk.huang',
    'mediator.zhou',
    'mediator.wu',
    'mediator.xie',
    'supervisor.zheng',
  ]);
  Object.assign(who, staff.who);
  Object.assign(accountId, staff.accountId);
  const created = await stack.send(
    who['clerk.chen'],
    'POST',
    '/cases',
    partyApplication({
      parties: [
        { role: 'applicant', kind: 'natural', name: '孙七', idNumber: secrets.ids[0], phone: secrets.phones[0] },
        { role: 'respondent', kind: 'natural', name: '钱八', idNumber: secrets.ids[1], phone: secrets.phones[1] },
      ],
    }),
  );
  expect(created.status, created.text).toBe(201);
  caseId = created.body.caseId;
  const act = async (as: Credentials, path: string, body: unknown = {}) => {
    const res = await stack.send(as, 'POST', `/cases/${caseId}/${path}`, body);
    expect(res.status, `${path}: ${res.text}`).toBe(200);
  };
  await act(who['clerk.chen'], 'accept');
  await act(who['clerk.chen'], 'mediator', { mode: 'designated', mediatorId: accountId['mediator.zhou'] });
  await act(who['mediator.zhou'], 'mediator/accept');
  who.applicant = await stack.partyLogin(who['clerk.chen'], caseId, created.body.parties[0].partyId);
}, 120_000);

afterAll(async () => {
  await stack?.close();
});

const supervisor = () => who['supervisor.zheng'];
/** The server's day in China time (the day the API counts disclosure windows on). */
const today = () => chinaDateOf(new Date());
/**
 * Runs `check` on today's China date, and once more on the new day if a midnight passed while it ran: the API
 * counts on its own day, which must be the day the expectation was made for.
 */
async function onOneDay(check: (day: string) => Promise<void>): Promise<void> {
  for (;;) {
    const day = today();
    try {
      return await check(day);
    } catch (err) {
      if (today() === day) throw err;
    }
  }
}
/**
 * The earliest day an organization's bad record can have been decided and still be public on `day`: the day after
 * the one 3 years before, or the day after that where the window of a 29 February ends on the 28th (domain/credit.ts).
 */
function firstDecisionStillPublicOn(day: string): string {
  let decided = addYears(day, -3);
  while (disclosureStatus(disclosureOf('institution_adverse', decided), day) !== 'inside')
    decided = addDays(decided, 1);
  return decided;
}
const noPersonalData = (text: string) => {
  for (const s of [...secrets.ids, ...secrets.phones]) expect(text).not.toContain(s);
  expect(text).not.toMatch(/\b1[3-9]\d{9}\b/); // no mobile number of anyone
  expect(text).not.toMatch(/\b\d{17}[\dX]\b/); // no ID number
};

/** Files a complaint about the case's mediator as the applicant and takes it to an upheld decision. */
async function upheldComplaint(): Promise<{ complaintId: string; trackingNumber: string }> {
  const filed = await stack.send(who.applicant, 'POST', `/cases/${caseId}/complaints`, {
    ground: 'attitude',
    facts: '调解员态度生硬，多次打断当事人陈述',
    request: '责令改正',
    replyChannel: 'sms',
    target: { kind: 'mediator' },
  });
  expect(filed.status, filed.text).toBe(201);
  const { complaintId, trackingNumber } = filed.body.complaint;
  const step = async (as: Credentials, path: string, body: unknown = {}) => {
    const res = await stack.send(as, 'POST', `/complaints/${complaintId}/${path}`, body);
    expect(res.status, `${path}: ${res.text}`).toBe(200);
  };
  await step(supervisor(), 'acceptance');
  await step(supervisor(), 'investigator', { accountId: accountId['clerk.chen'] });
  await step(who['clerk.chen'], 'findings', { findings: '经调查属实' });
  await step(supervisor(), 'decision', { upheld: true, outcome: 'order_correction', reasons: '投诉属实' });
  return { complaintId, trackingNumber };
}

/** Asks until `check` holds (the decision's record is written by the complaint's activity). */
async function eventually<T>(read: () => Promise<T>, check: (v: T) => boolean): Promise<T> {
  for (let i = 0; i < 50; i++) {
    const v = await read();
    if (check(v)) return v;
    await new Promise((r) => setTimeout(r, 200));
  }
  return read();
}

describe('an upheld complaint', () => {
  it("when a complaint about a mediator is upheld, then it is in the mediator's credit file and, inside its window, in the public directory; the chain verifies", async () => {
    const { complaintId, trackingNumber } = await upheldComplaint();
    const zhou = accountId['mediator.zhou']!;
    const file = await eventually(
      () => stack.send(supervisor(), 'GET', `/credit/mediators/${zhou}`),
      (r) => r.body.entries?.some((e: { document: string }) => e.document === trackingNumber),
    );
    expect(file.status, file.text).toBe(200);
    const upheld = file.body.entries.find((e: { document: string }) => e.document === trackingNumber);
    expect(upheld).toMatchObject({
      kind: 'complaint_upheld',
      title: '投诉属实：责令改正',
      authority: '揭阳市司法局',
      outcomeLabel: '责令改正',
      basis: '人民调解法第十五条',
      source: { kind: 'complaint', ref: trackingNumber },
      disclosure: { ruleId: 'individual_adverse', status: 'inside', until: addYears(upheld.decidedOn, 5) },
    });
    expect(file.body.chain.ok).toBe(true);
    expect(await verifyCreditChain(stack.db, { kind: 'mediator', id: zhou })).toMatchObject({ ok: true });
    // Once per complaint: its row is keyed by the complaint, whatever the activity's retries.
    const rows = await stack.db('credit_entries').where({ source_key: `complaint:${complaintId}` });
    expect(rows).toHaveLength(1);
    // Append-only: the database itself refuses to change or remove an entry.
    await expect(
      stack
        .db('credit_entries')
        .where({ source_key: `complaint:${complaintId}` })
        .delete(),
    ).rejects.toThrow(/append-only/);

    const listed = await stack.send(undefined, 'GET', `/directory/mediators/${zhou}`);
    expect(listed.status, listed.text).toBe(200);
    expect(listed.body.sanctions).toContainEqual(
      expect.objectContaining({ kind: 'complaint_upheld', document: trackingNumber, outcomeLabel: '责令改正' }),
    );
    expect(listed.text).not.toContain('孙七');
    expect(listed.text).not.toContain('态度生硬');
    noPersonalData(listed.text);
  }, 120_000);

  it("when the supervisor evaluates the mediator, then the level comes from the rule in force with its version, and the directory and the party's roster show it", async () => {
    const zhou = accountId['mediator.zhou']!;
    const day = today();
    const evaluated = await stack.send(supervisor(), 'POST', `/credit/mediators/${zhou}/evaluations`, {
      from: addDays(day, -364),
      to: day,
    });
    expect(evaluated.status, evaluated.text).toBe(201);
    const rule = levelRuleOn(day);
    expect(evaluated.body.evaluation).toMatchObject({ ruleVersion: rule.version });
    // The upheld complaint is a bad record inside its window: never better than C.
    expect(evaluated.body.evaluation.adverseInWindow).toBeGreaterThanOrEqual(1);
    expect(['C', 'D']).toContain(evaluated.body.evaluation.level);

    const listed = await stack.send(undefined, 'GET', `/directory/mediators?orgId=rongcheng-pmc`);
    const shown = listed.body.mediators.find((m: { mediatorId: string }) => m.mediatorId === zhou);
    expect(shown.level).toMatchObject({ level: evaluated.body.evaluation.level, ruleVersion: rule.version });
    const roster = await stack.send(who.applicant, 'GET', '/roster/mediators');
    expect(roster.body.mediators.find((m: { mediatorId: string }) => m.mediatorId === zhou).level).toEqual(shown.level);
  }, 60_000);
});

describe("a supervisor's sanction", () => {
  it('when a sanction is inside its disclosure window, then the directory shows it; once the window has passed, it is gone from the directory but stays in the file', async () => {
    // An organization's bad record is public for 3 years: one decided 3 years ago today has just left its
    // window; the first one decided after it that is still public is on its last day (on 2027-02-28 that is one of
    // 2024-03-01: the window of a 29 February decision ends on the 28th, domain/credit.ts).
    const record = (decidedOn: string, document: string) =>
      stack.send(supervisor(), 'POST', '/credit/organizations/traffic-pmc/entries', {
        kind: 'sanction',
        title: '通报批评',
        authority: '揭阳市司法局',
        decidedOn,
        document,
      });
    await onOneDay(async (day) => {
      const tag = String(Date.now());
      const past = await record(addYears(day, -3), `揭司惩〔过期〕${tag}号`);
      const inside = await record(firstDecisionStillPublicOn(day), `揭司惩〔期内〕${tag}号`);
      expect(past.status, past.text).toBe(201);
      expect(inside.status, inside.text).toBe(201);
      expect(past.body.disclosure).toMatchObject({ ruleId: 'institution_adverse', status: 'expired' });
      expect(inside.body.disclosure).toMatchObject({
        ruleId: 'institution_adverse',
        status: 'inside',
        lastDayShown: day,
      });

      const res = await stack.send(undefined, 'GET', '/directory/organizations');
      expect(res.status).toBe(200);
      const org = res.body.organizations.find((o: { orgId: string }) => o.orgId === 'traffic-pmc');
      const documents = org.sanctions.map((s: { document: string }) => s.document);
      expect(documents).toContain(`揭司惩〔期内〕${tag}号`);
      expect(documents).not.toContain(`揭司惩〔过期〕${tag}号`);

      const file = await stack.send(supervisor(), 'GET', '/credit/organizations/traffic-pmc');
      const inFile = file.body.entries.map((e: { document: string }) => e.document);
      expect(inFile).toEqual(expect.arrayContaining([`揭司惩〔过期〕${tag}号`, `揭司惩〔期内〕${tag}号`]));
      expect(file.body.chain.ok).toBe(true);
    });
  });

  it('when a sanction is dated in the future or lacks its document, then 400 names the field; anyone but the supervisor is refused', async () => {
    await onOneDay(async (day) => {
      const body = {
        kind: 'sanction',
        title: '警告',
        authority: '揭阳市司法局',
        decidedOn: addDays(day, 1),
        document: 'x',
      };
      const future = await stack.send(supervisor(), 'POST', '/credit/organizations/traffic-pmc/entries', body);
      expect([future.status, future.body.errors?.[0]?.field]).toEqual([400, 'decidedOn']);
      const { document: _d, ...noDocument } = { ...body, decidedOn: day };
      const missing = await stack.send(supervisor(), 'POST', '/credit/organizations/traffic-pmc/entries', noDocument);
      expect([missing.status, missing.body.errors?.[0]?.field]).toEqual([400, 'document']);
      const clerk = await stack.send(who['clerk.huang'], 'POST', '/credit/organizations/rongcheng-pmc/entries', {
        ...body,
        decidedOn: day,
      });
      expect(clerk.status).toBe(403);
    });
  });
});

describe('who reads a credit file', () => {
  it("when an organization's staff read files, then their organization's and its mediators' open, another organization's do not", async () => {
    const read = (as: string, path: string) => stack.send(who[as], 'GET', `/credit/${path}`);
    expect((await read('clerk.huang', 'organizations/rongcheng-pmc')).status).toBe(200);
    expect((await read('clerk.huang', `mediators/${accountId['mediator.zhou']}`)).status).toBe(200);
    expect((await read('clerk.huang', 'organizations/traffic-pmc')).status).toBe(404);
    expect((await read('clerk.huang', `mediators/${accountId['mediator.xie']}`)).status).toBe(404);
    // A mediator reads their own file only.
    expect((await read('mediator.zhou', `mediators/${accountId['mediator.zhou']}`)).status).toBe(200);
    expect((await read('mediator.zhou', `mediators/${accountId['mediator.wu']}`)).status).toBe(404);
    expect((await read('mediator.zhou', 'organizations/rongcheng-pmc')).status).toBe(404);
    // The center's clerks belong to no mediation organization; a party keeps no files.
    expect((await read('clerk.chen', 'organizations/rongcheng-pmc')).status).toBe(404);
    expect((await read('applicant', 'organizations/rongcheng-pmc')).status).toBe(403);
  });
});

describe('the public directory', () => {
  it('when nobody is logged in, then every listing answers, may be cached briefly, and carries no personal contact data', async () => {
    for (const path of [
      '/directory/organizations',
      '/directory/mediators',
      '/directory/mediators?disputeType=medical&language=cantonese',
      '/directory/offices',
    ]) {
      const res = await stack.send(undefined, 'GET', path);
      expect(res.status, `${path}: ${res.text}`).toBe(200);
      expect(res.headers.get('cache-control')).toBe('public, max-age=60');
      noPersonalData(res.text.replace(/"officePhone":"\d+"/g, ''));
      expect(res.text).not.toMatch(/openCases|maxOpenCases|password|username|complainant/);
    }
    const medical = await stack.send(undefined, 'GET', '/directory/mediators?disputeType=medical&language=cantonese');
    expect(medical.body.mediators.length).toBeGreaterThan(0);
    for (const m of medical.body.mediators) {
      expect(m.specialties).toContain('medical');
      expect(m.languages).toContain('cantonese');
    }
    const offices = (await stack.send(undefined, 'GET', '/directory/offices')).body.offices;
    expect(new Set(offices.map((o: { kind: string }) => o.kind))).toEqual(
      new Set(['court', 'notary_office', 'legal_aid_office']),
    );
    for (const o of offices) expect([o.address, o.hours]).not.toContain(null);
  });

  it('when a directory query is not valid or names no mediator, then 400 naming the field or 404', async () => {
    const bad = await stack.send(undefined, 'GET', '/directory/mediators?language=latin');
    expect([bad.status, bad.body.errors?.[0]?.field]).toEqual([400, 'language']);
    expect((await stack.send(undefined, 'GET', '/directory/mediators/not-an-id')).status).toBe(404);
    expect((await stack.send(undefined, 'GET', `/directory/mediators/${accountId['clerk.chen']}`)).status).toBe(404);
  });
});
