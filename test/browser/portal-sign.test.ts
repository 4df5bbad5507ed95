/**
 * 待签 in the party portal on a phone, against the real stack: a case is driven to circulation through the API
 * (register, accept, designate mediator.wu, who accepts, drafts and circulates); each party signs in with their
 * access code and SMS code, sees 待您签署 on 我的案件, reads the agreement (facts, terms, version and SHA-256) and
 * signs electronically after confirming; the mediator and the seal sign through the API and the agreement takes
 * effect; the applicant downloads the agreement PDF whose SHA-256 is the one /verify gives. On another case a
 * party refuses to sign with a reason, after the warning, and the mediation ends. axe on the sign screen in
 * normal and 长辈版 modes; nothing refused by the CSP. The agreement read as HTML carries the PDF's 其他事项 (the
 * dispute type's notices and the effect sentence of its path: 人民调解法 Art 29 for a walk-in case, 特邀调解规定
 * Art 24 for a court's 委派); 文书 shows each document's verify QR and address, and the PDF is saved under its
 * Chinese title. Once the agreement is in effect and a clerk starts judicial confirmation, each party signs the
 * joint application in the portal on a 360 px phone and it goes to the court. Screenshots:
 * test-artifacts/console/portal-sign-*.png.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { BrowserContextOptions, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { courtDelegation, loanAgreement, partyApplication } from '../support/fixtures.js';
import type { Credentials, Stack } from '../support/stack.js';
import { accessibleInBothModes, NARROW_PHONE, partySignIn, PHONE, setElder } from './portal-support.js';
import { browserStack, expectAccessible, shot, type BrowserStack } from './support.js';

let stack: Stack;
let base: string;
let ui: BrowserStack;
let clerk: Credentials;
let mediator: Credentials;
let mediatorId: string;

type Circulated = { caseId: string; caseNumber: string; applicant: string; respondent: string };

/** A case with the agreement's first draft circulated for signature, as drive.ts brings one there. */
async function circulated(intake: Record<string, unknown> = {}): Promise<Circulated> {
  const created = await stack.send(clerk, 'POST', '/cases', partyApplication(intake));
  expect(created.status, created.text).toBe(201);
  const caseId = created.body.caseId as string;
  const [applicant, respondent] = (created.body.parties as { partyId: string }[]).map((p) => p.partyId) as [
    string,
    string,
  ];
  const act = async (as: Credentials, path: string, body: unknown = {}) => {
    const res = await stack.send(as, 'POST', `/cases/${caseId}/${path}`, body);
    expect(res.status, `${path}: ${res.text}`).toBe(200);
    return res;
  };
  await act(clerk, 'accept');
  await act(clerk, 'mediator', { mode: 'designated', mediatorId });
  await act(mediator, 'mediator/accept');
  await act(mediator, 'agreement/drafts', { content: loanAgreement });
  const res = await act(mediator, 'agreement/circulation');
  expect(res.body.status).toBe('PENDING_SIGNATURE');
  return { caseId, caseNumber: created.body.caseNumber as string, applicant, respondent };
}

/** A circulated case whose agreement every signer signed in ink, recorded by the clerk: in effect (人民调解法 Art 29). */
async function effective(): Promise<Circulated> {
  const c = await circulated();
  for (const signer of [c.applicant, c.respondent]) {
    const res = await stack.send(clerk, 'POST', `/cases/${c.caseId}/agreement/signatures`, {
      signer,
      method: 'handwritten',
      draftVersion: 1,
    });
    expect(res.status, res.text).toBe(200);
  }
  expect(
    (
      await stack.send(mediator, 'POST', `/cases/${c.caseId}/agreement/signatures`, {
        signer: 'mediator',
        method: 'handwritten',
        draftVersion: 1,
      })
    ).status,
  ).toBe(200);
  const sealed = await stack.send(clerk, 'POST', `/cases/${c.caseId}/agreement/signatures`, {
    signer: 'organization_seal',
    method: 'seal',
    draftVersion: 1,
  });
  expect(sealed.body.status, sealed.text).toBe('AGREEMENT_EFFECTIVE');
  return c;
}

async function accessCode(caseId: string, partyId: string): Promise<string> {
  const issued = await stack.send(clerk, 'POST', `/cases/${caseId}/parties/${partyId}/access-code`, {});
  expect(issued.status, issued.text).toBe(201);
  return issued.body.accessCode as string;
}

