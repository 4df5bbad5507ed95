/**
 * The demo case for the party portal (issue 16): one case at the signing step (待签署), driven once through
 * the running API and worker as a clerk and a mediator would (register, accept, designate 吴国栋, he
 * accepts, drafts and circulates the agreement), and the applicant's access code, so a newcomer signs in
 * to the portal, signs and downloads within a minute. `npm start` calls it after the API and the worker are
 * up, only with the demo data and never in production. Idempotent: a demo case already at the signing step
 * is reused, and so is its kept access code while it still works.
 */
import type { Knex } from 'knex';
import { findPartyByAccessCode } from '../db/identity.js';
import { latestCaseWithSummary } from '../db/tooling.js';
import { chinaDateOf } from '../domain/calendar.js';
import { idNumberCheckChar } from '../domain/id-number.js';

/** The marker the demo case is found by: no real case is registered with this summary. */
export const DEMO_PORTAL_CASE_SUMMARY =
  '【演示案件】申请人张三于2025年3月借给被申请人李四人民币12000元，约定2026年6月30日前归还，至今未还。';

/** Fictional people: 1900 birth dates and 170 numbers (a virtual operators' range) reach no one. */
const id = (birth: string, seq: string) => `445202${birth}${seq}${idNumberCheckChar(`445202${birth}${seq}`)}`;
export const DEMO_PORTAL_APPLICANT = { name: '张三', idNumber: id('19000101', '123'), phone: '17000001234' };
const DEMO_PORTAL_RESPONDENT = { name: '李四', idNumber: id('19000202', '456'), phone: '17000005678' };

export type DemoPortalCase = {
  caseId: string;
  caseNumber: string;
  partyId: string;
  partyName: string;
  accessCode: string;
};

/** The fields of the answers read here (the OpenAPI document has them in full). */
type Body = {
  token?: string;
  caseId?: string;
  caseNumber?: string;
  status?: string;
  accessCode?: string;
  principal?: { id: string };
  parties?: { partyId: string; role: string; name: string }[];
};
type Answer = { status: number; body: Body; text: string };

/**
 * Finds or makes the demo case at the signing step and returns it with a working access code for its
 * applicant: `kept` (from the demo credentials file) when it is still this case's and still valid,
 * otherwise a new one, issued by the clerk (the applicant's previous code then stops working).
 */
export async function ensureDemoPortalCase(opts: {
  apiUrl: string;
  db: Knex;
  password: string;
  kept?: DemoPortalCase | undefined;
}): Promise<DemoPortalCase & { created: boolean }> {
  const { apiUrl, db, password, kept } = opts;
  const send = async (token: string | undefined, method: string, path: string, body?: unknown): Promise<Answer> => {
    const res = await fetch(apiUrl + path, {
      method,
      headers: {
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(token ? { authorization: `Bearer ${token}` } : {}),
      },
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    let parsed: Body = {};
    try {
      parsed = text ? (JSON.parse(text) as Body) : {};
    } catch {
      parsed = {};
    }
    return { status: res.status, body: parsed, text };
  };
  const expectStatus = (what: string, res: Answer, ...ok: number[]) => {
    if (!ok.includes(res.status))
      throw new Error(`demo case: ${what} answered ${res.status} ${res.text.slice(0, 300)}`);
    return res;
  };
  const login = async (username: string) =>
    expectStatus(`login ${username}`, await send(undefined, 'POST', '/auth/login', { username, password }), 201).body
      .token!;

  const existing = await latestCaseWithSummary(db, DEMO_PORTAL_CASE_SUMMARY, 'PENDING_SIGNATURE');
  if (
    existing &&
    kept?.caseId === existing.caseId &&
    (await findPartyByAccessCode(db, kept.accessCode))?.party_id === kept.partyId
  ) {
    return { ...kept, caseNumber: existing.caseNumber, created: false };
  }

  const clerk = await login('clerk.chen');
  let caseId: string;
  if (existing) {
    caseId = existing.caseId;
  } else {
    const mediator = await login('mediator.wu');
    const mediatorId = expectStatus('who is mediator.wu', await send(mediator, 'GET', '/auth/me'), 200).body.principal!
      .id;
    const created = expectStatus(
      'registering',
      await send(clerk, 'POST', '/cases', {
        channel: 'walk_in',
        disputeType: 'loan_debt',
        summary: DEMO_PORTAL_CASE_SUMMARY,
        claimantLearnedOfHarmOn: '2026-07-01',
        claimAmountFen: 1_200_000,
        parties: [
          { role: 'applicant', kind: 'natural', ...DEMO_PORTAL_APPLICANT, address: '广东省揭阳市榕城区演示路1号' },
          { role: 'respondent', kind: 'natural', ...DEMO_PORTAL_RESPONDENT },
        ],
      }),
      201,
      202,
    );
    caseId = created.body.caseId!;
    // 202: the process has the case and its record follows in a moment; the actions below go to the process.
    const act = async (token: string, path: string, body: unknown = {}) =>
      expectStatus(path, await send(token, 'POST', `/cases/${caseId}/${path}`, body), 200, 202);
    await act(clerk, 'accept');
    await act(clerk, 'mediator', { mode: 'designated', mediatorId });
    await act(mediator, 'mediator/accept');
    const due = (days: number) => {
      const date = chinaDateOf(new Date(Date.now() + days * 86_400_000));
      const [y, m, d] = date.split('-').map(Number);
      return { date, written: `${y}年${m}月${d}日` };
    };
    const [first, second] = [due(90), due(180)];
    await act(mediator, 'agreement/drafts', {
      content: {
        facts:
          '被申请人李四于2025年3月向申请人张三借款人民币12000元，约定2026年6月30日前归还，至今未还。经调解，双方自愿达成如下协议。',
        terms: [
          {
            text: `被申请人李四于${first.written}前向申请人张三归还借款人民币陆仟元整。`,
            amountFen: 600_000,
            dueDate: first.date,
          },
          {
            text: `被申请人李四于${second.written}前向申请人张三归还剩余借款人民币陆仟元整。`,
            amountFen: 600_000,
            dueDate: second.date,
          },
        ],
        performance: '银行转账',
      },
    });
    await act(mediator, 'agreement/circulation');
  }
  // The record catches up with the process within a moment of a 202.
  let view: Answer | undefined;
  for (let tries = 0; tries < 100; tries++) {
    view = await send(clerk, 'GET', `/cases/${caseId}`);
    if (view.status === 200 && view.body.status === 'PENDING_SIGNATURE') break;
    await new Promise((r) => setTimeout(r, 200));
  }
  if (view?.status !== 200 || view.body.status !== 'PENDING_SIGNATURE')
    throw new Error(`demo case ${caseId} did not reach the signing step: ${view?.text.slice(0, 300)}`);
  const applicant = view.body.parties!.find((p) => p.role === 'applicant')!;
  const issued = expectStatus(
    'issuing the access code',
    await send(clerk, 'POST', `/cases/${caseId}/parties/${applicant.partyId}/access-code`, {}),
    201,
  );
  return {
    caseId,
    caseNumber: view.body.caseNumber!,
    partyId: applicant.partyId,
    partyName: applicant.name,
    accessCode: issued.body.accessCode!,
    created: !existing,
  };
}
