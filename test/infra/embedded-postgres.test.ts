/**
 * As root the embedded PostgreSQL runs as `postgres`: a clone inside a folder closed to others (root's
 * home) must stop with what to do, for its data and for its programs, not with `spawn initdb EACCES`.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { UnreachableDataDirError, assertReachableByOthers, embeddedBinaries } from '../../infra/embedded-postgres.js';

describe('folders the postgres user must reach', () => {
  it('when a parent folder is closed to others, then the check names it and says how to fix it', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'odr-closed-'));
    // Removed whatever the test finds (its owner may remove folders it closed to others).
    onTestFinished(() => rmSync(root, { recursive: true, force: true }));
    const programs = path.join(root, 'project', 'node_modules', 'bin');
    mkdirSync(programs, { recursive: true });
    chmodSync(root, 0o700);
    const check = () => assertReachableByOthers(programs, { what: 'the PostgreSQL programs', includeSelf: true });
    expect(check).toThrow(UnreachableDataDirError);
    expect(check).toThrow(
      new RegExp(
        `cannot reach the PostgreSQL programs because these folders are closed to others: ${root}.*chmod o\\+x ${root}`,
        's',
      ),
    );
    chmodSync(root, 0o755);
    expect(check).not.toThrow();
    // The programs' folder itself counts too.
    chmodSync(programs, 0o700);
    expect(check).toThrow(programs);
    expect(() => assertReachableByOthers(programs)).not.toThrow(); // a data folder is made by the server itself
  });

  it('when the platform package is installed, then its programs are found where the server is started from', () => {
    const bin = embeddedBinaries();
    expect(bin && existsSync(path.join(bin, 'initdb'))).toBe(true);
  });
});