/** A new phone, signed in as this party (access code, then the SMS code from the outbox), on 我的案件. */
async function partyPage(caseId: string, partyId: string, device: BrowserContextOptions = PHONE): Promise<Page> {
  const page = await ui.newPage(device);
  await page.goto(`${base}/portal/`);
  await partySignIn(page, stack, await accessCode(caseId, partyId), partyId);
  await expect.poll(() => page.getByRole('heading', { name: '我的案件' }).isVisible(), { timeout: 15_000 }).toBe(true);
  return page;
}

/**
 * From 我的案件: the 待您签署 card, then the agreement as the sign screen shows it, with the PDF's 其他事项 (the
 * dispute type's notice, by default the loan clause set's, and the effect sentence, whose article is `effect`).
 */
async function openSignScreen(
  page: Page,
  c: Circulated,
  { effect = '人民调解法第二十九条', notice = '民法典第六百八十条' } = {},
): Promise<void> {
  await expect.poll(() => page.getByRole('heading', { name: '待您签署' }).isVisible(), { timeout: 15_000 }).toBe(true);
  await page.getByRole('link', { name: '阅读并签署' }).click();
  await expect
    .poll(() => page.getByRole('heading', { name: '待签：调解协议', level: 1 }).isVisible(), { timeout: 15_000 })
    .toBe(true);
  expect(new URL(page.url()).pathname).toBe(`/portal/cases/${c.caseId}/sign`);
  await expect
    .poll(() => page.getByTestId('agreement-version').textContent(), { timeout: 15_000 })
    .toContain('第 1 版');
  const main = page.locator('main');
  expect(await main.textContent()).toContain(c.caseNumber);
  expect(await main.textContent()).toContain(loanAgreement.facts);
  for (const t of loanAgreement.terms) expect(await main.textContent()).toContain(t.text);
  await expect.poll(() => page.getByTestId('agreement-effect').textContent(), { timeout: 15_000 }).toContain(effect);
  const notices = (await page.getByTestId('agreement-notices').textContent()) ?? '';
  expect(notices).toContain(notice);
  expect(notices).toContain('本协议一式');
}

beforeAll(async () => {
  ui = await browserStack();
  ({ stack, base } = ui);
  const { who, accountId } = await stack.loginAll(['clerk.chen', 'mediator.wu']);
  clerk = who['clerk.chen']!;
  mediator = who['mediator.wu']!;
  mediatorId = accountId['mediator.wu']!;
}, 300_000);

afterAll(async () => {
  await ui?.close();
});

