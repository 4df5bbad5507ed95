/**
 * `tsx scripts/record-journeys.ts [prefix]`: drives the cases the replay fixtures protect through a running
 * system (`npm start`, demo data, fictional people only) as the clerk, the mediator and the court would, then
 * saves each run's history with `npm run history:record` (scripts/record-history.ts) as
 * test/fixtures/histories/<prefix>-<journey>.json. The prefix names the newest `patched()` marker the runs
 * take (default `record-batch-v1`), so the fixture set says which code path each history is on
 * (test/fixtures/histories/README.md). Same environment as `npm start` (DATA_DIR, PORT, TEMPORAL_PORT…);
 * the court's API key is read from the demo credentials `npm start` keeps in DATA_DIR.
 *
 * The journeys:
 * - `walk-in-archived`: a walk-in case from intake through a designated mediator and an apology agreement,
 *   signed by both parties, to the archive;
 * - `confirmed-performed-archived`: a loan agreement in two instalments, confirmed by the court after a
 *   correction (民事诉讼法 Art 205), both instalments paid, followed up (人民调解法 Art 31) and archived; and
 * - `judicial-confirmation-with-correction`: that case's judicial confirmation process (its own workflow).
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Client, Connection } from '@temporalio/client';
import { loadConfigOrExit } from '../config/index.js';
import { DEMO_PASSWORD } from '../db/demo-seed.js';
import { caseWorkflowId, processWorkflowId } from '../workflows/messages.js';
// The tests' own parties and agreement (fictional people: 1900 birth dates, numbers from the 170 range).
import { loanAgreement, partyApplication } from '../test/support/fixtures.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const prefix = process.argv[2] ?? 'record-batch-v1';
if (!/^[a-z0-9-]+$/.test(prefix)) {
  console.error('usage: tsx scripts/record-journeys.ts [fixture-name-prefix]');
  process.exit(2);
}
const config = loadConfigOrExit();
const apiUrl = `http://127.0.0.1:${config.http.port}`;

type Body = {
  token?: string;
  caseId?: string;
  status?: string;
  principal?: { id: string };
  parties?: { partyId: string; role: string }[];
};
type Credentials = { token: string } | { apiKey: string };

async function send(as: Credentials | undefined, method: string, route: string, body?: unknown): Promise<Body> {
  const auth: Record<string, string> = !as
    ? {}
    : 'token' in as
      ? { authorization: `Bearer ${as.token}` }
      : { 'x-api-key': as.apiKey };
  const res = await fetch(apiUrl + route, {
    method,
    headers: { ...(body !== undefined ? { 'content-type': 'application/json' } : {}), ...auth },
    ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
  });
  const text = await res.text();
  // 202: the process took it and the record follows in a moment.
  if (res.status < 200 || res.status > 202) throw new Error(`${method} ${route}: ${res.status} ${text.slice(0, 400)}`);
  return text ? (JSON.parse(text) as Body) : {};
}

const act = (as: Credentials, caseId: string, action: string, body: unknown = {}) =>
  send(as, 'POST', `/cases/${caseId}/${action}`, body);

/** Waits until the case's record shows `status` (a 202 answers before the record is written). */
async function untilStatus(as: Credentials, caseId: string, status: string): Promise<Body> {
  let view: Body = {};
  for (let tries = 0; tries < 150; tries++) {
    // (404 until the record of a case registered with a 202 is written)
    view = await send(as, 'GET', `/cases/${caseId}`).catch(() => ({}));
    if (view.status === status) return view;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`case ${caseId} is ${view.status}, not ${status}`);
}

async function staff() {
  const login = async (username: string): Promise<Credentials> => ({
    token: (await send(undefined, 'POST', '/auth/login', { username, password: DEMO_PASSWORD })).token!,
  });
  const clerk = await login('clerk.chen');
  const mediator = await login('mediator.wu');
  const mediatorId = (await send(mediator, 'GET', '/auth/me')).principal!.id;
  const kept = JSON.parse(readFileSync(path.join(config.dataDir, 'demo-credentials.json'), 'utf8')) as {
    apiKeys: Record<string, string>;
  };
  const courtKey = kept.apiKeys['court-5202'];
  if (!courtKey) throw new Error('no demo API key for court-5202 in DATA_DIR: start with the demo data');
  return { clerk, mediator, mediatorId, court: { apiKey: courtKey } as Credentials };
}
type Staff = Awaited<ReturnType<typeof staff>>;

const apologyAgreement = { facts: '双方因邻里噪音发生纠纷。', terms: [{ text: '被申请人向申请人赔礼道歉。' }] };

