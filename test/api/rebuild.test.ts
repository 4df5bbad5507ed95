/**
 * Recovery from the record alone: Temporal's whole state is wiped (its database deleted) while cases stand
 * at different steps; `rebuildFromRecord` starts every open case and securing process again from the state
 * PostgreSQL stored, and each case then finishes as it would have: nothing recorded twice, every chain
 * continued and verified, a period that ran out while Temporal was gone fired on rebuild.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../config/index.js';
import { verifyCaseChain } from '../../db/event-chain.js';
import { findTemporalCli } from '../../infra/temporal-cli.js';
import { startTemporalDevServer, type DevServer } from '../../infra/temporal-dev-server.js';
import { rebuildFromRecord } from '../../infra/rebuild.js';
import { caseWorkflowId } from '../../workflows/messages.js';
import { apologyAgreement } from '../support/drive.js';
import { partyApplication } from '../support/fixtures.js';
import { freePort } from '../support/ports.js';
import { startStack, type Credentials, type Stack } from '../support/stack.js';

/** The mediation period, shortened: it runs out while Temporal is gone. */
const PERIOD_MS = 15_000;
const dir = mkdtempSync(path.join(tmpdir(), 'odr-rebuild-'));
let temporalOptions: Parameters<typeof startTemporalDevServer>[0];
let temporal: DevServer;
let stack: Stack;
const who: Record<string, Credentials> = {};
const mediatorIds: Record<string, string> = {};

const stopTemporal = async () => {
  const exited = new Promise((r) => temporal.process.once('exit', r));
  temporal.process.kill('SIGTERM');
  await exited;
};

beforeAll(async () => {
  const cli = findTemporalCli(loadConfig({ ...process.env, NODE_ENV: 'test' }));
  if (!cli) throw new Error('no Temporal CLI');
  temporalOptions = {
    cliPath: cli.path,
    dbFile: path.join(dir, 'temporal.sqlite'),
    port: await freePort(),
    uiPort: await freePort(),
    namespace: 'default',
  };
  temporal = await startTemporalDevServer(temporalOptions);
  stack = await startStack({
    ownDatabase: true,
    temporal: { address: temporal.address, namespace: 'default' },
    deadlineOverridesMs: { general_mediation: PERIOD_MS },
  });
  const staff = await stack.loginAll(['clerk.chen', 'mediator.wu']);
  Object.assign(who, staff.who);
  Object.assign(mediatorIds, staff.accountId);
});
afterAll(async () => {
  await stack?.close();
  if (temporal?.process.exitCode === null) await stopTemporal();
  rmSync(dir, { recursive: true, force: true });
});

const clerk = () => who['clerk.chen']!;
const mediator = () => who['mediator.wu']!;
const court = () => ({ apiKey: stack.apiKeys['court-5202']! });
async function act(as: Credentials, caseId: string, p: string, body: unknown = {}) {
  const res = await stack.send(as, 'POST', `/cases/${caseId}/${p}`, body);
  expect(res.status, `${p}: ${res.text}`).toBe(200);
  return res;
}
const register = async () => {
  const created = await stack.send(clerk(), 'POST', '/cases', partyApplication());
  expect(created.status, created.text).toBe(201);
  return {
    caseId: created.body.caseId as string,
    parties: created.body.parties.map((p: { partyId: string }) => p.partyId) as [string, string],
  };
};
const inMediation = async (caseId: string) => {
  await act(clerk(), caseId, 'accept');
  await act(clerk(), caseId, 'mediator', { mode: 'designated', mediatorId: mediatorIds['mediator.wu'] });
  await act(mediator(), caseId, 'mediator/accept');
};
const eventsOf = async (caseId: string) =>
  (await stack.db('case_events').where({ case_id: caseId }).orderBy('seq').select('seq', 'type', 'hash')) as {
    seq: number;
    type: string;
    hash: string;
  }[];

