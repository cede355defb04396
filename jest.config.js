/**
 * Two projects: `unit` runs pure code with no server; `integration` runs against the real servers that
 * test/setup/integration.global-setup.ts starts from .tools/bin (`npm run tools`).
 * @type {import('jest').Config}
 */
const transform = { '^.+\\.ts$': ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' } }] };

module.exports = {
  projects: [
    {
      displayName: 'unit',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/unit/**/*.test.ts'],
    },
    {
      displayName: 'integration',
      testEnvironment: 'node',
      transform,
      testMatch: ['<rootDir>/test/integration/**/*.test.ts'],
      globalSetup: '<rootDir>/test/setup/integration.global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/integration.global-teardown.ts',
      setupFilesAfterEnv: ['<rootDir>/test/setup/integration.after-env.ts'],
    },
  ],
};
