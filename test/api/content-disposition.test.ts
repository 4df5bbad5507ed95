/**
 * A document saved under its Chinese title: the header the API sends (RFC 6266 with an RFC 5987 name) and the
 * name the portal's download takes from it, for browsers that read the extended name and for those that do not.
 */
import { describe, expect, it } from 'vitest';
import { attachment } from '../../api/routes/cases/documents.js';
import { dispositionName } from '../../web/src/portal/pages/disposition.js';

describe('the name a downloaded document is saved under', () => {
  it('when the title is Chinese with parentheses, then the extended name carries it exactly and the plain one is ASCII', () => {
    const header = attachment('agreement-v2.pdf', '人民调解协议书（补充）(2)-第2版.pdf');
    expect(header).toMatch(/^attachment; filename=("?)agreement-v2\.pdf\1; filename\*=UTF-8''/);
    // Nothing but attr-chars in the extended value: ' ( ) * are encoded too.
    expect(header.split("filename*=UTF-8''")[1]).toMatch(/^[A-Za-z0-9!#$&+.^_`|~%-]+$/);
    expect(dispositionName(header)).toBe('人民调解协议书（补充）(2)-第2版.pdf');
  });

  it('when a client reads only the plain name, then it gets the ASCII fallback, quoted or not', () => {
    expect(dispositionName('attachment; filename=agreement-v2.pdf')).toBe('agreement-v2.pdf');
    expect(dispositionName('attachment; filename="agreement v2.pdf"')).toBe('agreement v2.pdf');
    expect(dispositionName("attachment; filename=a.pdf; filename*=UTF-8''%E0%A4%A")).toBe('a.pdf');
    expect(dispositionName(null)).toBeNull();
  });
});
