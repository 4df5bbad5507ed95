/**
 * Drives one case from intake to the archive with the Temporal client: the same workflow start and the same
 * updates, with the same arguments, that the API sends for each step (api/routes/cases.ts), so the real
 * and the skeleton runs exchange identical messages. Nothing here reads the PostgreSQL projection, which
 * the skeleton never writes.
 */
import { randomUUID } from 'node:crypto';
import type { Client, WorkflowHandle } from '@temporalio/client';
import type { Knex } from 'knex';
import { findStaffByUsername } from '../db/identity.js';
import { findInstitution } from '../db/tooling.js';
import type { Actor, CaseIntake } from '../domain/case.js';
import type { AgreementContent } from '../domain/case-rules.js';
import { idNumberCheckChar } from '../domain/id-number.js';
import type { ConfirmationCommand } from '../domain/securing.js';
import {
  WORKFLOW_TYPE,
  awaitProcessReportUpdate,
  awaitRegistrationUpdate,
  caseActionUpdate,
  caseWorkflowId,
  processActionUpdate,
  processWorkflowId,
  type CaseAction,
  type CaseSnapshot,
  type MediationCaseInput,
} from '../workflows/messages.js';

/** Who acts: the demo center's clerk, a mediator of the organization that handles loans, a basic court. */
export type Cast = { clerk: Actor; mediator: Actor; court: { institutionId: string; name: string } };

export async function loadCast(db: Knex): Promise<Cast> {
  const account = async (username: string) => {
    const account = await findStaffByUsername(db, username);
    if (!account) throw new Error(`the demo account ${username} is missing (is the database demo-seeded?)`);
    return account.accountId;
  };
  const court = await findInstitution(db, 'court-5202');
  if (!court) throw new Error('the demo court court-5202 is missing');
  return {
    clerk: { id: await account('clerk.chen'), role: 'clerk' },
    mediator: { id: await account('mediator.wu'), role: 'mediator' },
    court: { institutionId: court.institutionId, name: court.name },
  };
}

const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
const fictionalId = (birth: string, seq: string) => `445202${birth}${seq}` + idNumberCheckChar(`445202${birth}${seq}`);

/** A walk-in loan dispute, as POST /cases builds it (startCase in api/routes/cases.ts). */
export function loanIntake(cast: Cast): CaseIntake {
  return {
    caseId: randomUUID(),
    receivedAt: new Date().toISOString(),
    channel: 'walk_in',
    disputeType: 'loan_debt',
    summary: '申请人张三借给被申请人李四人民币12000元，约定半年内归还，至今未还。',
    claimantLearnedOfHarmOn: day(-100),
    claimAmountFen: 1_200_000,
    parties: [
      {
        partyId: randomUUID(),
        role: 'applicant',
        kind: 'natural',
        name: '张三',
        idNumber: fictionalId('19000101', '123'),
        phone: '17000001234',
        address: '广东省揭阳市榕城区某某路1号',
      },
      {
        partyId: randomUUID(),
        role: 'respondent',
        kind: 'natural',
        name: '李四',
        idNumber: fictionalId('19000202', '456'),
        phone: '17000005678',
      },
    ],
    registeredBy: cast.clerk,
    routing: { intakeOrgId: 'center' },
  };
}

/** Two dated instalments paid to the applicant, due well after the run (no timer fires during it). */
function loanAgreement(payee: string): AgreementContent {
  return {
    facts: '被申请人李四向申请人张三借款人民币12000元，约定半年内归还，至今未还。',
    terms: [
      {
        text: '被申请人李四向申请人张三归还借款人民币陆仟元整。',
        amountFen: 600_000,
        dueDate: day(60),
        payeePartyId: payee,
      },
      {
        text: '被申请人李四向申请人张三归还剩余借款人民币陆仟元整。',
        amountFen: 600_000,
        dueDate: day(150),
        payeePartyId: payee,
      },
    ],
    performance: '银行转账',
  };
}

export type DrivenCase = { caseId: string; handle: WorkflowHandle; applicant: string; respondent: string };

/** Starts the case and waits until the intake is recorded, as POST /cases does. */
export async function registerCase(client: Client, taskQueue: string, cast: Cast): Promise<DrivenCase> {
  const intake = loanIntake(cast);
  const handle = await client.workflow.start(WORKFLOW_TYPE, {
    workflowId: caseWorkflowId(intake.caseId),
    taskQueue,
    args: [{ intake } satisfies MediationCaseInput],
    workflowIdReusePolicy: 'REJECT_DUPLICATE',
  });
  await handle.executeUpdate(awaitRegistrationUpdate);
  return {
    caseId: intake.caseId,
    handle,
    applicant: intake.parties[0]!.partyId,
    respondent: intake.parties[1]!.partyId,
  };
}

