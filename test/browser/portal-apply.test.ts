/**
 * 申请调解 in the party portal (/portal/apply) on a 360-px phone, with the keyboard only (Tab, Shift+Tab, Enter,
 * Space, arrows and typing; no mouse or touch): from the login's link, the phone proven with the code the local
 * SMS gateway recorded, the dispute type chosen from plain explanations, one question per step, a reload halfway
 * that keeps the answers (on the device, not in the address), a file of the wrong kind refused before upload, a PNG
 * and a PDF chosen with their sizes shown, the HTML review, the submission, and the receipt with the case number
 * and the access code, which then opens the case. axe finds no WCAG 2.1 A/AA violation on any screen in normal and
 * 长辈版 modes, and nothing is refused by the CSP. Screenshots: test-artifacts/console/apply-*.png.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fictionalIdNumber } from '../support/fixtures.js';
import type { Stack } from '../support/stack.js';
import { elderSwitch, isElder, NARROW_PHONE } from './portal-support.js';
import { browserStack, expectAccessible, shot, type BrowserStack } from './support.js';

const APPLICANT = {
  phone: '17000009876',
  name: '王小明',
  idNumber: fictionalIdNumber('445202', '19000303', '135'),
  address: '广东省揭阳市榕城区某某路 8 号',
};
const OTHER = { name: '赵大力', phone: '17000004321', address: '广东省揭阳市榕城区某某路 10 号' };
// A real 1×1 PNG and a small PDF: the API checks their first bytes.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
  'base64',
);
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n');

let stack: Stack;
let base: string;
let ui: BrowserStack;
let page: Page;

/**
 * Presses Tab (or Shift+Tab) until the focused element is the one meant, as a keyboard user moves through the
 * page: a CSS selector (#apply-phone), or a link's or button's visible text (下一步).
 */
async function tabTo(target: string, backwards = false): Promise<void> {
  const focused = `(() => {
    const el = document.activeElement; const t = ${JSON.stringify(target)};
    if (!el || el === document.body) return false;
    if (/^[#.\\[]/.test(t)) return el.matches(t);
    return el.matches('a, button') && el.textContent.replace(/\\s+/g, '') === t;
  })()`;
  for (let i = 0; i < 80; i += 1) {
    if (await page.evaluate<boolean>(focused)) return;
    await page.keyboard.press(backwards ? 'Shift+Tab' : 'Tab');
  }
  throw new Error(`the keyboard never reached ${target}`);
}

const heading = (name: string) => page.getByRole('heading', { name, level: 1 });
/**
 * Waits for the screen whose heading is `name` and, after a navigation within the portal, for focus to reach
 * that heading (where a screen reader starts reading; until then a key pressed could land on the step before's
 * button). A page just loaded keeps the browser's own focus. When the screen never comes, the one that came
 * instead is kept.
 */
async function arrive(name: string, { loaded = false } = {}): Promise<void> {
  try {
    await expect.poll(() => heading(name).isVisible(), { timeout: 15_000 }).toBe(true);
    if (!loaded)
      await expect
        .poll(() => heading(name).evaluate((h) => h === h.ownerDocument.activeElement), { timeout: 15_000 })
        .toBe(true);
  } catch (e) {
    await shot(page, 'apply-failed');
    throw new Error(
      `expected the screen “${name}”, found ${page.url()}: ${(await page.locator('main').textContent())?.slice(0, 300)}`,
      { cause: e },
    );
  }
}

/**
 * The screen as it is, a screenshot, axe, then 长辈版 through its switch (Enter on it) and axe again, and back;
 * focus returns to the page's heading, where it was on arrival.
 */
async function checkScreen(name: string, screen: string): Promise<void> {
  // Nothing wider than the phone: no sideways scrolling at 360 px.
  expect(
    await page.evaluate<number>('document.documentElement.scrollWidth'),
    `${screen} fits 360 px`,
  ).toBeLessThanOrEqual(360);
  await shot(page, name);
  const elder = await isElder(page);
  await expectAccessible(page, `${screen} (${elder ? '长辈版' : 'normal'})`);
  await elderSwitch(page).press('Enter');
  await expect.poll(() => isElder(page)).toBe(!elder);
  if (!elder) await shot(page, `${name}-elder`);
  await expectAccessible(page, `${screen} (${elder ? 'normal' : '长辈版'})`);
  await elderSwitch(page).press('Enter');
  await expect.poll(() => isElder(page)).toBe(elder);
  await page.locator('main h1').focus();
}

