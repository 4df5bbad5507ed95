/**
 * The demo case `npm start` prepares for the party portal (issue 16, "Done when"): a case at the signing
 * step and its applicant's access code, with which a newcomer signs in, signs and downloads. Made once:
 * a second start reuses the case, and its kept code while it works.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD } from '../../db/demo-seed.js';
import {
  DEMO_PORTAL_APPLICANT,
  DEMO_PORTAL_CASE_SUMMARY,
  ensureDemoPortalCase,
} from '../../scripts/demo-portal-case.js';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;

beforeAll(async () => {
  // A database of its own: the demo case is one more case for 陈晓琳 and 吴国栋, whom other files count on.
  stack = await startStack({ ownDatabase: true });
});

afterAll(async () => {
  await stack?.close();
});

describe('the demo case for the party portal', () => {
  it('when npm start prepares it, then a case waits at the signing step and its access code signs in, signs and downloads', async () => {
    const demo = await ensureDemoPortalCase({ apiUrl: stack.url, db: stack.db, password: DEMO_PASSWORD });
    expect(demo.created).toBe(true);
    expect((await stack.db('cases').where({ case_id: demo.caseId }).first('status'))?.status).toBe('PENDING_SIGNATURE');

    const challenge = await stack.send(undefined, 'POST', '/auth/party/challenge', { accessCode: demo.accessCode });
    expect(challenge.status, challenge.text).toBe(201);
    expect(challenge.body.sentTo).toBe(
      `${DEMO_PORTAL_APPLICANT.phone.slice(0, 3)}****${DEMO_PORTAL_APPLICANT.phone.slice(-4)}`,
    );
    const verified = await stack.send(undefined, 'POST', '/auth/party/verify', {
      challengeId: challenge.body.challengeId,
      code: await stack.lastOneTimeCode(demo.partyId),
    });
    expect(verified.status, verified.text).toBe(201);
    const party = { token: verified.body.token as string };

    const signed = await stack.send(party, 'POST', `/cases/${demo.caseId}/agreement/signatures`, {
      signer: demo.partyId,
      method: 'electronic',
      draftVersion: 1,
    });
    expect(signed.status, signed.text).toBe(200);
    const documents = await stack.send(party, 'GET', `/cases/${demo.caseId}/documents`);
    expect(documents.status, documents.text).toBe(200);
    const agreement = (documents.body.documents as { kind: string; download: string }[]).find(
      (d) => d.kind === 'agreement',
    );
    expect(agreement).toBeDefined();
    const pdf = await stack.readPdf(party, agreement!.download);
    expect(pdf.status).toBe(200);
    expect(pdf.text).toContain('张三');
  });

  it('when npm start runs again, then the demo case is reused: with its kept code unchanged, or else with a new code', async () => {
    // The applicant signed above; the case is still at the signing step (the respondent has not).
    const first = await ensureDemoPortalCase({ apiUrl: stack.url, db: stack.db, password: DEMO_PASSWORD });
    expect(first.created).toBe(false);
    const again = await ensureDemoPortalCase({ apiUrl: stack.url, db: stack.db, password: DEMO_PASSWORD, kept: first });
    expect(again).toEqual({ ...first, created: false });
    // Without the kept code (the credentials file lost), a new one replaces it.
    const reissued = await ensureDemoPortalCase({ apiUrl: stack.url, db: stack.db, password: DEMO_PASSWORD });
    expect(reissued.caseId).toBe(first.caseId);
    expect(reissued.accessCode).not.toBe(first.accessCode);
    expect(
      (await stack.send(undefined, 'POST', '/auth/party/challenge', { accessCode: first.accessCode })).status,
    ).toBe(401);
    expect(await stack.db('cases').where({ summary: DEMO_PORTAL_CASE_SUMMARY })).toHaveLength(1);
  });
});