export const act = (c: DrivenCase, action: CaseAction): Promise<CaseSnapshot> =>
  c.handle.executeUpdate(caseActionUpdate, { args: [action] });

/** Accepted, a mediator designated, who accepts: the case is IN_MEDIATION. */
export async function toMediation(client: Client, taskQueue: string, cast: Cast): Promise<DrivenCase> {
  const c = await registerCase(client, taskQueue, cast);
  await act(c, { type: 'accept', actor: cast.clerk });
  await act(c, { type: 'assign_mediator', actor: cast.clerk, mode: 'designated', mediatorId: cast.mediator.id });
  const s = await act(c, { type: 'mediator_accepts', actor: cast.mediator, conflict: 'none' });
  expectStatus(s, 'IN_MEDIATION');
  return c;
}

/** A process step as the API takes it: the child's update, then the case's record of its report. */
async function processStep(
  client: Client,
  c: DrivenCase,
  n: number,
  command: ConfirmationCommand,
): Promise<CaseSnapshot> {
  const result = await client.workflow
    .getHandle(processWorkflowId(c.caseId, 'judicial_confirmation', n))
    .executeUpdate(processActionUpdate, { args: [command] });
  return c.handle.executeUpdate(awaitProcessReportUpdate, {
    args: [{ kind: 'judicial_confirmation', n, reportSeq: result.reportSeq }],
  });
}

/**
 * Intake → mediation → written agreement signed → judicial confirmation (joint application signed by
 * both parties, accepted, confirmed) → both instalments paid → follow-up → archived, and the workflow
 * completes. Returns the number of updates sent.
 */
export async function driveToArchive(client: Client, taskQueue: string, cast: Cast): Promise<number> {
  const c = await toMediation(client, taskQueue, cast);
  const applicant: Actor = { id: c.applicant, role: 'party' };
  await act(c, { type: 'save_draft', actor: cast.mediator, content: loanAgreement(c.applicant) });
  await act(c, { type: 'circulate_for_signature', actor: cast.mediator });
  await act(c, { type: 'sign', actor: cast.clerk, signer: c.applicant, method: 'handwritten', draftVersion: 1 });
  let s = await act(c, {
    type: 'sign',
    actor: cast.clerk,
    signer: c.respondent,
    method: 'handwritten',
    draftVersion: 1,
  });
  let updates = 8;
  if (s.status !== 'AGREEMENT_EFFECTIVE') {
    await act(c, { type: 'sign', actor: cast.mediator, signer: 'mediator', method: 'handwritten', draftVersion: 1 });
    s = await act(c, { type: 'sign', actor: cast.clerk, signer: 'organization_seal', method: 'seal', draftVersion: 1 });
    updates += 2;
  }
  expectStatus(s, 'AGREEMENT_EFFECTIVE');
  s = await act(c, {
    type: 'apply_judicial_confirmation',
    actor: cast.clerk,
    court: cast.court,
    venueGround: 'party_domicile',
  });
  const n = s.securing!.processes.filter((p) => p.kind === 'judicial_confirmation').at(-1)!.n;
  await processStep(client, c, n, {
    type: 'sign_application',
    actor: applicant,
    partyId: c.applicant,
    method: 'electronic',
  });
  await processStep(client, c, n, {
    type: 'sign_application',
    actor: cast.clerk,
    partyId: c.respondent,
    method: 'handwritten',
  });
  const court: Actor = { id: cast.court.institutionId, role: 'court' };
  await processStep(client, c, n, { type: 'court_accepts', actor: court, courtCaseNumber: '(2026)粤5202民特88号' });
  s = await processStep(client, c, n, { type: 'court_rules', actor: court, outcome: 'confirmed' });
  if (s.securing?.enforceableBy !== 'judicial_confirmation')
    throw new Error(`case ${c.caseId}: the agreement was not confirmed`);
  for (const instalment of [1, 2])
    s = await act(c, { type: 'confirm_payment', actor: applicant, instalment, partyId: c.applicant });
  expectStatus(s, 'PERFORMED');
  await act(c, {
    type: 'record_follow_up',
    actor: cast.mediator,
    at: new Date().toISOString(),
    mode: 'phone',
    note: '双方确认已履行完毕，无异议。',
  });
  expectStatus(await act(c, { type: 'archive', actor: cast.clerk }), 'CLOSED_ARCHIVED');
  await c.handle.result();
  return updates + 1 + 8 + 2 + 2;
}

function expectStatus(s: CaseSnapshot, status: string): void {
  if (s.status !== status) throw new Error(`case ${s.caseId} is ${s.status}, expected ${status}`);
}
