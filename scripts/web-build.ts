/**
 * `npm run web:build [-- --force]`: typechecks and builds the web front ends into web/dist, only when their
 * sources changed since the last build. The stamp (web/dist/.build-stamp.json) holds a SHA-256 over every
 * file under web/ (but web/dist) and the lockfile, so a new dependency version rebuilds too. Prints what it
 * does and how much JavaScript each entry's first screen loads (the console's and the portal's; the portal's
 * must stay at most 150 kB gzipped on a phone, issue 16: the build fails above it).
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const root = fileURLToPath(new URL('..', import.meta.url));
const webDir = path.join(root, 'web');
const distDir = path.join(webDir, 'dist');
const stampFile = path.join(distDir, '.build-stamp.json');
const SKIP = new Set(['dist', 'node_modules']);

/** Every source file under web/, relative and sorted (the order must not depend on the file system). */
function sourceFiles(dir = webDir): string[] {
  return readdirSync(dir, { withFileTypes: true })
    .flatMap((entry) => {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) return SKIP.has(entry.name) && dir === webDir ? [] : sourceFiles(full);
      return entry.isFile() ? [path.relative(root, full).split(path.sep).join('/')] : [];
    })
    .sort();
}

export function sourceHash(): string {
  const hash = createHash('sha256');
  // The console imports pure domain modules (the ID-number check): a change there rebuilds it too.
  for (const file of [...sourceFiles(), ...sourceFiles(path.join(root, 'domain')), 'package-lock.json']) {
    hash.update(`${file}\n`);
    hash.update(readFileSync(path.join(root, file)));
    hash.update('\n');
  }
  return hash.digest('hex');
}

function lastBuild(): string | undefined {
  try {
    return (JSON.parse(readFileSync(stampFile, 'utf8')) as { hash?: string }).hash;
  } catch {
    return undefined;
  }
}

/** The web build's entries, each at /<entry>/ (web/vite.config.ts). */
export const WEB_ENTRIES = ['console', 'portal'] as const;
export type WebEntry = (typeof WEB_ENTRIES)[number];

/** The most gzipped JavaScript the portal's first screen may load: a cheap phone on a slow network (issue 16). */
export const PORTAL_FIRST_SCREEN_LIMIT = 150 * 1024;

/** The JavaScript an entry's index.html loads before anything is clicked, gzipped, in bytes (in web/dist, or a copy of it). */
export function firstScreenSize(
  entry: WebEntry = 'console',
  dir = distDir,
): { entry: number; total: number; files: string[] } {
  const html = readFileSync(path.join(dir, entry, 'index.html'), 'utf8');
  const files = [...html.matchAll(new RegExp(`(?:src|href)="/${entry}/(assets/[^"]+\\.js)"`, 'g'))].map((m) => m[1]!);
  const entryFile = new RegExp(`<script[^>]+src="/${entry}/(assets/[^"]+\\.js)"`).exec(html)?.[1];
  const gz = (file: string) => gzipSync(readFileSync(path.join(dir, file))).length;
  return { entry: entryFile ? gz(entryFile) : 0, total: files.reduce((sum, f) => sum + gz(f), 0), files };
}

export async function buildWeb(opts: { force?: boolean } = {}): Promise<'built' | 'up to date'> {
  const hash = sourceHash();
  if (
    !opts.force &&
    lastBuild() === hash &&
    WEB_ENTRIES.every((entry) => existsSync(path.join(distDir, entry, 'index.html')))
  ) {
    console.log(`web: up to date (sources ${hash.slice(0, 12)}), nothing to build`);
    return 'up to date';
  }
  console.log(
    opts.force
      ? 'web: building (--force)'
      : `web: sources changed since the last build (now ${hash.slice(0, 12)}): typechecking, then building`,
  );
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  for (const project of ['web/tsconfig.json', 'web/tsconfig.node.json']) {
    console.log(`web: tsc -p ${project}`);
    execFileSync(process.execPath, [tsc, '-p', project], { cwd: root, stdio: 'inherit' });
  }
  console.log('web: vite build');
  // Always React's production build: run from a test (NODE_ENV=test) Vite would otherwise bundle the development one.
  process.env.NODE_ENV = 'production';
  const { build } = await import('vite');
  await build({ configFile: path.join(webDir, 'vite.config.ts'), mode: 'production', logLevel: 'info' });
  const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
  for (const entry of WEB_ENTRIES) {
    const size = firstScreenSize(entry);
    console.log(
      `web: built into web/dist; the ${entry}'s first screen loads ${kb(size.total)} of JavaScript gzipped (entry chunk ${kb(size.entry)}, ${size.files.length} files)`,
    );
    if (entry === 'portal' && size.total > PORTAL_FIRST_SCREEN_LIMIT) {
      // No stamp: the next run builds (and fails) again until the portal is small enough.
      throw new Error(
        `the portal's first screen loads ${kb(size.total)} of gzipped JavaScript, more than the ${kb(PORTAL_FIRST_SCREEN_LIMIT)} a phone on a slow network may wait for`,
      );
    }
  }
  writeFileSync(stampFile, `${JSON.stringify({ hash, builtAt: new Date().toISOString() }, null, 2)}\n`);
  return 'built';
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    await buildWeb({ force: process.argv.includes('--force') });
  } catch (err) {
    // tsc has printed its errors already; vite's come with the exception.
    console.error(`web: build failed${err instanceof Error && !('status' in err) ? `: ${err.message}` : ''}`);
    process.exitCode = 1;
  }
}
