/**
 * A document's verify QR, as its PDF prints one (templates/render.ts verificationBox): the address of the public
 * check, <origin>/verify/<code>, which answers whether the document is genuine, for which case and version, and
 * its SHA-256, without any personal data. Drawn as the console's receipt draws its QR (an inline SVG path from
 * `qrcode`'s `create`: no request, no data URL, nothing for the CSP to weigh). `qrcode` is loaded only when a
 * QR is shown, so the portal's first screen does not carry it. The address is also written out beside it, for
 * whoever cannot scan.
 */
import { useEffect, useState } from 'react';

/** The public check of a document by its code, on this origin (the PDF's QR holds the same path). */
export const verifyUrl = (code: string): string => `${window.location.origin}/verify/${encodeURIComponent(code)}`;

type Drawn = { size: number; d: string };

/** One square path per dark module, inside a quiet zone of `margin` modules. */
async function qrPath(text: string, margin: number): Promise<Drawn> {
  const { create } = await import('qrcode');
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  let d = '';
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++)
      if (modules.get(row, col)) d += `M${col + margin} ${row + margin}h1v1h-1z`;
  }
  return { size: modules.size + 2 * margin, d };
}

export function VerifyQr({ code, title }: { code: string; title: string }) {
  const url = verifyUrl(code);
  const [drawn, setDrawn] = useState<Drawn | null>(null);
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    let live = true;
    qrPath(url, 2).then(
      (d) => live && setDrawn(d),
      () => live && setFailed(true),
    );
    return () => {
      live = false;
    };
  }, [url]);
  return (
    <figure className="verify-qr">
      {drawn ? (
        <svg
          role="img"
          aria-label={`核验二维码：《${title}》 ${url}`}
          viewBox={`0 0 ${drawn.size} ${drawn.size}`}
          shapeRendering="crispEdges"
          data-testid="verify-qr"
          data-url={url}
        >
          <rect width={drawn.size} height={drawn.size} fill="#fff" />
          <path d={drawn.d} fill="#000" />
        </svg>
      ) : (
        <div className="verify-qr-placeholder" aria-hidden="true">
          {failed ? '二维码未能显示' : '正在生成二维码…'}
        </div>
      )}
      <figcaption>
        扫码或打开核验地址，可查验这份文书是否为本中心出具：
        <br />
        <a href={url} className="verify-url" data-testid="verify-url" target="_blank" rel="noopener noreferrer">
          {url}
          <span className="sr-only">（在新窗口打开）</span>
        </a>
      </figcaption>
    </figure>
  );
}