/** The step's main button, reached with Tab and pressed with Enter. */
async function next(label = '下一步'): Promise<void> {
  await tabTo(label);
  await page.keyboard.press('Enter');
}

/** The code the SMS gateway recorded for the applicant's phone (an application's code has no party yet). */
async function lastApplicationCode(): Promise<string> {
  const row = await stack
    .db('sms_outbox')
    .where({ purpose: 'one_time_code' })
    .whereNull('party_id')
    .orderBy('created_at', 'desc')
    .first();
  const text = stack.cipher.decrypt(row.body_enc);
  expect(text).toContain('申请调解');
  return /验证码为(\d{6})/.exec(text)![1]!;
}

beforeAll(async () => {
  ui = await browserStack({ shots: { prefix: 'apply-' } });
  ({ stack, base } = ui);
  page = await ui.newPage(NARROW_PHONE);
}, 300_000);

afterAll(async () => {
  await ui?.close();
});

describe('applying online on a phone, with the keyboard only', () => {
  let caseNumber = '';
  let accessCode = '';

  it('when a person without a case opens the login, then 申请调解 leads to the application, and the phone is proven with the code from the SMS', async () => {
    await page.goto(`${base}/portal/`);
    await arrive('当事人登录', { loaded: true });
    await tabTo('申请调解');
    await page.keyboard.press('Enter');
    await arrive('申请调解');
    await checkScreen('apply-01-start', 'start');
    await next('开始申请');

    await arrive('您的手机号码是多少？');
    await checkScreen('apply-02-phone', 'phone');
    await tabTo('#apply-phone');
    await page.keyboard.type('1700000');
    // Too short: said at the field, read out, and focus stays there.
    await page.keyboard.press('Enter');
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('请按提示修改');
    expect(await page.locator('#apply-phone-error').textContent()).toContain('11 位手机号码');
    expect(await page.evaluate<string>('document.activeElement.id')).toBe('apply-phone');
    await checkScreen('apply-03-phone-error', 'phone with an error');
    // Tabbing into a field selects what it holds: typing replaces it.
    await tabTo('#apply-phone');
    await page.keyboard.type(APPLICANT.phone);
    await page.keyboard.press('Enter');

    await arrive('请输入短信验证码');
    expect(await page.locator('main').textContent()).toContain('170****9876');
    await checkScreen('apply-04-code', 'SMS code');
    await tabTo('#apply-code');
    await page.keyboard.type(await lastApplicationCode());
    await page.keyboard.press('Enter');
  });

  it('when the dispute type is chosen from the plain explanations and the first questions are answered, then each is one step', async () => {
    await arrive('您遇到的是哪一类纠纷？');
    expect(await page.locator('main').textContent()).toContain('噪音、漏水');
    await checkScreen('apply-05-type', 'dispute type');
    // Into the radio group, the first one checked with Space, then two down: 借贷纠纷.
    await tabTo('#apply-disputeType');
    await page.keyboard.press('Space');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    expect(await page.getByRole('radio', { name: /^借贷纠纷/ }).isChecked()).toBe(true);
    await next();

    await arrive('您叫什么名字？');
    await checkScreen('apply-06-name', 'name');
    await tabTo('#apply-name');
    await page.keyboard.type(APPLICANT.name);
    await page.keyboard.press('Enter');

    await arrive('您的身份证号码是多少？');
    await tabTo('#apply-idNumber');
    await page.keyboard.type(APPLICANT.idNumber.slice(0, 17) + (APPLICANT.idNumber.endsWith('0') ? '1' : '0'));
    await page.keyboard.press('Enter');
    // The GB 11643 check digit, as the server checks it.
    await expect.poll(() => page.locator('#apply-idNumber-error').textContent()).toContain('校验位');
    await checkScreen('apply-07-id-error', 'ID number with an error');
    await tabTo('#apply-idNumber');
    await page.keyboard.type(APPLICANT.idNumber);
    await page.keyboard.press('Enter');

    await arrive('您住在哪里？');
    await checkScreen('apply-08-address', 'address');
    await tabTo('#apply-address');
    await page.keyboard.type(APPLICANT.address);
    await page.keyboard.press('Enter');
    await arrive('和您发生纠纷的是谁？');
  });

  it('when the page is reloaded halfway, then the answers are still there, kept on the device and not in the address', async () => {
    await page.reload();
    await arrive('和您发生纠纷的是谁？', { loaded: true });
    const url = page.url();
    expect(new URL(url).pathname).toBe('/portal/apply/other');
    for (const secret of [APPLICANT.phone, APPLICANT.name, APPLICANT.idNumber, encodeURIComponent(APPLICANT.name)])
      expect(url).not.toContain(secret);
    const stored = await page.evaluate<string | null>("localStorage.getItem('portal.applicationDraft')");
    expect(stored).toContain(APPLICANT.idNumber);
    // Back one step with the keyboard: the address typed before the reload.
    await next('上一步');
    await arrive('您住在哪里？');
    expect(await page.locator('#apply-address').inputValue()).toBe(APPLICANT.address);
    await next();
    await arrive('和您发生纠纷的是谁？');
  });

  it('when the other side, what happened, when and what is asked are answered, then each step takes them', async () => {
    await checkScreen('apply-09-other', 'the other side');
    // The first choice (个人) is already checked: Tab passes the group to the name.
    await tabTo('#apply-otherName');
    await page.keyboard.type(OTHER.name);
    await page.keyboard.press('Enter');

    await arrive('怎样联系对方？');
    await checkScreen('apply-10-contact', 'contact');
    await tabTo('#apply-otherPhone');
    await page.keyboard.type(OTHER.phone);
    await tabTo('#apply-otherAddress');
    await page.keyboard.type(OTHER.address);
    await page.keyboard.press('Enter');

    await arrive('发生了什么事？');
    await checkScreen('apply-11-story', 'what happened');
    await tabTo('#apply-story');
    await page.keyboard.type(
      '2025年5月，赵大力向我借了人民币8000元，说好年底还，写了借条。到期后我多次打电话催，他一直不还。',
    );
    await next();

    await arrive('您是哪一天知道自己的权益受到损害的？');
    await checkScreen('apply-12-when', 'when');
    await tabTo('#apply-learnedOn');
    // 年, 月, 日: three number fields in that order.
    await page.keyboard.type('2026');
    await page.keyboard.press('Tab');
    await page.keyboard.type('1');
    await page.keyboard.press('Tab');
    await page.keyboard.type('5');
    expect(await page.locator('#apply-learnedOn-day').inputValue()).toBe('5');
    await page.keyboard.press('Enter');

    await arrive('您希望对方怎么做？');
    await checkScreen('apply-13-ask', 'what is asked');
    await tabTo('#apply-ask');
    await page.keyboard.type('要求赵大力归还借款8000元。');
    await tabTo('#apply-amountYuan');
    await page.keyboard.type('8000');
    await page.keyboard.press('Enter');
    await arrive('有没有要给中心看的材料？');
  });

  it('when a file of the wrong kind is chosen, then it is refused before any upload; a PNG and a PDF show their sizes', async () => {
    await checkScreen('apply-14-files', 'materials');
    await tabTo('#apply-files');
    let chooser = page.waitForEvent('filechooser');
    await page.keyboard.press('Space');
    await (await chooser).setFiles([{ name: '说明.txt', mimeType: 'text/plain', buffer: Buffer.from('不是图片') }]);
    await expect.poll(() => page.locator('#apply-files-refused').textContent()).toContain('不是 PDF、JPEG 或 PNG');
    expect(await page.locator('.picked li').count()).toBe(0);
    await checkScreen('apply-15-files-refused', 'materials with a refused file');

    await tabTo('#apply-files');
    chooser = page.waitForEvent('filechooser');
    await page.keyboard.press('Space');
    await (
      await chooser
    ).setFiles([
      { name: '借条.png', mimeType: 'image/png', buffer: PNG },
      { name: '聊天记录.pdf', mimeType: 'application/pdf', buffer: PDF },
    ]);
    await expect.poll(() => page.locator('.picked li').count()).toBe(2);
    const listed = await page.locator('.picked').textContent();
    expect(listed).toMatch(/借条\.png\s*PNG 图片，大小 \d+ 字节/);
    expect(listed).toMatch(/聊天记录\.pdf\s*PDF 文件，大小 \d+ 字节/);
    await checkScreen('apply-16-files-chosen', 'materials chosen');
    await next();
  });

  it('when the review opens, then every answer is there as HTML, each with 修改; submitting gives the case number and the access code once', async () => {
    await arrive('请核对您的申请');
    const review = await page.locator('main').textContent();
    for (const said of [
      APPLICANT.phone,
      '借贷纠纷',
      APPLICANT.name,
      APPLICANT.idNumber,
      APPLICANT.address,
      OTHER.name,
      OTHER.phone,
      '2026年1月5日',
      '8,000.00',
      '借条.png',
      '聊天记录.pdf',
    ])
      expect(review).toContain(said);
    expect(await page.getByRole('button', { name: /^修改/ }).count()).toBe(12);
    await checkScreen('apply-17-review', 'review');

    // 修改 goes to the step and straight back to the review.
    await tabTo('修改您的姓名');
    await page.keyboard.press('Enter');
    await arrive('您叫什么名字？');
    expect(new URL(page.url()).search).toBe('?back=review');
    await next('保存，回到核对');
    await arrive('请核对您的申请');

    await next('提交申请');
    await arrive('申请已提交');
    caseNumber = (await page.getByTestId('receipt-case-number').textContent()) ?? '';
    accessCode = (await page.getByTestId('receipt-access-code').textContent()) ?? '';
    expect(caseNumber).toMatch(/号$/);
    expect(accessCode).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){7}$/);
    const receipt = await page.locator('main').textContent();
    expect(receipt).toContain('不会再显示');
    expect(receipt).toContain('3 个工作日');
    expect(receipt).toContain('人民法院在线调解规则第十五条');
    // The draft is gone from the device once the application is registered.
    expect(await page.evaluate<string | null>("localStorage.getItem('portal.applicationDraft')")).toBeNull();

    const registered = (await stack.db('cases').where({ case_number: caseNumber }).first('case_id', 'channel'))!;
    expect(registered).toMatchObject({ channel: 'online' });
    const sms = await stack.db('sms_outbox').where({ purpose: 'access_code', case_id: registered.case_id }).first();
    expect(stack.cipher.decrypt(sms.body_enc)).toContain(accessCode);
    // What the receipt says of each file is what the case holds.
    const materials = await stack.db('case_materials').where({ case_id: registered.case_id }).select('media_type');
    for (const [name, type] of [
      ['借条.png', 'image/png'],
      ['聊天记录.pdf', 'application/pdf'],
    ] as const) {
      const kept = materials.some((m) => m.media_type === type);
      expect(receipt).toContain(`${name}：${kept ? '已上传' : '未能上传'}`);
    }
    if (materials.length < 2) expect(receipt).toContain('可登录后在“我的案件”中补充');
    await checkScreen('apply-18-receipt', 'receipt');
  });

  it('when the applicant goes on from the receipt, then they are signed in to their new case, and the access code opens it too', async () => {
    await next('查看我的案件');
    await arrive('我的案件');
    await expect.poll(() => page.locator('main').textContent(), { timeout: 15_000 }).toContain(caseNumber);
    await checkScreen('apply-19-my-case', 'my case after applying');

    const challenge = await stack.send(undefined, 'POST', '/auth/party/challenge', { accessCode });
    expect(challenge.status, challenge.text).toBe(201);
  });
});