it('when Temporal loses all its state, then every open case and securing process is rebuilt from the record and finishes without recording anything twice', async () => {
  // Three cases at different steps: registered; a joint application for judicial confirmation signed by one
  // party (a securing process waiting); in mediation with a session recorded (its period about to run out).
  const registered = await register();
  const confirming = await register();
  await inMediation(confirming.caseId);
  await act(mediator(), confirming.caseId, 'agreement/drafts', { content: apologyAgreement });
  await act(mediator(), confirming.caseId, 'agreement/circulation');
  for (const signer of confirming.parties)
    await act(clerk(), confirming.caseId, 'agreement/signatures', { signer, method: 'handwritten', draftVersion: 1 });
  // A people's mediation agreement also carries the mediator's signature and the committee's seal (人民调解法 Art 29).
  await act(mediator(), confirming.caseId, 'agreement/signatures', {
    signer: 'mediator',
    method: 'handwritten',
    draftVersion: 1,
  });
  const sealed = await act(clerk(), confirming.caseId, 'agreement/signatures', {
    signer: 'organization_seal',
    method: 'seal',
    draftVersion: 1,
  });
  expect(sealed.body.status).toBe('AGREEMENT_EFFECTIVE');
  await act(clerk(), confirming.caseId, 'judicial-confirmation', {
    venueGround: 'party_domicile',
    courtCode: '粤5202',
  });
  await act(clerk(), confirming.caseId, 'judicial-confirmation/signatures', {
    partyId: confirming.parties[0],
    method: 'handwritten',
  });
  const mediating = await register();
  await inMediation(mediating.caseId);
  const periodStarted = Date.now();
  await act(mediator(), mediating.caseId, 'sessions', {
    at: new Date().toISOString(),
    place: '调解室',
    mode: 'in_person',
    record: '双方陈述意见。',
  });
  expect((await stack.send(clerk(), 'GET', `/cases/${mediating.caseId}`)).body.status).toBe('IN_MEDIATION');

  const ids = [registered.caseId, confirming.caseId, mediating.caseId];
  const before = Object.fromEntries(await Promise.all(ids.map(async (id) => [id, await eventsOf(id)] as const)));

  // Temporal's state is lost: the server stops and its database is deleted; a new, empty one starts.
  await stack.stopWorker();
  await stopTemporal();
  rmSync(temporalOptions.dbFile, { force: true });
  for (const suffix of ['-wal', '-shm']) rmSync(temporalOptions.dbFile + suffix, { force: true });
  temporal = await startTemporalDevServer(temporalOptions);
  await expect(stack.client.workflow.getHandle(caseWorkflowId(registered.caseId)).describe()).rejects.toThrow(
    /not found/i,
  );
  // The record still answers.
  const whileGone = await stack.send(clerk(), 'GET', `/cases/${confirming.caseId}`);
  expect(whileGone.status).toBe(200);
  expect(whileGone.body.securing.processes[0]).toMatchObject({ kind: 'judicial_confirmation', status: 'PREPARING' });

  // The period runs out while nothing runs.
  await new Promise((r) => setTimeout(r, Math.max(0, periodStarted + PERIOD_MS + 500 - Date.now())));
  const report = await rebuildFromRecord({
    db: stack.db,
    client: stack.client,
    taskQueue: stack.taskQueue,
    by: 'operator:test',
    reason: 'Temporal database lost',
  });
  expect(report.rebuiltCases.sort()).toEqual([...ids].sort());
  expect(report.rebuiltProcesses).toHaveLength(1);
  expect(report.needsAttention).toEqual([]);
  // A second run finds them running and changes nothing.
  const again = await rebuildFromRecord({
    db: stack.db,
    client: stack.client,
    taskQueue: stack.taskQueue,
    by: 'operator:test',
    reason: 'again',
  });
  expect(again).toMatchObject({ rebuiltCases: [], rebuiltProcesses: [], running: 3 });
  // An action already waiting when the rebuilt workflow's first task runs comes after the rebuild's record.
  const declining = act(clerk(), registered.caseId, 'decline', {
    reason: 'party_refuses_mediation',
    note: '被申请人明确拒绝调解',
  });
  await new Promise((r) => setTimeout(r, 300));
  await stack.startWorker();

  // Each goes on from where the record stood.
  await declining;
  await act(clerk(), confirming.caseId, 'judicial-confirmation/signatures', {
    partyId: confirming.parties[1],
    method: 'handwritten',
  });
  await act(court(), confirming.caseId, 'judicial-confirmation/acceptance', { courtCaseNumber: '(2026)粤5202民特7号' });
  const ruled = await act(court(), confirming.caseId, 'judicial-confirmation/ruling', { outcome: 'confirmed' });
  expect(ruled.body.securing.enforceableBy).toBe('judicial_confirmation');
  await act(clerk(), confirming.caseId, 'archive');
  // The period that ran out while Temporal was gone fires once its timer is armed again.
  for (const id of ids) await stack.client.workflow.getHandle(caseWorkflowId(id)).result();

  const statuses = await Promise.all(ids.map(async (id) => (await stack.send(clerk(), 'GET', `/cases/${id}`)).body));
  expect(statuses.map((b) => b.status)).toEqual(['NOT_ACCEPTED', 'CLOSED_ARCHIVED', 'TERMINATED']);
  expect(statuses[2].termination).toMatchObject({ reason: 'period_expired' });
  for (const id of ids) {
    const after = await eventsOf(id);
    // The chain as it stood is kept, event for event; the rebuild is recorded once, right after it.
    expect(after.slice(0, before[id]!.length)).toEqual(before[id]);
    expect(after[before[id]!.length]).toMatchObject({ type: 'ProcessRebuiltFromRecord' });
    expect(after.filter((e) => e.type === 'ProcessRebuiltFromRecord')).toHaveLength(1);
    // Same calendar, same starts: no clock moved.
    expect(after.filter((e) => e.type === 'DeadlineRecomputed')).toHaveLength(0);
    expect(await verifyCaseChain(stack.db, id)).toMatchObject({ ok: true });
  }
  // The securing process went on from its last report: one ProcessStarted, both signatures once.
  const confirmingTypes = (await eventsOf(confirming.caseId)).map((e) => e.type);
  expect(confirmingTypes.filter((t) => t === 'ProcessStarted')).toHaveLength(1);
  expect(confirmingTypes.filter((t) => t === 'ConfirmationApplicationSigned')).toHaveLength(2);
});
