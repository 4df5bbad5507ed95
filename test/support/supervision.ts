/**
 * What the supervision files (complaints and ratings end to end) set up alike: a stack whose every clock is counted
 * on the real holiday calendar and run on a clock whose day lasts two seconds, the staff logged in, cases between
 * two fictional parties registered by the clerk, and waiting for what the staff's lists show next.
 */
import { expect } from 'vitest';
import { fictionalIdNumber, partyApplication } from './fixtures.js';
import { startStack, type Credentials, type Stack } from './stack.js';

/** A day lasts two seconds: a follow-up's or a complaint's clock runs out within a test. */
export const SUPERVISION_DAY_MS = 2000;

/** The stack, with these staff logged in: their credentials and account ids by username. */
export async function supervisionStack(staff: string[]) {
  const stack = await startStack({ dayLengthMs: SUPERVISION_DAY_MS });
  const { who, accountId } = await stack.loginAll(staff);
  return { stack, who, accountId };
}

export type TwoPartyCase = { caseId: string; applicant: string; respondent: string };

/**
 * Each file's own parties: the birth dates' first digits (a fictional 1900 date, finished by the case's number) and
 * the phones' first ten digits (from the 170 test range), applicant's then respondent's. Other files use others.
 */
export type PartySeries = { births: [string, string]; phones: [string, string] };

/** A walk-in loan case between 王五 (applicant) and 赵六 (respondent), registered by the clerk; `n` is 1 to 9. */
export async function registerTwoPartyCase(
  stack: Stack,
  clerk: Credentials,
  series: PartySeries,
  n: number,
): Promise<TwoPartyCase> {
  const party = (role: 'applicant' | 'respondent', name: string, i: 0 | 1, sequence: string) => ({
    role,
    kind: 'natural',
    name,
    idNumber: fictionalIdNumber('445202', `${series.births[i]}${n}`, sequence),
    phone: `${series.phones[i]}${n}`,
  });
  const created = await stack.send(
    clerk,
    'POST',
    '/cases',
    partyApplication({ parties: [party('applicant', '王五', 0, '135'), party('respondent', '赵六', 1, '246')] }),
  );
  expect(created.status, created.text).toBe(201);
  const [applicant, respondent] = created.body.parties.map((p: { partyId: string }) => p.partyId) as [string, string];
  return { caseId: created.body.caseId as string, applicant, respondent };
}

/** An action on a case that must succeed (200), as the clerk or mediator takes it; its answer. */
export async function actOnCase(stack: Stack, as: Credentials, caseId: string, path: string, body: unknown = {}) {
  const res = await stack.send(as, 'POST', `/cases/${caseId}/${path}`, body);
  expect(res.status, `${path}: ${res.text}`).toBe(200);
  return res;
}

/**
 * Asks again, as a person refreshing a list would, until `read` finds what it looks for (anything but undefined);
 * fails naming `what` after `timeoutMs`.
 */
export async function pollUntil<T>(
  read: () => Promise<T | undefined>,
  what: string,
  timeoutMs = 90_000,
  everyMs = 500,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await read();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what} never came within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}
