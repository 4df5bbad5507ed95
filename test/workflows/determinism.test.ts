/** Workflow code stays deterministic: the bundler and the lint rule both refuse I/O imports. */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleWorkflowCode } from '@temporalio/worker';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import { bundleWorkflows } from '../../worker/worker.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const silent = { trace() {}, debug() {}, info() {}, warn() {}, error() {}, log() {} };

describe('workflow bundle', () => {
  it('when the workflows are bundled, then no database, HTTP or file-system module is inside', async () => {
    const { code } = await bundleWorkflows();
    expect(code).toContain('mediationCase');
    for (const forbidden of [
      'node_modules/knex/',
      'node_modules/pg/',
      'node_modules/express/',
      'node_modules/pdfkit/',
    ]) {
      expect(code).not.toContain(forbidden);
    }
  });

  it.each([
    ['imports-fs.ts', /fs/],
    ['imports-pg.ts', /net|dns|tls|crypto|stream/],
  ])('when a workflow imports I/O (%s), then bundling fails naming the module', async (file, named) => {
    const errors: string[] = [];
    const workflowsPath = path.join(root, 'test/fixtures/forbidden-workflows', file);
    const outcome = await bundleWorkflowCode({
      workflowsPath,
      logger: { ...silent, error: (m: string) => void errors.push(m) },
    }).then(
      () => 'bundled',
      (err: Error) => [err.message, ...errors].join('\n'),
    );
    expect(outcome).toMatch(/disallowed modules|UnhandledSchemeError/);
    expect(outcome).toMatch(named);
  });
});

describe('lint rule', () => {
  // The snippets are not files a tsconfig knows, so the type-aware rules (and their project service) stay off.
  const eslint = new ESLint({
    cwd: root,
    overrideConfig: {
      languageOptions: { parserOptions: { projectService: false } },
      rules: { '@typescript-eslint/no-floating-promises': 'off' },
    },
  });
  const lint = async (code: string, filePath: string) => {
    const [result] = await eslint.lintText(code, { filePath: path.join(root, filePath) });
    return result!.messages.map((m) => m.ruleId);
  };

  it.each([
    ["import { readFileSync } from 'node:fs';", 'workflows/x.ts'],
    ["import crypto from 'crypto';", 'domain/x.ts'],
    ["import knex from 'knex';", 'workflows/x.ts'],
    ["import pg from 'pg';", 'workflows/x.ts'],
    ["import express from 'express';", 'workflows/x.ts'],
    ["import { createDb } from '../db/knex.js';", 'workflows/x.ts'],
  ])('when workflow code says %s, then lint fails', async (line, file) => {
    expect(await lint(`${line}\nexport const x = 1;\n`, file)).toContain('@typescript-eslint/no-restricted-imports');
  });

  it('when workflow code imports activity types only, then lint passes', async () => {
    expect(
      await lint(
        "import type { Activities } from '../activities/index.js';\nexport type A = Activities;\n",
        'workflows/x.ts',
      ),
    ).toEqual([]);
  });

  it.each([
    ["export const f = (db: any) => db('cases').where({ case_id: 'x' });", 'api/routes/x.ts'],
    ["export const f = (trx: any) => trx('case_events').insert({});", 'activities/x.ts'],
    ["export const f = (db: any) => db.from('cases');", 'infra/x.ts'],
  ])('when code outside db/ says %s, then lint names the table access', async (line, file) => {
    expect(await lint(`${line}\n`, file)).toContain('no-restricted-syntax');
    expect(await lint(`${line}\n`, 'db/x.ts')).not.toContain('no-restricted-syntax');
  });

  it('when a function in api/ runs over 80 lines, then lint names it', async () => {
    const body = Array.from({ length: 80 }, (_, i) => `  const v${i} = ${i};`).join('\n');
    const long = `export function f(): number {\n${body}\n  return v0;\n}\n`;
    expect(await lint(long, 'api/x.ts')).toContain('max-lines-per-function');
    expect(await lint(long, 'test/x.ts')).not.toContain('max-lines-per-function');
  });

  it('when activity code uses the database, then lint passes', async () => {
    expect(await lint("import knex from 'knex';\nexport const k = knex;\n", 'activities/x.ts')).toEqual([]);
  });
});
