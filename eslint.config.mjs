import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// No file reaches into a library's build output: `@temporalio/<pkg>/lib/...` is not the SDK's API.
const noLibraryInternals = {
  group: ['@temporalio/*/lib/*', '@temporalio/*/lib/**'],
  message: "Import the SDK's public API, not its lib/ internals.",
};

// The CLI sits on top: it maps the product's errors to exit codes and parses arguments; nothing below imports it.
const noCliFromBelow = {
  group: ['**/cli', '**/cli/*', '**/cli/**'],
  message: 'Only src/cli imports from src/cli; shared code lives in the module it belongs to.',
};

// The SP-API simulator answers like Amazon but is not Amazon: only tests, benchmarks and the local
// stack (`solicit dev`, src/local) may reach it, never a path that runs in production.
const noSimulator = {
  group: ['**/simulator', '**/simulator/*'],
  message: 'The SP-API simulator is for tests and `solicit dev` only.',
};

const restrictImports = (files, ignores, patterns, paths = []) => ({
  files,
  ignores,
  rules: { 'no-restricted-imports': ['error', { patterns, paths }] },
});

// Code the workflow sandbox loads: the workflows and the domain core they are built on, and a feature's own
// workflow code, kept in its folder's `workflow/` (src/reconcile/workflow). It runs in Temporal's
// deterministic sandbox: no Node built-ins, no I/O, no clocks or randomness other than the ones the SDK
// replays. Catch those imports before a worker does. test/unit/architecture/workflow-sandbox.test.ts checks
// that every file the workflow loads is covered here.
const sandboxImports = (files, ownImports) =>
  restrictImports(
    files,
    [],
    [
      noLibraryInternals,
      { group: ['node:*'], message: 'Node built-ins are not available in the workflow sandbox.' },
      {
        group: ['@temporalio/activity', '@temporalio/client', '@temporalio/worker', '@temporalio/testing'],
        message: 'Only @temporalio/workflow and @temporalio/common belong in workflow code.',
      },
      ownImports,
    ],
    [
      ...['fs', 'path', 'os', 'crypto', 'http', 'https', 'net', 'child_process', 'process', 'timers', 'util'],
      ...['events', 'stream', 'url', 'zlib', 'dns', '@aws-sdk/client-sqs', 'sqs-consumer', 'zod'],
    ].map((name) => ({ name, message: 'Not deterministic or not available in the workflow sandbox.' })),
  );
// The code map (docs/development.md) says the same; test/unit/architecture/import-rules.test.ts checks it.
// A feature's own workflow code lives in its folder's `workflow/` (src/reconcile/workflow).
const workflowImports = sandboxImports(['src/workflows/**/*.ts', 'src/*/workflow/**/*.ts'], {
  regex: '^\\.\\./(?!(\\.\\./)*(domain|[\\w-]+/workflow)/)',
  allowTypeImports: true,
  message: 'Workflow code imports the domain core and workflow code, and the activities with `import type` only.',
});
const domainImports = sandboxImports(['src/domain/**/*.ts'], {
  regex: '^\\.\\./',
  message: 'The domain core imports only itself (and workflow-safe SDK packages), not even types from elsewhere.',
});
const workflowSandbox = {
  files: ['src/workflows/**/*.ts', 'src/domain/**/*.ts', 'src/*/workflow/**/*.ts'],
  rules: {
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

// ESLint keeps the last matching block's options of a rule, so each block lists every restriction it needs.
const importBoundaries = [
  restrictImports(['**/*.ts'], [], [noLibraryInternals]),
  restrictImports(
    ['src/**/*.ts'],
    ['src/cli/**', 'src/simulator/**', 'src/local/**'],
    [noLibraryInternals, noCliFromBelow, noSimulator],
  ),
  restrictImports(['src/cli/**/*.ts'], ['src/cli/dev/**'], [noLibraryInternals, noSimulator]),
  restrictImports(['src/simulator/**/*.ts', 'src/local/**/*.ts'], [], [noLibraryInternals, noCliFromBelow]),
];

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
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly', process: 'readonly' },
    },
  },
  ...importBoundaries,
  workflowImports,
  domainImports,
  workflowSandbox,
);
