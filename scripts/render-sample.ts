/** `npm run render:sample -- <out.pdf>`: a sample agreement from fixture data, without starting the system. */
import { writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { agreementTemplate } from '../templates/agreement.js';
import { sampleAgreement } from '../templates/fixtures.js';
import { renderPdf } from '../templates/render.js';

const out = process.argv[2] ?? 'sample-agreement.pdf';
const bytes = await renderPdf(agreementTemplate, sampleAgreement(), {
  createdAt: '2026-11-25T02:00:00.000Z',
  verificationCode: 'SAMPLE-0000',
  verifyUrl: 'http://localhost:3000/verify/SAMPLE-0000',
});
writeFileSync(out, bytes);
console.log(`${out}: ${bytes.length} bytes, sha256 ${createHash('sha256').update(bytes).digest('hex')}`);
