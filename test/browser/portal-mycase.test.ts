/**
 * 我的案件's cards in a real browser on a 360 px phone against the real stack (issue 16 item 3): both parties of
 * an accepted case choose the same mediator from the roster, each after a confirmation step (the first sees that
 * the other side has not chosen yet), and the case moves to the mediator's acceptance; the applicant uploads a PNG
 * and finds it listed and downloadable, changes the service address and the phone (with the code sent to the new
 * phone), and applies for legal aid. axe finds no WCAG 2.1 A/AA violation on each new card state in normal and
 * 长辈版 modes, and nothing is refused by the CSP. Screenshots: test-artifacts/console/portal-mycase-*.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fictionalIdNumber, partyApplication } from '../support/fixtures.js';
import type { Credentials, Stack } from '../support/stack.js';
import { accessibleInBothModes, card, codeSentTo, fitsPhone, shotBothModes, signedInParty } from './portal-support.js';
import { browserStack, shot, type BrowserStack } from './support.js';

/** A 1×1 PNG: what a phone's photo of a receipt is, as far as the server's checks go. */
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const NEW_ADDRESS = '广东省揭阳市榕城区新兴街道榕华大道88号3栋502房';
const NEW_PHONE = '17000660733';

let stack: Stack;
let ui: BrowserStack;
let clerk: Credentials;
let theCase: { caseId: string; applicantId: string; respondentId: string };
let mediator: { mediatorId: string; displayName: string };
let applicantPage: Page;

/** A party of the case on a new phone, signed in, on 我的案件. */
const signInAs = (partyId: string): Promise<Page> => signedInParty(ui, clerk, { caseId: theCase.caseId, partyId });

const caseAsClerk = async () =>
  (await stack.send(clerk, 'GET', `/cases/${theCase.caseId}`)).body as {
    status: string;
    events: { type: string; payload: Record<string, unknown> }[];
  };

beforeAll(async () => {
  // Its own database: codes sent to a phone and refused codes are counted per phone and address.
  ui = await browserStack({ stack: { ownDatabase: true }, shots: { prefix: 'portal-mycase-' } });
  ({ stack } = ui);
  clerk = (await stack.loginAll(['clerk.chen'])).who['clerk.chen'];
  const created = await stack.send(
    clerk,
    'POST',
    '/cases',
    partyApplication({
      parties: [
        {
          role: 'applicant',
          kind: 'natural',
          name: '郑一',
          idNumber: fictionalIdNumber('445202', '19000313', '081'),
          phone: '17000330811',
          address: '广东省揭阳市榕城区旧街1号',
        },
        {
          role: 'respondent',
          kind: 'natural',
          name: '王二',
          idNumber: fictionalIdNumber('445202', '19000414', '092'),
          phone: '17000440922',
        },
      ],
    }),
  );
  expect(created.status, created.text).toBe(201);
  const [applicant, respondent] = created.body.parties as { partyId: string }[];
  theCase = { caseId: created.body.caseId, applicantId: applicant!.partyId, respondentId: respondent!.partyId };
  const accepted = await stack.send(clerk, 'POST', `/cases/${theCase.caseId}/accept`, {});
  expect(accepted.body.status, accepted.text).toBe('PENDING_ASSIGNMENT');
  // The first mediator the parties are shown for a loan dispute (the roster's own order).
  const roster = await stack.send(clerk, 'GET', '/roster/mediators?available=true&disputeType=loan_debt');
  expect(roster.status, roster.text).toBe(200);
  mediator = roster.body.mediators[0];
  expect(mediator?.displayName).toBeTruthy();
}, 300_000);

afterAll(async () => {
  await ui?.close();
});

