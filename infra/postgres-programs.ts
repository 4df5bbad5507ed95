/**
 * Where the `postgres` user runs the embedded PostgreSQL programs from when the server is started as root.
 * A clone inside a folder closed to others (root's home is 700) keeps node_modules out of that user's reach,
 * so the programs (bin/, lib/, share/ of the platform package: PostgreSQL finds the last two beside the
 * first) are copied once into a folder of root's in the temp directory, which every user may enter, kept per
 * package version and reused by every later run.
 */
import {
  chmodSync,
  cpSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  renameSync,
  rmSync,
  statSync,
} from 'node:fs';
import { userInfo } from 'node:os';
import path from 'node:path';

/** Raised when the `postgres` user cannot reach what it needs; its message says what to do. */
export class UnreachableDataDirError extends Error {}

/** The folders on the way to `dir` (and, with `includeSelf`, `dir` itself) that others may not enter. */
export function foldersClosedToOthers(dir: string, opts: { includeSelf?: boolean } = {}): string[] {
  const start = path.resolve(dir);
  const closed: string[] = [];
  for (let current = start; ; current = path.dirname(current)) {
    if ((opts.includeSelf || current !== start) && existsSync(current) && (statSync(current).mode & 0o001) === 0) {
      closed.push(current);
    }
    if (path.dirname(current) === current) break;
  }
  return closed.reverse();
}

/**
 * As root the server runs as `postgres`: every parent folder of its data (and, with `includeSelf`, the
 * folder of its programs itself) needs the "others may enter" bit.
 */
export function assertReachableByOthers(dir: string, opts: { what?: string; includeSelf?: boolean } = {}): void {
  const blocked = foldersClosedToOthers(dir, opts);
  if (blocked.length === 0) return;
  const what = opts.what ?? dir;
  throw new UnreachableDataDirError(
    `PostgreSQL runs as the 'postgres' user when started as root, and that user cannot reach ` +
      `${what} because these folders are closed to others: ${blocked.join(', ')}.\n` +
      `Fix one of: 'chmod o+x ${blocked.join(' ')}'; ${opts.what ? 'clone the project under /srv or /tmp' : 'set DATA_DIR (npm start) or TMPDIR (npm test) to a folder under /srv or /tmp'}; ` +
      `or set DATABASE_URL to a PostgreSQL you run yourself.`,
  );
}

/**
 * The programs' folder the `postgres` user can run: `bin` itself when that user can reach it, else the copy
 * under `cacheRoot` (made now if missing or incomplete). `version` keys the copy, so an upgraded package is copied again.
 */
export function programsReachableByOthers(bin: string, opts: { cacheRoot: string; version: string }): string {
  if (foldersClosedToOthers(bin, { includeSelf: true }).length === 0) return bin;
  const own = ownFolder(path.join(opts.cacheRoot, `odr-case-center-${userInfo().uid}`));
  const copy = path.join(own, `postgres-${opts.version}`);
  if (!sameEntries(path.dirname(bin), copy)) {
    rmSync(copy, { recursive: true, force: true }); // half gone: a temp directory's clean-up removes old files
    copyPrograms(path.dirname(bin), copy);
  }
  const copiedBin = path.join(copy, 'bin');
  assertReachableByOthers(copiedBin, {
    what: `the copy of the PostgreSQL programs in ${copiedBin}`,
    includeSelf: true,
  });
  return copiedBin;
}

/**
 * A folder in a directory every user may write to (the temp directory) is trusted only when it is this
 * user's, a real folder, and closed to others' writes: the server runs the programs it holds.
 */
function ownFolder(dir: string): string {
  try {
    mkdirSync(dir, { mode: 0o755 });
    chmodSync(dir, 0o755); // whatever the umask: `postgres` enters it
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  const stat = lstatSync(dir);
  if (!stat.isDirectory() || stat.uid !== userInfo().uid || (stat.mode & 0o022) !== 0) {
    throw new UnreachableDataDirError(
      `${dir} is not a folder of yours closed to others' writes, so the PostgreSQL programs are not copied there ` +
        `for the 'postgres' user. Remove it, or clone the project under /srv or /tmp, or set DATABASE_URL.`,
    );
  }
  return dir;
}

/** Whether the copy holds as many files and folders as the original (about 1,000: milliseconds to count). */
function sameEntries(original: string, copy: string): boolean {
  const count = (dir: string) => readdirSync(dir, { recursive: true }).length;
  return existsSync(path.join(copy, 'bin', 'postgres')) && count(copy) === count(original);
}

/** Copies into a fresh folder first and renames it into place, so a run that stops halfway leaves no half copy. */
function copyPrograms(native: string, copy: string): void {
  const partial = mkdtempSync(`${copy}.partial-`);
  try {
    cpSync(native, partial, { recursive: true, verbatimSymlinks: true });
    chmodSync(partial, 0o755);
    renameSync(partial, copy);
  } catch (err) {
    rmSync(partial, { recursive: true, force: true });
    // Another run copied it at the same time: use theirs.
    if (!existsSync(path.join(copy, 'bin', 'postgres'))) throw err;
  }
}
