/**
 * The agreement a party reads in the portal (待签) says what its PDF says: the same title, the same 其他事项 in the
 * same order (how it binds, the dispute type's notices, the 30 days for judicial confirmation, a debtor's
 * commitment, the effect sentence for its path, the copies). The portal's wording
 * (web/src/portal/pages/agreement-text.ts) is checked against the PDF as pdftotext reads it, for every kind of
 * mediation and path, so a change to templates/agreement.ts that the portal misses fails here.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { agreementTemplate, EFFECT_SENTENCE, type AgreementView } from '../templates/agreement.js';
import { SAMPLE_AGREEMENTS_BY_KIND } from '../templates/fixtures.js';
import { renderPdf } from '../templates/render.js';
import {
  agreementNotices,
  agreementTitle,
  EFFECT_SENTENCE as PORTAL_EFFECT_SENTENCE,
  presided,
  type AgreementWording,
} from '../web/src/portal/pages/agreement-text.js';

const dir = mkdtempSync(path.join(tmpdir(), 'odr-portal-agreement-'));
const ctx = {
  createdAt: '2026-11-25T02:00:00.000Z',
  verificationCode: 'TEST-9012',
  verifyUrl: 'http://localhost:3000/verify/TEST-9012',
};
const flat = (s: string) => s.replace(/\s+/g, '');

async function pdfText(view: AgreementView, name: string): Promise<string> {
  const file = path.join(dir, `${name}.pdf`);
  writeFileSync(file, await renderPdf(agreementTemplate, view, ctx));
  return flat(execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' })).replace(/第\d+页共\d+页/g, '');
}

/** What the portal knows of the agreement, from the same view the PDF was made from. */
const wording = (v: AgreementView): AgreementWording => ({
  path: v.path,
  organizationKind: v.organizationKind,
  organizationName: v.organizationName,
  mediatorName: v.mediatorName,
  courtName: v.courtName,
  disputeType: v.disputeType,
  partyCount: v.parties.length,
  judicialConfirmationPossible: v.judicialConfirmationPossible,
  notarizationPlanned: v.notarizationPlanned,
  enforcementDebtors: v.enforcementDebtors,
});

const cases: [string, AgreementView][] = [
  ["people's mediation", SAMPLE_AGREEMENTS_BY_KIND.peoples],
  ['labour mediation', SAMPLE_AGREEMENTS_BY_KIND.labour],
  ['lawyer mediation', SAMPLE_AGREEMENTS_BY_KIND.lawyer],
  ['court 委派', SAMPLE_AGREEMENTS_BY_KIND.court_invited],
  ['court 委托', { ...SAMPLE_AGREEMENTS_BY_KIND.court_invited, path: 'court_post_filing' }],
  [
    'notarization planned',
    { ...SAMPLE_AGREEMENTS_BY_KIND.peoples, notarizationPlanned: true, enforcementDebtors: ['李四'] },
  ],
  [
    'not confirmable, family matter',
    { ...SAMPLE_AGREEMENTS_BY_KIND.peoples, disputeType: 'family_property', judicialConfirmationPossible: false },
  ],
];

describe('the agreement as the portal shows it', () => {
  it("when the effect sentences are compared, then the portal has the template's own for every path", () => {
    expect(PORTAL_EFFECT_SENTENCE).toEqual(EFFECT_SENTENCE);
  });

  it.each(cases)(
    "when the agreement is %s, then the portal lists the PDF's title and 其他事项, numbered as printed",
    async (name, view) => {
      const text = await pdfText(view, name.replace(/\W+/g, '-'));
      const w = wording(view);
      expect(text).toContain(flat(`${view.organizationName}${agreementTemplate.title(view)}`));
      expect(agreementTitle(w)).toBe(agreementTemplate.title(view));
      expect(text).toContain(flat(presided(w)));
      const notices = agreementNotices(w);
      notices.forEach((n, i) => expect(text, `${name}: notice ${i + 1}`).toContain(flat(`${i + 1}. ${n}`)));
      // No more than those: nothing numbered follows the last one.
      expect(text).not.toContain(flat(`${notices.length}. ${notices.at(-1)!}${notices.length + 1}.`));
    },
  );
});
