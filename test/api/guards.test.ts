/**
 * What the system keeps to itself and what it refuses, over HTTP on the real stack: screening seen only
 * by those who need it, idempotency that survives a crash and a key rotation, a guardian or agent acting
 * for the party they represent, the conflict check for a child party, and institution accounts.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApiKey } from '../../db/identity.js';
import { fictionalIdNumber, partyApplication } from '../support/fixtures.js';
import { startStack, type Credentials, type Stack } from '../support/stack.js';

let stack: Stack;
const who: Record<string, Credentials> = {};
const accountId: Record<string, string> = {};

beforeAll(async () => {
  stack = await startStack();
  const staff = await stack.loginAll(['clerk.chen', 'mediator.wu', 'mediator.zhou', 'supervisor.zheng', 'legalaid.xu']);
  Object.assign(who, staff.who);
  Object.assign(accountId, staff.accountId);
});
afterAll(async () => {
  await stack?.close();
});

const clerk = () => who['clerk.chen']!;
const act = (as: Credentials, caseId: string, path: string, body: unknown = {}, headers: Record<string, string> = {}) =>
  stack.send(as, 'POST', `/cases/${caseId}/${path}`, body, headers);
const types = (body: { events: { type: string }[] }) => body.events.map((e) => e.type);

/** A loan case whose applicant acts through an agent. */
const withAgent = () =>
  partyApplication({
    parties: [
      {
        role: 'applicant',
        kind: 'natural',
        name: '张三',
        idNumber: fictionalIdNumber('445202', '19000101', '123'),
        phone: '17000001234',
        representatives: [
          {
            kind: 'agent',
            name: '王律师',
            idNumber: fictionalIdNumber('445202', '19000505', '505'),
            phone: '17000505050',
          },
        ],
      },
      {
        role: 'respondent',
        kind: 'natural',
        name: '李四',
        idNumber: fictionalIdNumber('445202', '19000202', '456'),
        phone: '17000005678',
      },
    ],
  });

describe('who sees the screening', () => {
  it('when a party has applied for legal aid, then the other party sees none of it, the supervisor only where it stands, the applicant all of it', async () => {
    const created = await stack.send(clerk(), 'POST', '/cases', partyApplication());
    const caseId = created.body.caseId as string;
    const [applicantId, respondentId] = created.body.parties.map((p: { partyId: string }) => p.partyId) as string[];
    await act(clerk(), caseId, 'legal-aid', {
      partyId: applicantId,
      basis: 'national_abuse_victim',
      selfDeclaration: true,
    });
    await act(clerk(), caseId, 'screening', { priorityGroups: ['disabled'] });

    const other = (await stack.send(await stack.partyLogin(clerk(), caseId, respondentId!), 'GET', `/cases/${caseId}`))
      .body;
    expect(other.screening.legalAid).toBeUndefined();
    expect(other.screening.priorityGroups).toBeUndefined();
    expect(other.screening.judicialConfirmation).toBeDefined();
    expect(types(other)).not.toContain('LegalAidApplied');
    expect(types(other)).not.toContain('ScreeningRecorded');
    expect(other.deadlines.map((d: { ruleId: string }) => d.ruleId)).not.toContain('legal_aid_decision');
    expect(JSON.stringify(other)).not.toContain('national_abuse_victim');
    const otherDeadlines = (
      await stack.send(await stack.partyLogin(clerk(), caseId, respondentId!), 'GET', `/cases/${caseId}/deadlines`)
    ).body.deadlines;
    expect(otherDeadlines.map((d: { ruleId: string }) => d.ruleId)).not.toContain('legal_aid_decision');

    const supervisor = (await stack.send(who['supervisor.zheng']!, 'GET', `/cases/${caseId}`)).body;
    expect(supervisor.screening.legalAid).toEqual({ status: 'applied', staffAssigned: false });
    expect(supervisor.screening.priorityGroups).toEqual(['disabled']);
    expect(JSON.stringify(supervisor)).not.toContain('national_abuse_victim');
    expect(supervisor.deadlines.map((d: { ruleId: string }) => d.ruleId)).toContain('legal_aid_decision');

    const own = (await stack.send(await stack.partyLogin(clerk(), caseId, applicantId!), 'GET', `/cases/${caseId}`))
      .body;
    expect(own.screening.legalAid).toMatchObject({ status: 'applied', basis: 'national_abuse_victim' });
    expect(types(own)).toContain('LegalAidApplied');
    const officer = (await stack.send(who['legalaid.xu']!, 'GET', `/cases/${caseId}`)).body;
    expect(officer.screening.legalAid).toMatchObject({ basis: 'national_abuse_victim' });
  });
});