describe('the parties choose their mediator in 我的案件', () => {
  it('when the applicant chooses a mediator after the confirmation, then the card says the other side has not chosen yet', async () => {
    applicantPage = await signInAs(theCase.applicantId);
    const page = applicantPage;
    const choice = card(page, '选择调解员');
    await expect.poll(() => choice.isVisible(), { timeout: 15_000 }).toBe(true);
    await expect
      .poll(() => page.getByTestId('mediator-choice-status').textContent())
      .toContain('您尚未选择；对方尚未选择');
    // The window's end, from the case's own deadline.
    expect(await choice.textContent()).toContain('选择截止');
    // First those who take loan disputes: each with organization, specialties and whether it is free.
    expect(await choice.getByRole('heading', { name: '擅长“借贷纠纷”的调解员' }).isVisible()).toBe(true);
    const first = choice.locator('li.mediator-card').first();
    expect(await first.textContent()).toContain(mediator.displayName);
    expect(await first.textContent()).toMatch(/所在组织.*擅长.*费用/);
    await fitsPhone(page);
    await shotBothModes(page, 'portal-mycase-01-mediators');
    await accessibleInBothModes(page, 'mediator roster');

    // All of them, and back.
    await choice.getByRole('button', { name: '查看全部调解员' }).click();
    await expect.poll(() => choice.getByRole('heading', { name: '全部可选的调解员' }).isVisible()).toBe(true);
    await expect.poll(() => choice.locator('li.mediator-card').count()).toBeGreaterThan(1);
    await choice.getByRole('button', { name: /^只看擅长/ }).click();

    await choice.getByRole('button', { name: `选择 ${mediator.displayName}` }).click();
    await expect
      .poll(() => choice.getByRole('heading', { name: `确认选择 ${mediator.displayName}？` }).isVisible())
      .toBe(true);
    // The question is where reading continues.
    expect(await page.evaluate<string | undefined>('document.activeElement?.textContent ?? undefined')).toContain(
      '确认选择',
    );
    // Nothing is sent before the confirmation.
    expect((await caseAsClerk()).events.filter((e) => e.type === 'MediatorChosen')).toHaveLength(0);
    await shot(page, 'portal-mycase-02-mediator-confirm');
    await accessibleInBothModes(page, 'mediator confirmation');
    await choice.getByRole('button', { name: '确认选择' }).click();
    await expect
      .poll(() => page.getByTestId('mediator-choice-status').textContent(), { timeout: 15_000 })
      .toContain(`您已选择：${mediator.displayName}；对方尚未选择`);
    const chosen = (await caseAsClerk()).events.filter((e) => e.type === 'MediatorChosen');
    expect(chosen.map((e) => e.payload)).toEqual([
      expect.objectContaining({ partyId: theCase.applicantId, mediatorId: mediator.mediatorId, agreed: false }),
    ]);
    await shot(page, 'portal-mycase-03-mediator-chosen');
    await accessibleInBothModes(page, 'mediator chosen by one side');
  });

  it('when the respondent chooses the same mediator, then the case goes to that mediator for acceptance and the card is gone', async () => {
    const page = await signInAs(theCase.respondentId);
    const choice = card(page, '选择调解员');
    await expect
      .poll(() => page.getByTestId('mediator-choice-status').textContent(), { timeout: 15_000 })
      .toContain(`您尚未选择；对方选择了：${mediator.displayName}`);
    await shot(page, 'portal-mycase-04-respondent-sees-choice');
    await choice.getByRole('button', { name: `选择 ${mediator.displayName}` }).click();
    await expect.poll(() => choice.textContent()).toContain('对方也选择了这位调解员');
    await choice.getByRole('button', { name: '确认选择' }).click();
    await expect
      .poll(() => page.getByTestId('case-status').textContent(), { timeout: 15_000 })
      .toContain('待调解员确认');
    await expect.poll(() => card(page, '选择调解员').count()).toBe(0);
    // Who the two sides chose, while the mediator has not answered.
    await expect
      .poll(() => page.getByTestId('joint-choice').textContent(), { timeout: 15_000 })
      .toContain(`双方共同选定了 ${mediator.displayName}`);
    const after = await caseAsClerk();
    expect(after.status).toBe('PENDING_MEDIATOR_ACCEPT');
    expect(after.events.filter((e) => e.type === 'MediatorAssigned').at(-1)?.payload).toMatchObject({
      mediatorId: mediator.mediatorId,
    });
    await shot(page, 'portal-mycase-05-mediator-assigned');
    await accessibleInBothModes(page, 'case after the joint choice');

    // The applicant's page says the same once 我的案件 is opened again (each screen asks the server when opened).
    await applicantPage.getByRole('link', { name: '文书', exact: true }).click();
    await applicantPage.getByRole('link', { name: '我的案件' }).click();
    await expect
      .poll(() => applicantPage.getByTestId('case-status').textContent(), { timeout: 15_000 })
      .toContain('待调解员确认');
    expect(await card(applicantPage, '选择调解员').count()).toBe(0);
  });
});

