/**
 * A court delegates a dispute with its file: the letter and the complaint come as they are (PDF, scans),
 * are kept once per content, recorded by hash in the case's chain, and read only by those handling the case.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyCaseChain } from '../../db/event-chain.js';
import { apologyAgreement, effectiveAgreement } from '../support/drive.js';
import { courtDelegation, partyApplication } from '../support/fixtures.js';
import { startStack, type Credentials, type Stack } from '../support/stack.js';

let stack: Stack;
let clerk: Credentials;
const court = () => ({ apiKey: stack.apiKeys['court-5202']! });
const otherCourt = () => ({ apiKey: stack.apiKeys['court-5203']! });

beforeAll(async () => {
  stack = await startStack();
  clerk = (await stack.loginAll(['clerk.chen'])).who['clerk.chen']!;
});
afterAll(async () => {
  await stack?.close();
});

const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`, 'latin1');
const png = () => Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), randomBytes(64)]);

/** Sends a file as it is; `send` in the stack speaks JSON only. */
async function upload(
  as: Credentials,
  caseId: string,
  query: Record<string, string>,
  body: Buffer,
  contentType: string,
  headers: Record<string, string> = {},
) {
  const auth: Record<string, string> =
    as === undefined ? {} : 'token' in as ? { authorization: `Bearer ${as.token}` } : { 'x-api-key': as.apiKey };
  const res = await fetch(`${stack.url}/cases/${caseId}/materials?${new URLSearchParams(query)}`, {
    method: 'POST',
    headers: { 'content-type': contentType, ...auth, ...headers },
    body,
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined, text };
}

const received = async (caseId: string) =>
  (await stack.db('case_events').where({ case_id: caseId, type: 'MaterialReceived' }).orderBy('seq')).map(
    (e) => e.payload,
  );

describe('court materials', () => {
  it('when a court delegates a case and sends its file, then each file is kept once, recorded by hash, and read by the court and the clerk only', async () => {
    const created = await stack.send(court(), 'POST', '/cases', courtDelegation());
    expect(created.status, created.text).toBe(201);
    const caseId = created.body.caseId as string;
    const letter = pdf('委派调解函');
    const first = await upload(
      court(),
      caseId,
      { kind: 'court_letter', title: '榕法委派〔2026〕12号委派调解函' },
      letter,
      'application/pdf',
    );
    expect(first.status, first.text).toBe(201);
    expect(first.body.material).toMatchObject({
      kind: 'court_letter',
      mediaType: 'application/pdf',
      sizeBytes: letter.length,
      title: '榕法委派〔2026〕12号委派调解函',
    });
    const scan = png();
    const scanned = await upload(court(), caseId, { kind: 'evidence', title: '借条照片(正面)' }, scan, 'image/png');
    expect(scanned.status).toBe(201);
    // The same file again (a retry without a key) is the same material, recorded once.
    const again = await upload(
      court(),
      caseId,
      { kind: 'court_letter', title: '委派调解函' },
      letter,
      'application/pdf',
    );
    expect(again.status).toBe(200);
    expect(again.body.material.materialId).toBe(first.body.material.materialId);

    const chain = await received(caseId);
    expect(chain).toHaveLength(2);
    expect(chain[0]).toEqual({
      materialId: first.body.material.materialId,
      kind: 'court_letter',
      sha256: first.body.material.sha256,
      sizeBytes: letter.length,
      mediaType: 'application/pdf',
    });
    expect(JSON.stringify(chain)).not.toContain('借条'); // titles may name people: never in the chain
    expect(await verifyCaseChain(stack.db, caseId)).toMatchObject({ ok: true });

    const list = await stack.send(clerk, 'GET', `/cases/${caseId}/materials`);
    expect(list.body.materials.map((m: { title: string; uploadedBy: string }) => [m.title, m.uploadedBy])).toEqual([
      ['榕法委派〔2026〕12号委派调解函', 'court'],
      ['借条照片(正面)', 'court'],
    ]);
    const download = await fetch(`${stack.url}${first.body.material.download}`, {
      headers: { 'x-api-key': court().apiKey },
    });
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await download.arrayBuffer()).equals(letter)).toBe(true);
    // Saved under its title: RFC 5987 encodes the parentheses too, so every browser reads the same name.
    const scanDownload = await fetch(`${stack.url}${scanned.body.material.download}`, {
      headers: { 'x-api-key': court().apiKey },
    });
    expect(scanDownload.headers.get('content-disposition')).toBe(
      `attachment; filename=evidence.png; filename*=UTF-8''${encodeURIComponent('借条照片')}%28${encodeURIComponent('正面')}%29.png`,
    );
    expect(Buffer.from(await scanDownload.arrayBuffer()).equals(scan)).toBe(true);

    // A party of the case does not read the court's file; another court does not see the case at all.
    const party = await stack.partyLogin(clerk, caseId, created.body.parties[0].partyId);
    expect((await stack.send(party, 'GET', `/cases/${caseId}/materials`)).body).toEqual({ materials: [] });
    expect(
      (
        await fetch(`${stack.url}${first.body.material.download}`, {
          headers: { authorization: `Bearer ${party.token}` },
        })
      ).status,
    ).toBe(404);
    expect((await stack.send(otherCourt(), 'GET', `/cases/${caseId}/materials`)).status).toBe(404);
    expect(
      (await upload(otherCourt(), caseId, { kind: 'evidence', title: 'x' }, pdf('x'), 'application/pdf')).status,
    ).toBe(404);
  });

  it('when a party uploads evidence in the portal, then the case records it and that party alone among the parties reads it', async () => {
    const created = await stack.send(clerk, 'POST', '/cases', partyApplication());
    const caseId = created.body.caseId as string;
    const [applicantId, respondentId] = created.body.parties.map((p: { partyId: string }) => p.partyId);
    const applicant = await stack.partyLogin(clerk, caseId, applicantId);
    const respondent = await stack.partyLogin(clerk, caseId, respondentId);
    const receipt = pdf('收条');
    const sent = await upload(applicant, caseId, { kind: 'evidence', title: '收条' }, receipt, 'application/pdf');
    expect(sent.status, sent.text).toBe(201);
    expect((await received(caseId)).map((m) => m.materialId)).toEqual([sent.body.material.materialId]);

    const own = await stack.send(applicant, 'GET', `/cases/${caseId}/materials`);
    expect(own.body.materials.map((m: { title: string; uploadedBy: string }) => [m.title, m.uploadedBy])).toEqual([
      ['收条', 'party'],
    ]);
    const back = await fetch(`${stack.url}${sent.body.material.download}`, {
      headers: { authorization: `Bearer ${applicant.token}` },
    });
    expect(Buffer.from(await back.arrayBuffer()).equals(receipt)).toBe(true);
    // The other side's evidence is for the mediator to show, not for the respondent's portal.
    expect((await stack.send(respondent, 'GET', `/cases/${caseId}/materials`)).body).toEqual({ materials: [] });
    expect(
      (
        await fetch(`${stack.url}${sent.body.material.download}`, {
          headers: { authorization: `Bearer ${respondent.token}` },
        })
      ).status,
    ).toBe(404);
    expect((await stack.send(clerk, 'GET', `/cases/${caseId}/materials`)).body.materials).toHaveLength(1);
  });

  it('when a file is not what it says, too large, untitled or sent as JSON, then the problem names it and nothing is kept', async () => {
    const created = await stack.send(clerk, 'POST', '/cases', partyApplication());
    const caseId = created.body.caseId as string;
    const cases = [
      [{ kind: 'evidence', title: '收据' }, png(), 'application/pdf', 400, '(body)'],
      [{ kind: 'evidence' }, pdf('a'), 'application/pdf', 400, 'title'],
      [{ kind: 'diary', title: '日记' }, pdf('b'), 'application/pdf', 400, 'kind'],
      [{ kind: 'evidence', title: '空' }, Buffer.alloc(0), 'application/pdf', 400, '(body)'],
    ] as const;
    for (const [query, body, type, status, field] of cases) {
      const res = await upload(clerk, caseId, query, body, type);
      expect(res.status, res.text).toBe(status);
      expect(res.headers.get('content-type')).toContain('application/problem+json');
      expect(res.body.errors.map((e: { field: string }) => e.field)).toContain(field);
    }
    const json = await stack.send(
      clerk,
      'POST',
      `/cases/${caseId}/materials?kind=evidence&title=${encodeURIComponent('王五的收据')}`,
      { file: 'base64…' },
    );
    expect(json.status).toBe(415);
    expect(json.body.instance).toBe(`/cases/${caseId}/materials`); // what the user typed stays out of the answer
    const huge = await upload(
      clerk,
      caseId,
      { kind: 'evidence', title: '大文件' },
      Buffer.concat([pdf('c'), Buffer.alloc(21 * 1024 * 1024)]),
      'application/pdf',
    );
    expect(huge.status).toBe(413);
    expect(huge.headers.get('content-type')).toContain('application/problem+json');
    expect(await stack.db('case_materials').where({ case_id: caseId })).toEqual([]);
    expect(await received(caseId)).toEqual([]);
  });

  it('when the same idempotency key comes with another file, then it is a conflict; with the same file, the first answer', async () => {
    const created = await stack.send(clerk, 'POST', '/cases', partyApplication());
    const caseId = created.body.caseId as string;
    const key = { 'idempotency-key': `materials-${caseId}` };
    const first = await upload(
      clerk,
      caseId,
      { kind: 'identity', title: '身份证复印件' },
      pdf('id-1'),
      'application/pdf',
      key,
    );
    expect(first.status).toBe(201);
    const replay = await upload(
      clerk,
      caseId,
      { kind: 'identity', title: '身份证复印件' },
      pdf('id-1'),
      'application/pdf',
      key,
    );
    expect(replay.status).toBe(201);
    expect(replay.body.material.materialId).toBe(first.body.material.materialId);
    // The title may name a person: the stored answer a replay comes from leaves it out.
    expect(replay.body.material.title).toBeUndefined();
    expect(
      JSON.stringify(await stack.db('idempotency_keys').where({ key: key['idempotency-key'] }).pluck('response_body')),
    ).not.toContain('身份证');
    expect(
      (await upload(clerk, caseId, { kind: 'identity', title: '身份证复印件' }, pdf('id-2'), 'application/pdf', key))
        .status,
    ).toBe(409);
    expect(await received(caseId)).toHaveLength(1);
  });

  it("when a delegated case with its file is archived, then the archive lists the court's file and the evidence as filed", async () => {
    const { act } = await effectiveAgreement(stack, {
      intake: courtDelegation(),
      registrant: court(),
      content: apologyAgreement,
      beforeAccept: async (caseId) => {
        expect(
          (
            await upload(
              court(),
              caseId,
              { kind: 'court_letter', title: '委派调解函' },
              pdf('letter-archive'),
              'application/pdf',
            )
          ).status,
        ).toBe(201);
      },
    });
    const archived = await act(clerk, 'archive');
    expect(archived.body.status, archived.text).toBe('CLOSED_ARCHIVED');
    const caseId = archived.body.caseId as string;
    const doc = (await stack.send(clerk, 'GET', `/cases/${caseId}/documents`)).body.documents.find(
      (d: { kind: string }) => d.kind === 'archive_summary',
    );
    const bytes = Buffer.from(
      await (
        await fetch(`${stack.url}${doc.download}`, {
          headers: { authorization: `Bearer ${(clerk as { token: string }).token}` },
        })
      ).arrayBuffer(),
    );
    const dir = mkdtempSync(path.join(tmpdir(), 'odr-archive-'));
    writeFileSync(path.join(dir, 'a.pdf'), bytes);
    const text = execFileSync('pdftotext', ['-layout', path.join(dir, 'a.pdf'), '-'], { encoding: 'utf8' }).replace(
      /\s+/g,
      '',
    );
    rmSync(dir, { recursive: true, force: true });
    expect(text).toContain('法院委派（委托）调解函及移送材料（必备）：已归档');
    expect(text).toContain('证据材料（视情况）：无');
  });

  it('when the case is closed, then a file is refused and not kept', async () => {
    const created = await stack.send(clerk, 'POST', '/cases', partyApplication());
    const caseId = created.body.caseId as string;
    expect(
      (await stack.send(clerk, 'POST', `/cases/${caseId}/decline`, { reason: 'party_refuses_mediation' })).status,
    ).toBe(200);
    const res = await upload(clerk, caseId, { kind: 'evidence', title: '迟到的证据' }, pdf('late'), 'application/pdf');
    expect(res.status, res.text).toBe(409);
    expect(await stack.db('case_materials').where({ case_id: caseId })).toEqual([]);
  });
});
