/**
 * Two projects: `unit` runs pure code with no server; `integration` runs against the real servers that
 * test/setup/integration.global-setup.ts starts from .tools/bin (`npm run tools`).
 *
 * With TEST_TEMPORAL_SERVER=production (`npm run test:production-temporal`), only the integration tests
 * listed below run, against Temporal's own server with PostgreSQL: those that
 * depend on what differs from the dev server (SQL visibility, partitions, fairness, schedules, versioning).
 * @type {import('jest').Config}
 */
const transform = { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] };

const productionTemporal = process.env.TEST_TEMPORAL_SERVER === 'production';

/**
 * The integration tests that depend on what differs between the dev server and a self-hosted cluster:
 * visibility queries (`--query`, list, stats, retry), schedules and task-queue configuration (setup,
 * reconciliation), partitions and fairness (pacing), Worker Deployments and replay from the namespace.
 */
const PRODUCTION_TEMPORAL_TESTS = [
  'operator-cli/*',
  'setup-cli',
  'reconcile',
  'spapi-pacing',
  'replay-check',
  'worker-versioning',
];

const unit = {
  displayName: 'unit',
  testEnvironment: 'node',
  transform,
  testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
};

const integration = {
  displayName: 'integration',
  testEnvironment: 'node',
  transform,
  testMatch: productionTemporal
    ? PRODUCTION_TEMPORAL_TESTS.map((name) => `<rootDir>/test/integration/${name}.test.ts`)
    : ['<rootDir>/test/integration/**/*.test.ts'],
  globalSetup: '<rootDir>/test/setup/integration.global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/integration.global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/test/setup/integration.after-env.ts'],
};

module.exports = { projects: productionTemporal ? [integration] : [unit, integration] };