/** Registers the case and brings it to an effective agreement with `content`; answers the case and its parties. */
async function effectiveAgreement(s: Staff, summary: string, content: unknown) {
  const created = await send(s.clerk, 'POST', '/cases', partyApplication({ summary }));
  const caseId = created.caseId!;
  const [applicant, respondent] = created.parties!.map((p) => p.partyId) as [string, string];
  await untilStatus(s.clerk, caseId, 'REGISTERED');
  await act(s.clerk, caseId, 'accept', { note: '材料齐全' });
  await act(s.clerk, caseId, 'mediator', { mode: 'designated', mediatorId: s.mediatorId });
  await act(s.mediator, caseId, 'mediator/accept');
  await act(s.mediator, caseId, 'agreement/drafts', { content });
  await act(s.mediator, caseId, 'agreement/circulation');
  await act(s.clerk, caseId, 'agreement/signatures', { signer: applicant, method: 'handwritten', draftVersion: 1 });
  let signed = await act(s.clerk, caseId, 'agreement/signatures', {
    signer: respondent,
    method: 'handwritten',
    draftVersion: 1,
  });
  if (signed.status !== 'AGREEMENT_EFFECTIVE') {
    await act(s.mediator, caseId, 'agreement/signatures', {
      signer: 'mediator',
      method: 'handwritten',
      draftVersion: 1,
    });
    signed = await act(s.clerk, caseId, 'agreement/signatures', {
      signer: 'organization_seal',
      method: 'seal',
      draftVersion: 1,
    });
  }
  await untilStatus(s.clerk, caseId, 'AGREEMENT_EFFECTIVE');
  return { caseId, applicant, respondent };
}

async function walkInArchived(s: Staff): Promise<Record<string, string>> {
  const { caseId } = await effectiveAgreement(
    s,
    '申请人张三与被申请人李四因邻里噪音发生纠纷，申请调解。',
    apologyAgreement,
  );
  await act(s.clerk, caseId, 'archive', { note: '协议已履行，归档' });
  await untilStatus(s.clerk, caseId, 'CLOSED_ARCHIVED');
  return { 'walk-in-archived': caseWorkflowId(caseId) };
}

async function confirmedPerformedArchived(s: Staff): Promise<Record<string, string>> {
  const { caseId, applicant, respondent } = await effectiveAgreement(
    s,
    '申请人张三于2025年借给被申请人李四人民币12000元，约定半年内归还，至今未还。',
    loanAgreement,
  );
  await act(s.clerk, caseId, 'judicial-confirmation', { venueGround: 'party_domicile', courtCode: '粤5202' });
  // Both parties' wet-ink signatures on the joint application, recorded by the clerk: it goes to the court.
  for (const partyId of [applicant, respondent])
    await act(s.clerk, caseId, 'judicial-confirmation/signatures', { partyId, method: 'handwritten' });
  await act(s.court, caseId, 'judicial-confirmation/acceptance', { courtCaseNumber: '(2026)粤5202民特188号' });
  await act(s.court, caseId, 'judicial-confirmation/corrections', { items: ['借款合同原件'], days: 5 });
  await act(s.clerk, caseId, 'judicial-confirmation/corrections/submission', { note: '已补交借款合同原件' });
  await act(s.court, caseId, 'judicial-confirmation/ruling', { outcome: 'confirmed' });
  // No payee is named in the agreement, so the clerk records each payment for the applicant, who was paid.
  for (const instalment of [1, 2]) await act(s.clerk, caseId, 'payments', { instalment, partyId: applicant });
  await untilStatus(s.clerk, caseId, 'PERFORMED');
  await act(s.mediator, caseId, 'follow-ups', {
    at: new Date().toISOString(),
    mode: 'phone',
    note: '双方确认已履行完毕，无异议。',
  });
  await act(s.clerk, caseId, 'archive');
  await untilStatus(s.clerk, caseId, 'CLOSED_ARCHIVED');
  return {
    'confirmed-performed-archived': caseWorkflowId(caseId),
    'judicial-confirmation-with-correction': processWorkflowId(caseId, 'judicial_confirmation', 1),
  };
}

/** Waits (at most 30 s) for each run to end, so the history is the whole run; a run still open is saved as it stands. */
async function untilClosed(workflowIds: string[]): Promise<void> {
  const connection = await Connection.connect({
    address: config.temporal.address ?? `127.0.0.1:${config.temporal.devServerPort}`,
  });
  try {
    const client = new Client({ connection, namespace: config.temporal.namespace });
    for (const id of workflowIds) {
      let status = '';
      for (let tries = 0; tries < 150 && (status === '' || status === 'RUNNING'); tries++) {
        if (tries > 0) await new Promise((resolve) => setTimeout(resolve, 200));
        status = (await client.workflow.getHandle(id).describe()).status.name;
      }
      console.log(`${id}: ${status}`);
    }
  } finally {
    await connection.close();
  }
}

const s = await staff();
const runs = { ...(await walkInArchived(s)), ...(await confirmedPerformedArchived(s)) };
await untilClosed(Object.values(runs));
for (const [journey, workflowId] of Object.entries(runs))
  execFileSync(
    process.execPath,
    ['--import', 'tsx', path.join(root, 'scripts/record-history.ts'), workflowId, `${prefix}-${journey}`],
    { cwd: root, stdio: 'inherit' },
  );
