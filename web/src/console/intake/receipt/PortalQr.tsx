/**
 * The QR code on the receipt: the address where a party follows the case (the party portal, /portal/ on
 * this origin). Made in the browser with `qrcode` (its browser build; only `create`, no canvas) and drawn as
 * an inline SVG path: no request, no data URL, no style attribute for the CSP to weigh, and sharp on paper.
 * It holds only the address: the case and the party are known from the access code, never from the QR.
 */
import { create } from 'qrcode';
import { useMemo } from 'react';

/** The portal's address, as a party types it or the QR gives it. */
export const portalUrl = () => `${window.location.origin}/portal/`;

/** One square path per dark module, inside a quiet zone of `margin` modules. */
function qrPath(text: string, margin: number): { size: number; d: string } {
  const { modules } = create(text, { errorCorrectionLevel: 'M' });
  let d = '';
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++)
      if (modules.get(row, col)) d += `M${col + margin} ${row + margin}h1v1h-1z`;
  }
  return { size: modules.size + 2 * margin, d };
}

export function PortalQr() {
  const url = portalUrl();
  const { size, d } = useMemo(() => qrPath(url, 2), [url]);
  return (
    <figure className="receipt-qr">
      <svg
        role="img"
        aria-label={`二维码：当事人服务平台 ${url}`}
        viewBox={`0 0 ${size} ${size}`}
        shapeRendering="crispEdges"
        data-testid="portal-qr"
        data-url={url}
      >
        <rect width={size} height={size} fill="#fff" />
        <path d={d} fill="#000" />
      </svg>
      <figcaption>
        扫码或访问
        <br />
        <span className="receipt-url">{url}</span>
        <br />
        查看案件进展
      </figcaption>
    </figure>
  );
}
