/** `npm run bench [-- --json]`: the benchmarks that exist so far (documents), with the machine they ran on. */
import { benchDocuments, machine } from './documents.js';

const json = process.argv.includes('--json');
const pdf = await benchDocuments();
const report = { machine: machine(), pdf };
if (json) {
  console.log(JSON.stringify(report, null, 2));
} else {
  const m = report.machine;
  console.log(`machine: ${m.cores} cores, ${m.memoryGiB} GiB, ${m.cpu}, Node ${m.node}`);
  console.log(`agreement PDF (warm, ${pdf.runs} runs): ${pdf.msPerAgreement} ms mean, p50 ${pdf.p50Ms} ms, p99 ${pdf.p99Ms} ms, ${pdf.bytes} bytes`);
  console.log(`bare pdfkit, same text and font:       ${pdf.barePdfkitMs} ms mean (ours / bare = ${pdf.ratio})`);
}