describe('待签 in the party portal on a phone', () => {
  it('when both parties sign in the portal and the mediator and seal sign, then the agreement takes effect and its PDF is the one /verify knows', async () => {
    const c = await circulated();
    const view = await stack.send(clerk, 'GET', `/cases/${c.caseId}`);
    const sha256 = (view.body.agreement as { hash: string }).hash;

    const applicant = await partyPage(c.caseId, c.applicant);
    await openSignScreen(applicant, c);
    expect(await applicant.locator('main').textContent()).toContain(sha256.slice(0, 16));
    expect(await applicant.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shot(applicant, 'portal-sign-01-agreement');
    await accessibleInBothModes(applicant, 'sign screen');

    await applicant.getByRole('button', { name: '签署', exact: true }).click();
    // Without the confirmation nothing is sent, and the screen says why.
    await applicant.getByRole('button', { name: '确认签署' }).click();
    await expect.poll(() => applicant.getByRole('alert').textContent()).toContain('我已阅读并同意以上协议内容');
    await applicant.getByLabel('我已阅读并同意以上协议内容').check();
    await shot(applicant, 'portal-sign-02-confirm');
    await accessibleInBothModes(applicant, 'sign confirmation');
    await applicant.getByRole('button', { name: '确认签署' }).click();
    await expect
      .poll(() => applicant.getByRole('heading', { name: '签署成功', level: 1 }).isVisible(), { timeout: 20_000 })
      .toBe(true);
    expect(await applicant.getByTestId('still-to-sign').textContent()).toContain('被申请人');
    await shot(applicant, 'portal-sign-03-signed');
    await expectAccessible(applicant, 'signed');

    const respondent = await partyPage(c.caseId, c.respondent);
    await openSignScreen(respondent, c);
    await respondent.getByRole('button', { name: '签署', exact: true }).click();
    await respondent.getByLabel('我已阅读并同意以上协议内容').check();
    await respondent.getByRole('button', { name: '确认签署' }).click();
    await expect
      .poll(() => respondent.getByRole('heading', { name: '签署成功', level: 1 }).isVisible(), { timeout: 20_000 })
      .toBe(true);
    expect(await respondent.getByTestId('still-to-sign').textContent()).toContain('调解员');

    // The signatures were electronic and on version 1.
    const signed = await stack.send(clerk, 'GET', `/cases/${c.caseId}`);
    expect(signed.body.agreement.signatures).toEqual(expect.arrayContaining([c.applicant, c.respondent]));
    expect(signed.body.status).toBe('PENDING_SIGNATURE');

    const m = await stack.send(mediator, 'POST', `/cases/${c.caseId}/agreement/signatures`, {
      signer: 'mediator',
      method: 'handwritten',
      draftVersion: 1,
    });
    expect(m.status, m.text).toBe(200);
    const seal = await stack.send(clerk, 'POST', `/cases/${c.caseId}/agreement/signatures`, {
      signer: 'organization_seal',
      method: 'seal',
      draftVersion: 1,
    });
    expect(seal.status, seal.text).toBe(200);
    expect(seal.body.status).toBe('AGREEMENT_EFFECTIVE');

    // The applicant downloads the agreement from 文书: its bytes hash to what /verify says.
    await applicant.getByRole('navigation', { name: '主要' }).getByRole('link', { name: '文书', exact: true }).click();
    await expect
      .poll(() => applicant.getByRole('heading', { name: '文书', level: 1 }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    let agreementDoc: { title: string; verificationCode: string; kind: string; createdAt: string } | undefined;
    await expect
      .poll(
        async () => {
          const listed = await stack.send(clerk, 'GET', `/cases/${c.caseId}/documents`);
          const docs = (
            listed.body.documents as { title: string; verificationCode: string; kind: string; createdAt: string }[]
          ).filter((d) => d.kind === 'agreement');
          agreementDoc = docs.sort((a, b) => b.createdAt.localeCompare(a.createdAt))[0];
          return agreementDoc !== undefined;
        },
        { timeout: 20_000 },
      )
      .toBe(true);
    await applicant.reload();
    await expect
      .poll(() => applicant.getByRole('heading', { name: '当事人登录' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    // A reload ends the in-memory session: sign in again, then 文书.
    await partySignIn(applicant, stack, await accessCode(c.caseId, c.applicant), c.applicant);
    await expect
      .poll(() => applicant.getByRole('heading', { name: '文书', level: 1 }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    const code = agreementDoc!.verificationCode;
    await expect.poll(() => applicant.getByText(code, { exact: true }).isVisible(), { timeout: 15_000 }).toBe(true);
    // Its verify QR: an SVG drawn in the page, labelled with the public check's address, which is written out beside it.
    const item = applicant.getByRole('listitem').filter({ has: applicant.getByText(code, { exact: true }) });
    const verifyAddress = `${base}/verify/${code}`;
    const qr = item.getByRole('img', { name: `核验二维码：《${agreementDoc!.title}》 ${verifyAddress}` });
    await expect.poll(() => qr.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await qr.evaluate((e) => e.tagName.toLowerCase())).toBe('svg');
    expect(await qr.getAttribute('data-url')).toBe(verifyAddress);
    expect(await qr.locator('path').getAttribute('d')).toMatch(/^M\d+ \d+h1v1h-1z/);
    const link = item.getByTestId('verify-url');
    expect(await link.evaluate((e) => e.tagName.toLowerCase())).toBe('a');
    expect(await link.getAttribute('href')).toBe(verifyAddress);
    expect(await link.textContent()).toContain(verifyAddress);
    // The address the QR holds answers the check for this very document (the format the PDF prints).
    const checked = await fetch(verifyAddress);
    expect(checked.status).toBe(200);
    expect(((await checked.json()) as { verificationCode: string }).verificationCode).toBe(code);
    expect(await applicant.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(390);
    await shot(applicant, 'portal-sign-08-documents');
    await accessibleInBothModes(applicant, 'documents');

    const downloading = applicant.waitForEvent('download');
    await applicant
      .getByRole('button', { name: `下载《${agreementDoc!.title}》` })
      .first()
      .click();
    const download = await downloading;
    // Saved under its Chinese title (the API's name for it: title, case number, version), never agreement-v1.pdf.
    expect(download.suggestedFilename()).toBe(`${agreementDoc!.title}${c.caseNumber}-第1版.pdf`);
    const bytes = readFileSync((await download.path())!);
    expect(bytes.subarray(0, 5).toString()).toBe('%PDF-');
    const verified = await stack.send(undefined, 'GET', `/verify/${code}`);
    expect(verified.status, verified.text).toBe(200);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(verified.body.sha256);
  }, 240_000);

  it('when a party refuses to sign with a reason after the warning, then the mediation ends', async () => {
    const c = await circulated();
    const page = await partyPage(c.caseId, c.respondent);
    await openSignScreen(page, c);
    await page.getByRole('button', { name: '拒绝签署', exact: true }).click();
    await expect.poll(() => page.getByText('拒绝签署将终止本次调解').isVisible()).toBe(true);
    // A reason is required, and its absence is announced.
    await page.getByRole('button', { name: '确认拒绝签署' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('请填写拒绝签署的理由');
    await page.getByLabel('拒绝理由（必填）').fill('还款期限太短，无法接受。');
    await shot(page, 'portal-sign-04-refuse');
    await accessibleInBothModes(page, 'refuse to sign');
    await page.getByRole('button', { name: '确认拒绝签署' }).click();
    await expect
      .poll(() => page.getByRole('heading', { name: '已拒绝签署', level: 1 }).isVisible(), { timeout: 20_000 })
      .toBe(true);
    const after = await stack.send(clerk, 'GET', `/cases/${c.caseId}`);
    expect(after.body.termination?.reason).toBe('party_refuses_to_sign');
    await shot(page, 'portal-sign-05-refused');
  }, 180_000);

  it('when the mediator circulates a newer draft while the party reads, then signing the old one says 协议已更新，请重新阅读 and shows the new version', async () => {
    const c = await circulated();
    const page = await partyPage(c.caseId, c.applicant);
    await openSignScreen(page, c);
    const redraft = await stack.send(mediator, 'POST', `/cases/${c.caseId}/agreement/drafts`, {
      content: { ...loanAgreement, performance: '银行转账至申请人账户' },
    });
    expect(redraft.status, redraft.text).toBe(200);
    const recirculated = await stack.send(mediator, 'POST', `/cases/${c.caseId}/agreement/circulation`, {});
    expect(recirculated.status, recirculated.text).toBe(200);
    await page.getByRole('button', { name: '签署', exact: true }).click();
    await page.getByLabel('我已阅读并同意以上协议内容').check();
    await page.getByRole('button', { name: '确认签署' }).click();
    await expect
      .poll(() => page.getByTestId('stale-draft').textContent(), { timeout: 20_000 })
      .toContain('协议已更新，请重新阅读');
    await expect
      .poll(() => page.getByTestId('agreement-version').textContent(), { timeout: 15_000 })
      .toContain('第 2 版');
    await shot(page, 'portal-sign-06-stale');
  }, 180_000);

  it('when the agreement is on a family matter, then the sign screen says it is signed in ink at the center and offers no electronic signature (电子签名法 Art 3)', async () => {
    const c = await circulated({ disputeType: 'family_property' });
    const page = await partyPage(c.caseId, c.applicant);
    await openSignScreen(page, c, { notice: '不涉及身份关系的确认' });
    await expect.poll(() => page.getByTestId('wet-ink').textContent()).toContain('电子签名法第三条');
    expect(await page.getByRole('button', { name: '签署', exact: true }).count()).toBe(0);
    await shot(page, 'portal-sign-07-wet-ink');
    await expectAccessible(page, 'wet-ink only');
  }, 180_000);

  it('when a court delegated the case (委派), then the agreement read in the portal says it takes effect once the parties sign (特邀调解规定 Art 24)', async () => {
    const c = await circulated(courtDelegation());
    const page = await partyPage(c.caseId, c.applicant);
    await openSignScreen(page, c, { effect: '第二十四条' });
    const effect = (await page.getByTestId('agreement-effect').textContent()) ?? '';
    expect(effect).toContain('本协议经各方当事人签名、盖章或者按指印后生效');
    expect(effect).not.toContain('人民调解委员会印章');
    // The 30 days to apply go to the court that delegated it, by name.
    expect(await page.getByTestId('agreement-notices').textContent()).toContain(
      '共同向揭阳市榕城区人民法院申请司法确认',
    );
    await shot(page, 'portal-sign-09-court-invited');
  }, 180_000);

  it('when the clerk starts judicial confirmation of an effective agreement, then each party reads the joint application on a 360 px phone and signs it, and it goes to the court', async () => {
    const c = await effective();
    const started = await stack.send(clerk, 'POST', `/cases/${c.caseId}/judicial-confirmation`, {
      venueGround: 'party_domicile',
      courtCode: '粤5202',
    });
    expect(started.status, started.text).toBe(200);

    const applicant = await partyPage(c.caseId, c.applicant, NARROW_PHONE);
    await expect
      .poll(() => applicant.getByRole('heading', { name: '待您签署' }).isVisible(), { timeout: 20_000 })
      .toBe(true);
    expect(await applicant.locator('.sign-call').textContent()).toContain('司法确认的共同申请已准备好');
    await applicant.getByRole('link', { name: '阅读并签署' }).click();
    await expect
      .poll(() => applicant.getByRole('heading', { name: '待签：共同申请', level: 1 }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    const card = applicant.getByTestId('joint-judicial_confirmation');
    await expect
      .poll(() => card.getByTestId('joint-institution').textContent(), { timeout: 15_000 })
      .toBe('揭阳市榕城区人民法院');
    const text = (await card.textContent()) ?? '';
    for (const expected of [
      '请求人民法院依法确认调解协议有效',
      c.caseNumber,
      '第 1 版',
      '民事诉讼法第二百零五条',
      '三十日内',
      '申请人张三（您）：未签署',
      '被申请人李四：未签署',
    ])
      expect(text).toContain(expected);
    // The agreement it secures, below the application: its 其他事项 are the very lines of its PDF, numbered alike.
    expect(await applicant.getByTestId('agreement-effect').textContent()).toContain('人民调解法第二十九条');
    const listed = await stack.send(clerk, 'GET', `/cases/${c.caseId}/documents`);
    const agreementDoc = (listed.body.documents as { documentId: string; kind: string; docVersion: number }[]).find(
      (d) => d.kind === 'agreement' && d.docVersion === 1,
    )!;
    const pdf = await fetch(`${stack.url}/cases/${c.caseId}/documents/${agreementDoc.documentId}`, {
      headers: { Authorization: `Bearer ${(clerk as { token: string }).token}` },
    });
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'portal-sign-')), 'agreement.pdf');
    writeFileSync(file, Buffer.from(await pdf.arrayBuffer()));
    const printed = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })
      .replace(/\s+/g, '')
      .replace(/第\d+页共\d+页/g, '');
    const shown = await applicant.getByTestId('agreement-notices').locator('li').allTextContents();
    expect(shown.length).toBeGreaterThanOrEqual(4);
    shown.forEach((n, i) => expect(printed, `notice ${i + 1}`).toContain(`${i + 1}.${n.replace(/\s+/g, '')}`));
    expect(await applicant.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await shot(applicant, 'portal-sign-10-joint-application');
    await accessibleInBothModes(applicant, 'joint application');
    await setElder(applicant, true);
    expect(await applicant.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await shot(applicant, 'portal-sign-11-joint-application-elder');
    await setElder(applicant, false);

    // Without the confirmation nothing is sent, and the screen says why.
    await card.getByRole('button', { name: '签署申请' }).click();
    await expect.poll(() => card.getByRole('alert').textContent()).toContain('请先勾选确认');
    await card.getByLabel(/同意与对方当事人共同向揭阳市榕城区人民法院申请司法确认/).check();
    await card.getByRole('button', { name: '签署申请' }).click();
    await expect
      .poll(() => card.getByTestId('joint-status').textContent(), { timeout: 20_000 })
      .toContain('您已签署本申请');
    expect(await card.getByTestId('joint-status').textContent()).toContain('还需被申请人李四签署');
    await shot(applicant, 'portal-sign-12-joint-signed');
    await expectAccessible(applicant, 'joint application signed');
    const afterOne = await stack.send(clerk, 'GET', `/cases/${c.caseId}`);
    const signedOnce = (
      afterOne.body.events as { type: string; payload: { partyId?: string; method?: string } }[]
    ).filter((e) => e.type === 'ConfirmationApplicationSigned');
    expect(signedOnce.map((e) => [e.payload.partyId, e.payload.method])).toEqual([[c.applicant, 'electronic']]);
    expect((afterOne.body.securing.processes as { kind: string; status: string }[]).at(-1)).toMatchObject({
      kind: 'judicial_confirmation',
      status: 'PREPARING',
    });

    const respondent = await partyPage(c.caseId, c.respondent, NARROW_PHONE);
    await expect
      .poll(() => respondent.getByRole('heading', { name: '待您签署' }).isVisible(), { timeout: 20_000 })
      .toBe(true);
    await respondent.getByRole('link', { name: '阅读并签署' }).click();
    const theirs = respondent.getByTestId('joint-judicial_confirmation');
    await expect
      .poll(() => theirs.getByTestId('joint-signers').textContent(), { timeout: 15_000 })
      .toContain('申请人张三：已签署');
    await theirs.getByLabel(/申请司法确认/).check();
    await theirs.getByRole('button', { name: '签署申请' }).click();
    await expect
      .poll(() => theirs.getByTestId('joint-status').textContent(), { timeout: 20_000 })
      .toContain('申请已提交揭阳市榕城区人民法院');
    await shot(respondent, 'portal-sign-13-joint-submitted');
    const submitted = await stack.send(clerk, 'GET', `/cases/${c.caseId}`);
    expect((submitted.body.securing.processes as { kind: string; status: string }[]).at(-1)).toMatchObject({
      kind: 'judicial_confirmation',
      status: 'SUBMITTED',
    });
  }, 240_000);

  it('when a notarization with enforcement effect is requested, then the debtor reads that their signature is the commitment to enforcement and signs, and it goes to the notary office', async () => {
    const c = await effective();
    const requested = await stack.send(clerk, 'POST', `/cases/${c.caseId}/notarization`, {
      notaryId: 'notary-jieyang',
      creditorPartyId: c.applicant,
      debtorPartyId: c.respondent,
      obligation: 'money',
    });
    expect(requested.status, requested.text).toBe(200);
    // The creditor signed in ink at the window.
    const creditor = await stack.send(clerk, 'POST', `/cases/${c.caseId}/notarization/signatures`, {
      partyId: c.applicant,
      method: 'handwritten',
    });
    expect(creditor.status, creditor.text).toBe(200);

    const debtor = await partyPage(c.caseId, c.respondent, NARROW_PHONE);
    await expect
      .poll(() => debtor.getByRole('heading', { name: '待您签署' }).isVisible(), { timeout: 20_000 })
      .toBe(true);
    expect(await debtor.locator('.sign-call').textContent()).toContain('公证的共同申请已准备好');
    await debtor.getByRole('link', { name: '阅读并签署' }).click();
    const card = debtor.getByTestId('joint-notarization');
    await expect
      .poll(() => card.getByTestId('joint-institution').textContent(), { timeout: 15_000 })
      .toBe('广东省揭阳市公证处');
    const text = (await card.textContent()) ?? '';
    for (const expected of [
      '赋予强制执行效力',
      '公证法第三十七条',
      '公证法第三十条',
      '申请人张三：已签署',
      '被申请人李四（您）：未签署',
    ])
      expect(text).toContain(expected);
    expect(await card.getByTestId('joint-commitment').textContent()).toContain('您是债务人');
    expect(await debtor.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await shot(debtor, 'portal-sign-14-notarization');
    await accessibleInBothModes(debtor, 'notarization application');
    await card.getByLabel(/愿意接受依法强制执行/).check();
    await card.getByRole('button', { name: '签署申请' }).click();
    await expect
      .poll(() => card.getByTestId('joint-status').textContent(), { timeout: 20_000 })
      .toContain('申请已提交广东省揭阳市公证处');
    const after = await stack.send(clerk, 'GET', `/cases/${c.caseId}`);
    expect((after.body.securing.processes as { kind: string; status: string }[]).at(-1)).toMatchObject({
      kind: 'notarization',
      status: 'REQUESTED',
    });
    const commitment = (
      after.body.events as {
        type: string;
        payload: { as?: string; method?: string; enforcementCommitment?: boolean };
      }[]
    ).find((e) => e.type === 'NotarizationApplicationSigned' && e.payload.as === 'debtor');
    expect(commitment?.payload).toMatchObject({ method: 'electronic', enforcementCommitment: true });
  }, 240_000);

  it('when the pages were used, then no style or script was refused by the CSP and nothing threw', () => {
    expect(ui.problems).toEqual([]);
  });
});