describe('a guardian or agent acts for the party they represent', () => {
  it('when an agent applies for legal aid without naming the party, then the application is for the party they represent', async () => {
    const created = await stack.send(clerk(), 'POST', '/cases', withAgent());
    expect(created.status, created.text).toBe(201);
    const caseId = created.body.caseId as string;
    const applicant = created.body.parties.find((p: { role: string }) => p.role === 'applicant');
    const agent = created.body.parties.find((p: { role: string }) => p.role === 'agent');
    const asAgent = await stack.partyLogin(clerk(), caseId, agent.partyId);
    const applied = await act(asAgent, caseId, 'legal-aid', { basis: 'economic_hardship', selfDeclaration: true });
    expect(applied.status, applied.text).toBe(200);
    expect(applied.body.screening.legalAid).toMatchObject({ status: 'applied', partyId: applicant.partyId });
    const forThemselves = await act(clerk(), caseId, 'legal-aid', {
      partyId: agent.partyId,
      basis: 'economic_hardship',
      selfDeclaration: true,
    });
    expect(forThemselves.status).toBe(409); // one application is pending; and an agent is not a party to the dispute
  });
});

describe('the conflict check for a child party', () => {
  it('when the mediator is a relative of a child party (whose name is stored masked), then the assignment is refused', async () => {
    const created = await stack.send(
      clerk(),
      'POST',
      '/cases',
      partyApplication({
        disputeType: 'neighbour',
        summary: '邻居家修缮房屋，掉落物砸伤申请人（未成年人）。',
        parties: [
          {
            role: 'applicant',
            kind: 'natural',
            name: '张三',
            minorUnder14: true,
            representatives: [
              {
                kind: 'guardian',
                name: '张大',
                idNumber: fictionalIdNumber('445202', '19000606', '606'),
                phone: '17000606060',
              },
            ],
          },
          {
            role: 'respondent',
            kind: 'natural',
            name: '李四',
            idNumber: fictionalIdNumber('445202', '19000202', '456'),
          },
        ],
      }),
    );
    expect(created.status, created.text).toBe(201);
    expect(created.body.parties[0].name).not.toBe('张三');
    await act(clerk(), created.body.caseId, 'accept');
    const res = await act(clerk(), created.body.caseId, 'mediator', {
      mode: 'designated',
      mediatorId: accountId['mediator.zhou'],
    });
    expect(res.status, res.text).toBe(422);
    expect(res.body).toMatchObject({ rule: 'mediator_conflict' });
  });
});

describe('idempotency', () => {
  async function caseInMediation() {
    const created = await stack.send(clerk(), 'POST', '/cases', partyApplication());
    const caseId = created.body.caseId as string;
    await act(clerk(), caseId, 'accept');
    await act(clerk(), caseId, 'mediator', { mode: 'designated', mediatorId: accountId['mediator.wu'] });
    expect((await act(who['mediator.wu']!, caseId, 'mediator/accept')).body.status).toBe('IN_MEDIATION');
    return caseId;
  }
  const session = { at: '2026-11-27T15:00:00+08:00', place: '调解室', mode: 'in_person', record: '第一次调解。' };

  it('when the process died after the action reached the case, then the retry is answered once the lease ends and the action is not repeated', async () => {
    const caseId = await caseInMediation();
    const key = { 'Idempotency-Key': `crash-${caseId}` };
    expect((await act(who['mediator.wu']!, caseId, 'sessions', session, key)).status).toBe(200);
    // As if the answer was never recorded: the key is unanswered and its holder is gone.
    const row = () => stack.db('idempotency_keys').where({ key: key['Idempotency-Key'] });
    await row().update({ status_code: null, response_body: null, locked_until: new Date(Date.now() + 60_000) });
    const busy = await act(who['mediator.wu']!, caseId, 'sessions', session, key);
    expect(busy.status).toBe(409);
    expect(busy.body.type).toBe('/problems/idempotency-key-in-progress');
    await row().update({ locked_until: new Date(Date.now() - 1_000) });
    const retried = await act(who['mediator.wu']!, caseId, 'sessions', session, key);
    expect(retried.status, retried.text).toBe(200);
    expect(await stack.db('case_events').where({ case_id: caseId, type: 'SessionRecorded' })).toHaveLength(1);
    expect((await row().first())!.status_code).toBe(200);
  });

  it('when a court sends the same key through two of its API keys, then the case is registered once', async () => {
    const institutionId = (await stack
      .db('institutions')
      .where({ kind: 'court', code: '粤5202' })
      .first('institution_id'))!.institution_id as string;
    const second = await createApiKey(stack.db, institutionId, 'second system');
    const body = partyApplication({
      channel: 'court_pre_filing',
      court: {
        courtCode: '粤5202',
        courtName: '揭阳市榕城区人民法院',
        letterNumber: `榕法委派〔2026〕${Date.now() % 1000}号`,
      },
    });
    const key = { 'Idempotency-Key': `court-letter-${randomUUID()}` };
    const first = await stack.send({ apiKey: stack.apiKeys['court-5202']! }, 'POST', '/cases', body, key);
    const again = await stack.send({ apiKey: second.key }, 'POST', '/cases', body, key);
    expect(first.status, first.text).toBe(201);
    expect(again.status).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body.caseId).toBe(first.body.caseId);
  });
});

describe('institution accounts', () => {
  it('when a court account without its institution is created, then the database refuses it', async () => {
    await expect(
      stack.db('staff_accounts').insert({
        account_id: randomUUID(),
        username: `court.unlinked.${Date.now()}`,
        display_name: '未关联法院账号',
        role: 'court',
        password_hash: 'x',
      }),
    ).rejects.toThrow(/institution_accounts_have_institution/);
  });
});
