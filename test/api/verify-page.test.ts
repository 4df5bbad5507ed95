/**
 * A document's QR opens /verify/<code> in a phone's browser: a page in Chinese that says whether the document is
 * genuine, with what to compare against the paper and no personal data; a program asking for JSON gets JSON.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { partyApplication } from '../support/fixtures.js';
import { startStack, type Stack } from '../support/stack.js';

let stack: Stack;
let doc: { verificationCode: string; title: string; sha256: string };
let caseNumber: string;
const BROWSER = { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8' };

beforeAll(async () => {
  stack = await startStack();
  const clerk = await stack.login('clerk.chen');
  const created = await stack.send(clerk, 'POST', '/cases', partyApplication());
  caseNumber = created.body.caseNumber;
  // Accepted: the rights notice (当事人权利义务告知书) is issued, a document with a code.
  await stack.send(clerk, 'POST', `/cases/${created.body.caseId}/accept`, {});
  for (let i = 0; i < 40 && !doc; i += 1) {
    doc = (await stack.send(clerk, 'GET', `/cases/${created.body.caseId}/documents`)).body.documents?.[0];
    if (!doc) await new Promise((resolve) => setTimeout(resolve, 500));
  }
  if (!doc) throw new Error('the rights notice was not issued');
});
afterAll(async () => {
  await stack?.close();
});

describe('/verify in a browser', () => {
  it("when a phone opens a genuine document's code, then a page says it is genuine with its title, case number, version and fingerprint, and nothing personal", async () => {
    const res = await fetch(`${stack.url}/verify/${doc.verificationCode.toLowerCase()}`, { headers: BROWSER });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toContain('text/html');
    expect(res.headers.get('content-security-policy')).toMatch(/default-src 'none'; style-src 'nonce-[^']+'/);
    const html = await res.text();
    for (const said of [
      '真实有效',
      doc.title,
      caseNumber,
      '第 1 版',
      doc.sha256,
      doc.verificationCode,
      'lang="zh-CN"',
      'name="viewport"',
    ])
      expect(html).toContain(said);
    for (const personal of ['张三', '李四', '17000001234']) expect(html).not.toContain(personal);
  });

  it('when the code is unknown, then the page says so and what to do, with 404', async () => {
    const res = await fetch(`${stack.url}/verify/ZZZZZ-ZZZZZ`, { headers: BROWSER });
    expect(res.status).toBe(404);
    const html = await res.text();
    expect(html).toContain('未找到');
    expect(html).toContain('12348');
    const typed = await fetch(`${stack.url}/verify/${encodeURIComponent('<script>x</script>')}`, { headers: BROWSER });
    expect(await typed.text()).not.toContain('<script>x');
  });

  it('when a program asks, then the answers are JSON as before', async () => {
    const res = await fetch(`${stack.url}/verify/${doc.verificationCode}`);
    expect(res.headers.get('content-type')).toContain('application/json');
    expect(await res.json()).toMatchObject({ genuine: true, sha256: doc.sha256, caseNumber });
    const missing = await fetch(`${stack.url}/verify/ZZZZZ-ZZZZZ`, { headers: { accept: 'application/json' } });
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toContain('application/problem+json');
  });
});
