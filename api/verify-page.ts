/**
 * `/verify/<code>` as a person sees it after scanning a document's QR with a phone: a small page in Chinese that
 * says whether the document is genuine, with the facts to compare against the paper (title, case number,
 * version, date, SHA-256) and no personal data. Programs asking for JSON get the JSON as before.
 */
import { randomBytes } from 'node:crypto';
import type { Response } from 'express';

export type VerifiedDocument = {
  caseNumber: string | null;
  title: string;
  version: number;
  sha256: string;
  verificationCode: string;
  issuedAt: string;
};

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
const beijing = (iso: string) =>
  new Intl.DateTimeFormat('zh-CN', {
    timeZone: 'Asia/Shanghai',
    year: 'numeric',
    month: 'long',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    hour12: false,
  }).format(new Date(iso));

const STYLE = `body{font-family:"Noto Sans CJK SC","PingFang SC","Microsoft YaHei",sans-serif;margin:0;background:#f5f5f5;color:#1f1f1f;font-size:18px;line-height:1.6}
main{max-width:40rem;margin:0 auto;padding:1rem}section{background:#fff;border:1px solid #d9d9d9;border-radius:8px;padding:1rem 1.25rem}
h1{font-size:1.4rem;margin:.25rem 0 1rem}.result{font-weight:700;font-size:1.2rem;border-left:6px solid;padding-left:.75rem}
.genuine{border-color:#237804;color:#135200}.unknown{border-color:#a8071a;color:#820014}dt{color:#595959;margin-top:.5rem}dd{margin:0;word-break:break-all}
code{font-family:"Noto Sans Mono CJK SC",monospace}p.hint{color:#434343}`;

function page(res: Response, status: number, body: string): void {
  const nonce = randomBytes(16).toString('base64');
  res.status(status);
  res.setHeader('Content-Type', 'text/html; charset=utf-8');
  res.setHeader(
    'Content-Security-Policy',
    `default-src 'none'; style-src 'nonce-${nonce}'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
  );
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('Referrer-Policy', 'no-referrer');
  res.setHeader('Vary', 'Accept');
  res.send(`<!doctype html>
<html lang="zh-CN">
<head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>文书核验</title><style nonce="${nonce}">${STYLE}</style></head>
<body><main><section>
<h1>文书核验</h1>
${body}
</section></main></body>
</html>
`);
}

/** The document is one the center issued: what to compare with the paper in hand. */
export function genuinePage(res: Response, d: VerifiedDocument): void {
  page(
    res,
    200,
    `<p class="result genuine">真实有效：本中心出具的文书</p>
<dl>
<dt>文书名称</dt><dd>${escape(d.title)}</dd>
<dt>案号</dt><dd>${escape(d.caseNumber ?? '（未编号）')}</dd>
<dt>版本</dt><dd>第 ${d.version} 版</dd>
<dt>出具时间</dt><dd>${escape(beijing(d.issuedAt))}（北京时间）</dd>
<dt>核验码</dt><dd><code>${escape(d.verificationCode)}</code></dd>
<dt>文件指纹（SHA-256）</dt><dd><code>${escape(d.sha256)}</code></dd>
</dl>
<p class="hint">请核对手中文书上的核验码、名称、案号和版本是否与本页一致。电子文件的 SHA-256 应与上面的指纹完全相同；不一致的，文书可能被改动过，请联系中心。本页不显示任何个人信息。</p>`,
  );
}

/** No document has this code: said plainly, with what to do. */
export function unknownPage(res: Response, code: string): void {
  page(
    res,
    404,
    `<p class="result unknown">未找到：没有核验码为 <code>${escape(code)}</code> 的文书</p>
<p class="hint">请核对核验码（10 位字母和数字，中间有一条短横线）。仍未找到的，这份文书可能不是本中心出具的，请拨打 12348 公共法律服务热线或到中心服务窗口咨询。</p>`,
  );
}
