/**
 * As root the embedded PostgreSQL runs as `postgres`: in a clone inside a folder closed to others (root's
 * home), that user cannot reach node_modules, so the programs run from a copy it can reach (issue 18).
 */
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createDb } from '../../db/knex.js';
import { embeddedBinaries, startEmbeddedPostgres } from '../../infra/embedded-postgres.js';
import {
  UnreachableDataDirError,
  foldersClosedToOthers,
  programsReachableByOthers,
} from '../../infra/postgres-programs.js';
import { freePort } from '../support/ports.js';

const scratch: string[] = [];
const folder = (prefix: string, mode: number) => {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  chmodSync(dir, mode);
  scratch.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of scratch) rmSync(dir, { recursive: true, force: true });
});

/** A platform package's native/ in miniature: bin/, lib/ with a versioned library and its link, share/. */
function fakePrograms(closedParent: string): string {
  const native = path.join(closedParent, 'project', 'node_modules', 'native');
  mkdirSync(path.join(native, 'bin'), { recursive: true });
  mkdirSync(path.join(native, 'lib'));
  mkdirSync(path.join(native, 'share'));
  writeFileSync(path.join(native, 'bin', 'postgres'), '#!/bin/sh\n', { mode: 0o755 });
  writeFileSync(path.join(native, 'lib', 'libpq.so.5.17'), 'library');
  symlinkSync('libpq.so.5.17', path.join(native, 'lib', 'libpq.so.5'));
  writeFileSync(path.join(native, 'share', 'postgres.bki'), 'catalog');
  return path.join(native, 'bin');
}

describe('the PostgreSQL programs, where the postgres user can run them', () => {
  it('when the programs sit in a folder closed to others, then they are copied once where every user may enter', () => {
    const bin = fakePrograms(folder('odr-closed-', 0o700));
    const cacheRoot = folder('odr-cache-', 0o755);
    const copy = programsReachableByOthers(bin, { cacheRoot, version: '17.0-test' });
    expect(copy).toBe(path.join(cacheRoot, `odr-case-center-${userInfo().uid}`, 'postgres-17.0-test', 'bin'));
    expect(foldersClosedToOthers(copy, { includeSelf: true })).toEqual([]);
    expect(statSync(path.join(copy, 'postgres')).mode & 0o777).toBe(0o755);
    expect(readlinkSync(path.join(copy, '..', 'lib', 'libpq.so.5'))).toBe('libpq.so.5.17');
    expect(existsSync(path.join(copy, '..', 'share', 'postgres.bki'))).toBe(true);
    // The next run finds the copy and leaves it as it is.
    const copied = statSync(path.join(copy, 'postgres'));
    expect(programsReachableByOthers(bin, { cacheRoot, version: '17.0-test' })).toBe(copy);
    expect(statSync(path.join(copy, 'postgres')).ino).toBe(copied.ino);
    // A temp directory's clean-up that removed a file of the copy: it is copied again.
    rmSync(path.join(copy, '..', 'share', 'postgres.bki'));
    expect(programsReachableByOthers(bin, { cacheRoot, version: '17.0-test' })).toBe(copy);
    expect(existsSync(path.join(copy, '..', 'share', 'postgres.bki'))).toBe(true);
    // Another version is copied beside it.
    expect(programsReachableByOthers(bin, { cacheRoot, version: '17.1-test' })).not.toBe(copy);
  });

  it('when the postgres user can reach the programs, then they run where they are', () => {
    const bin = fakePrograms(folder('odr-open-', 0o755));
    const cacheRoot = folder('odr-cache-', 0o755);
    expect(programsReachableByOthers(bin, { cacheRoot, version: '17.0-test' })).toBe(bin);
    expect(existsSync(path.join(cacheRoot, `odr-case-center-${userInfo().uid}`))).toBe(false);
  });

  it('when the folder in the temp directory is open to others’ writes, then nothing is copied there and the message says so', () => {
    const bin = fakePrograms(folder('odr-closed-', 0o700));
    const cacheRoot = folder('odr-cache-', 0o755);
    const planted = path.join(cacheRoot, `odr-case-center-${userInfo().uid}`);
    mkdirSync(planted);
    chmodSync(planted, 0o777);
    const copy = () => programsReachableByOthers(bin, { cacheRoot, version: '17.0-test' });
    expect(copy).toThrow(UnreachableDataDirError);
    expect(copy).toThrow(`${planted} is not a folder of yours closed to others' writes`);
    expect(existsSync(path.join(planted, 'postgres-17.0-test'))).toBe(false);
  });

  it('when the installed programs sit in a folder closed to others, then the server still starts and answers', async () => {
    const installed = embeddedBinaries()!;
    const pkg = path.join(installed, '..', '..');
    const closed = folder('odr-closed-', 0o700);
    const copied = path.join(closed, 'node_modules', 'platform-package');
    mkdirSync(copied, { recursive: true });
    cpSync(path.join(pkg, 'package.json'), path.join(copied, 'package.json'));
    cpSync(path.join(pkg, 'native'), path.join(copied, 'native'), { recursive: true, verbatimSymlinks: true });
    const dataParent = folder('odr-pg-', 0o755);
    const server = await startEmbeddedPostgres({
      dataDir: path.join(dataParent, 'data'),
      port: await freePort(),
      password: 'closed-folder-test',
      persistent: false,
      programs: path.join(copied, 'native', 'bin'),
    });
    try {
      const db = createDb(server.adminUrl, { max: 1 });
      const { rows } = await db.raw<{ rows: { answer: number }[] }>('SELECT 6 * 7 AS answer');
      await db.destroy();
      expect(rows[0]!.answer).toBe(42);
    } finally {
      await server.stop();
    }
    expect(existsSync(path.join(dataParent, 'data'))).toBe(false);
  });
});
