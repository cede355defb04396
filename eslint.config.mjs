import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Workflow code runs in Temporal's deterministic sandbox: no Node built-ins, no I/O, no clocks or
// randomness other than the ones the SDK replays. Catch those imports before a worker does.
const workflowSandbox = {
  files: ['src/workflows/**/*.ts', 'src/domain/**/*.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          { group: ['node:*'], message: 'Node built-ins are not available in the workflow sandbox.' },
          {
            group: ['@temporalio/activity', '@temporalio/client', '@temporalio/worker', '@temporalio/testing'],
            message: 'Only @temporalio/workflow and @temporalio/common belong in workflow code.',
          },
          {
            group: ['../activities', '../activities/*', '../spapi/*', '../ingest/*', '../cli/*', '../config/*'],
            allowTypeImports: true,
            message: 'Workflows import activities with `import type` only.',
          },
        ],
        paths: [
          ...['fs', 'path', 'os', 'crypto', 'http', 'https', 'net', 'child_process', 'process', 'timers', 'util'],
          ...['events', 'stream', 'url', 'zlib', 'dns', '@aws-sdk/client-sqs', 'sqs-consumer', 'zod'],
        ].map((name) => ({ name, message: 'Not deterministic or not available in the workflow sandbox.' })),
      },
    ],
    'no-restricted-globals': [
      'error',
      { name: 'setTimeout', message: 'Use sleep() or condition() from @temporalio/workflow.' },
      { name: 'setInterval', message: 'Use sleep() or condition() from @temporalio/workflow.' },
      { name: 'process', message: 'The workflow sandbox has no process.' },
      { name: 'fetch', message: 'I/O belongs in activities.' },
      { name: 'require', message: 'Import at the top of the file.' },
    ],
  },
};

// The SP-API simulator answers like Amazon but is not Amazon: only tests, benchmarks and the local
// stack (`solicit dev`, src/local) may reach it, never a path that runs in production.
const simulatorOutOfProduction = {
  files: ['src/**/*.ts'],
  ignores: ['src/simulator/**', 'src/local/**', 'src/cli/commands/dev.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: ['**/simulator', '**/simulator/*'],
            message: 'The SP-API simulator is for tests and `solicit dev` only.',
          },
        ],
      },
    ],
  },
};

export default tseslint.config(
  { ignores: ['node_modules', 'dist', '.tools', '.data', 'coverage', 'test-results', 'test/histories'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  { files: ['**/*.mjs', '**/*.js'], ...tseslint.configs.disableTypeChecked },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: { module: 'writable', require: 'readonly' } },
  },
  simulatorOutOfProduction,
  workflowSandbox,
);
