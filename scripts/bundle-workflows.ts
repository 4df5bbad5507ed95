/**
 * `npm run build`'s second step: the workflow code bundled once, as Temporal's authors recommend for
 * production, into dist/workflow-bundle.js (or the path given), which the built worker loads at start.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflows } from '../worker/worker.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = path.resolve(root, process.argv[2] ?? 'dist/workflow-bundle.js');
const started = Date.now();
const { code } = await bundleWorkflows();
mkdirSync(path.dirname(out), { recursive: true });
writeFileSync(out, code);
console.log(
  `[build] workflow bundle: ${path.relative(root, out)} (${Math.round(code.length / 1024)} kB, ${Date.now() - started} ms)`,
);