describe('the applicant adds material, confirms the service address and applies for legal aid', () => {
  it('when a PNG is chosen, then its size shows before upload; after the confirmation it is listed and downloads under its title', async () => {
    const page = applicantPage;
    const materials = card(page, '补充材料');
    await expect.poll(() => materials.isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await materials.textContent()).toContain('您还没有提交材料');

    // Nothing chosen: said at the field.
    await materials.getByRole('button', { name: '下一步：核对后上传' }).click();
    await expect.poll(() => materials.getByRole('alert').first().textContent()).toContain('请选择要上传的文件');
    expect(await materials.getByLabel('选择文件').getAttribute('aria-invalid')).toBe('true');

    await materials.getByLabel('选择文件').setInputFiles({ name: '借条照片.png', mimeType: 'image/png', buffer: PNG });
    await expect.poll(() => materials.getByTestId('selected-file').textContent()).toContain(`${PNG.length} 字节`);
    expect(await materials.getByLabel('材料名称').inputValue()).toBe('借条照片');
    expect(await materials.getByRole('radio', { name: '证据材料' }).isChecked()).toBe(true);
    await fitsPhone(page);
    await shotBothModes(page, 'portal-mycase-06-upload');
    await accessibleInBothModes(page, 'upload form');

    await materials.getByRole('button', { name: '下一步：核对后上传' }).click();
    await expect.poll(() => materials.getByRole('heading', { name: '确认上传以下材料？' }).isVisible()).toBe(true);
    await accessibleInBothModes(page, 'upload confirmation');
    await materials.getByRole('button', { name: '确认上传' }).click();
    await expect.poll(() => materials.locator('.material-list li').count(), { timeout: 15_000 }).toBe(1);
    expect(await materials.locator('.material-list').textContent()).toContain('借条照片');
    expect(await materials.getByRole('status').textContent()).toContain('已上传：借条照片');
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      materials.getByRole('button', { name: '下载 借条照片' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('借条照片.png');
    await shot(page, 'portal-mycase-07-uploaded');
    await accessibleInBothModes(page, 'material listed');
  });

  it('when the address and the phone are changed with the code sent to the new phone, then the case records the confirmation', async () => {
    const page = applicantPage;
    const service = card(page, '送达地址确认');
    await expect.poll(() => service.isVisible(), { timeout: 15_000 }).toBe(true);
    // Masked until the party asks.
    expect(await service.getByTestId('service-address').textContent()).not.toContain('17000330811');
    await service.getByRole('button', { name: '显示完整地址和手机号' }).click();
    await expect
      .poll(() => service.getByTestId('service-address').textContent(), { timeout: 15_000 })
      .toContain('17000330811');
    await fitsPhone(page);
    await shotBothModes(page, 'portal-mycase-08-service-address');
    await accessibleInBothModes(page, 'service address');

    await service.getByRole('button', { name: '修改地址或手机号' }).click();
    await expect.poll(() => service.getByRole('heading', { name: '修改送达信息' }).isVisible()).toBe(true);
    await service.getByLabel('新的送达地址').fill(NEW_ADDRESS);
    await service.getByLabel('新的手机号码').fill(NEW_PHONE);
    // A new phone without its code: said at the code.
    await service.getByRole('button', { name: '下一步：核对' }).click();
    await expect.poll(() => service.getByRole('alert').first().textContent()).toContain('发送验证码');
    await service.getByRole('button', { name: '发送验证码' }).click();
    await expect.poll(() => service.getByLabel('短信验证码').isVisible(), { timeout: 15_000 }).toBe(true);
    expect(await service.textContent()).toContain('已发送到');
    const code = await codeSentTo(stack, NEW_PHONE);
    // A wrong code is refused by the server and said at the code field.
    await service.getByLabel('短信验证码').fill(code === '000000' ? '000001' : '000000');
    await service.getByRole('button', { name: '下一步：核对' }).click();
    await service.getByRole('button', { name: '确认', exact: true }).click();
    await expect
      .poll(() => service.getByRole('alert').first().textContent(), { timeout: 15_000 })
      .toContain('验证码不正确或已过期');
    expect(await service.getByLabel('短信验证码').getAttribute('aria-invalid')).toBe('true');
    await shot(page, 'portal-mycase-09-service-code-refused');
    await accessibleInBothModes(page, 'service address, code refused');
    // A new code, the right one.
    const challenges = async () =>
      Number((await stack.db('phone_challenges').count<{ n: string }[]>({ n: '*' }))[0]!.n);
    const before = await challenges();
    await service.getByRole('button', { name: '重新发送验证码' }).click();
    await expect.poll(challenges, { timeout: 15_000 }).toBe(before + 1);
    await expect.poll(() => service.getByLabel('短信验证码').inputValue()).toBe('');
    await service.getByLabel('短信验证码').fill(await codeSentTo(stack, NEW_PHONE));
    await service.getByRole('button', { name: '下一步：核对' }).click();
    await expect.poll(() => service.getByRole('heading', { name: '确认送达信息' }).isVisible()).toBe(true);
    expect(await service.textContent()).toContain(NEW_ADDRESS);
    await accessibleInBothModes(page, 'service address confirmation');
    await service.getByRole('button', { name: '确认', exact: true }).click();
    await expect
      .poll(() => service.getByRole('status').first().textContent(), { timeout: 15_000 })
      .toContain('送达地址和手机号码已更新并确认');

    const confirmed = (await caseAsClerk()).events.filter((e) => e.type === 'ServiceAddressConfirmed');
    expect(confirmed.map((e) => e.payload)).toEqual([
      expect.objectContaining({ partyId: theCase.applicantId, changed: ['address', 'phone'] }),
    ]);
    // The party's own timeline shows it, and the masked details are the new ones.
    await expect.poll(() => page.locator('.timeline').textContent(), { timeout: 15_000 }).toContain('送达地址');
    await expect.poll(() => service.getByTestId('service-address').textContent()).toMatch(/0733/);
    await shot(page, 'portal-mycase-10-service-confirmed');
    await accessibleInBothModes(page, 'service address confirmed');
  });

  it('when the applicant applies for legal aid after the confirmation, then the card says the legal-aid body decides within 7 days', async () => {
    const page = applicantPage;
    const aid = card(page, '法律援助');
    await expect.poll(() => aid.isVisible(), { timeout: 15_000 }).toBe(true);
    await aid.getByRole('button', { name: '申请法律援助' }).click();
    await expect.poll(() => aid.getByRole('heading', { name: '申请法律援助' }).isVisible()).toBe(true);
    // No basis chosen: said at the choice.
    await aid.getByRole('button', { name: '下一步：核对申请' }).click();
    await expect.poll(() => aid.getByRole('alert').first().textContent()).toContain('请选择申请理由');
    await aid.getByRole('radio', { name: /^经济困难/ }).check();
    await aid.getByRole('checkbox', { name: /我承诺/ }).check();
    await aid.getByLabel('情况说明（可不填）').fill('本人无固定收入，家庭收入低于当地最低生活保障标准。');
    await shotBothModes(page, 'portal-mycase-11-legal-aid');
    await accessibleInBothModes(page, 'legal aid form');
    await aid.getByRole('button', { name: '下一步：核对申请' }).click();
    await expect.poll(() => aid.getByRole('heading', { name: '确认提交法律援助申请？' }).isVisible()).toBe(true);
    await accessibleInBothModes(page, 'legal aid confirmation');
    await aid.getByRole('button', { name: '确认提交申请' }).click();
    await expect
      .poll(() => aid.getByTestId('legal-aid-status').textContent(), { timeout: 15_000 })
      .toContain('待审查决定');
    expect(await aid.getByTestId('legal-aid-status').textContent()).toContain('7 日内');
    const applied = (await caseAsClerk()).events.filter((e) => e.type === 'LegalAidApplied');
    expect(applied.map((e) => e.payload)).toEqual([
      expect.objectContaining({ partyId: theCase.applicantId, basis: 'economic_hardship', selfDeclaration: true }),
    ]);
    await fitsPhone(page);
    await shotBothModes(page, 'portal-mycase-12-legal-aid-applied');
    await accessibleInBothModes(page, 'legal aid applied');
  });

  it('when the party confirms the details on record as they are, then the case records another confirmation', async () => {
    const page = applicantPage;
    const service = card(page, '送达地址确认');
    await service.getByRole('button', { name: '地址和手机号无误，确认' }).click();
    await expect
      .poll(() => service.getByRole('heading', { name: '确认送达信息' }).isVisible(), { timeout: 15_000 })
      .toBe(true);
    // The address on record, read in full for the party (the read is recorded with its reason).
    expect(await service.textContent()).toContain(NEW_ADDRESS);
    await service.getByRole('button', { name: '确认', exact: true }).click();
    await expect
      .poll(() => service.getByRole('status').first().textContent(), { timeout: 15_000 })
      .toContain('送达地址已确认');
    const confirmed = (await caseAsClerk()).events.filter((e) => e.type === 'ServiceAddressConfirmed');
    expect(confirmed).toHaveLength(2);
    expect(confirmed[1]!.payload).toMatchObject({ partyId: theCase.applicantId });
  });

  it('when the pages were used, then no style or script was refused by the CSP and nothing threw', () => {
    expect(ui.problems).toEqual([]);
  });
});