describe('when things go wrong on the way', () => {
  const SECOND = {
    ...APPLICANT,
    phone: '17000009877',
    name: '陈阿婆',
    idNumber: fictionalIdNumber('445202', '19000404', '246'),
  };

  /** A draft as the steps leave it, put on the device before the page opens (the answers are not the point here). */
  async function seedDraft(draft: Record<string, unknown>): Promise<void> {
    await page.evaluate(
      `localStorage.setItem('portal.applicationDraft', ${JSON.stringify(JSON.stringify({ savedAt: Date.now(), draft }))})`,
    );
  }

  it('when the server refuses a field, the code is wrong, or the code has expired, then each is said at its step in Chinese and the application still goes through', async () => {
    page = await ui.newPage(NARROW_PHONE);
    const challenge = await stack.send(undefined, 'POST', '/applications/phone-challenge', { phone: SECOND.phone });
    expect(challenge.status, challenge.text).toBe(201);
    const code = await lastApplicationCode();
    await page.goto(`${base}/portal/`);
    await seedDraft({
      phone: SECOND.phone,
      challenge: { ...challenge.body, phone: SECOND.phone },
      code: code === '000000' ? '111111' : '000000',
      disputeType: 'neighbour',
      name: SECOND.name,
      idNumber: SECOND.idNumber,
      address: SECOND.address,
      otherKind: 'natural',
      otherName: '林伯',
      otherPhone: '',
      otherAddress: '同村 12 号',
      story: '楼上漏水到我家厨房，已经三个月。',
      learnedOn: '2026-9-1',
      ask: '要求修好水管并赔偿维修费。',
      amountYuan: '',
      // Chosen before a reload: only the name survived.
      files: [{ name: '漏水照片.jpg', sizeBytes: 123_456, kind: 'evidence' }],
    });
    await page.goto(`${base}/portal/apply`);
    await arrive('申请调解', { loaded: true });
    expect(await page.locator('main').textContent()).toContain('没填完的申请');
    await next('继续填写');
    await arrive('请核对您的申请');
    expect(await page.locator('main').textContent()).toContain('刷新后需要重新选择文件（漏水照片.jpg）');

    // A refusal the browser could not foresee (here put in the server's place): shown at its own step.
    await page.route('**/applications', (route) =>
      route.fulfill({
        status: 400,
        contentType: 'application/problem+json',
        body: JSON.stringify({
          type: '/problems/validation-error',
          title: 'The request is not valid',
          status: 400,
          errors: [{ field: 'application.parties[0].address', message: 'must be at most 500 characters' }],
        }),
      }),
    );
    await next('提交申请');
    await arrive('您住在哪里？');
    expect(await page.locator('#apply-address-error').textContent()).toContain('不能超过 500 个字');
    await checkScreen('apply-20-server-field-error', 'a field refused by the server');
    await page.unroute('**/applications');
    await next('保存，回到核对');
    await arrive('请核对您的申请');

    // The wrong code: the server says so, and the code step asks again.
    await next('提交申请');
    await arrive('请输入短信验证码');
    expect(await page.locator('#apply-code-error').textContent()).toContain('验证码不正确或已失效');
    // Refused by the server, a new code may be asked for at once.
    expect(await page.getByRole('button', { name: '重新获取验证码' }).isVisible()).toBe(true);
    await checkScreen('apply-21-wrong-code', 'wrong SMS code');

    // The code runs out meanwhile (a few minutes): the review asks for a new one.
    const stored = JSON.parse((await page.evaluate<string>("localStorage.getItem('portal.applicationDraft')")) ?? '{}');
    stored.draft.challenge.expiresAt = new Date(Date.now() - 1000).toISOString();
    await page.evaluate(`localStorage.setItem('portal.applicationDraft', ${JSON.stringify(JSON.stringify(stored))})`);
    await page.goto(`${base}/portal/apply/review`);
    await arrive('请核对您的申请', { loaded: true });
    expect(await page.locator('main').textContent()).toContain('验证码已过期');
    await checkScreen('apply-22-code-expired', 'code expired at the review');
    await next('重新获取验证码');
    await arrive('请输入短信验证码');
    await tabTo('#apply-code');
    await page.keyboard.type(await lastApplicationCode());
    await page.keyboard.press('Enter');
    await arrive('请核对您的申请');
    await next('提交申请');
    await arrive('申请已提交');
    expect(await page.getByTestId('receipt-access-code').textContent()).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4}){7}$/);
  });

  it('when a draft is cleared, then nothing of it stays on the device', async () => {
    await page.goto(`${base}/portal/apply`);
    await seedDraft({ phone: SECOND.phone, name: SECOND.name, files: [] });
    await page.reload();
    await arrive('申请调解', { loaded: true });
    page.once('dialog', (dialog) => void dialog.accept());
    await next('清除草稿，重新开始');
    await expect.poll(() => page.getByRole('link', { name: '开始申请' }).isVisible()).toBe(true);
    expect(await page.evaluate<string | null>("localStorage.getItem('portal.applicationDraft')")).toBeNull();
  });

  it('when the pages were used, then no style or script was refused by the CSP and nothing threw', () => {
    expect(ui.problems).toEqual([]);
  });
});
