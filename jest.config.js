// Tests run against the TypeScript sources (no build needed), except end-to-end tests,
// which start the built api/worker/local processes from dist/.
// The AWS SDK warns on every client about Node 20's support window; the warning is known (README).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';

/** @type {import('jest').Config} */
const shared = {
  testEnvironment: 'node',
  transform: {
    '^.+\\.(t|j|mj)s$': [
      '@swc/jest',
      { jsc: { target: 'es2023', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
    ],
  },
  // jose is ESM-only: let swc turn it into CommonJS for jest's module system.
  transformIgnorePatterns: ['node_modules/(?!(\\.pnpm/)?(jose|postal-mime)[@/])'],
  moduleNameMapper: {
    '^@herald/([^/]+)/testing$': '<rootDir>/packages/$1/src/testing.ts',
    '^@herald/([^/]+)$': '<rootDir>/packages/$1/src/index.ts',
  },
};

module.exports = {
  // watchman is not installed on CI machines and jest can wait on it for minutes.
  watchman: false,
  reporters: ['default', '<rootDir>/test/support/summary-reporter.js'],
  projects: [
    {
      ...shared,
      displayName: 'unit',
      testMatch: ['<rootDir>/packages/*/src/**/*.test.ts'],
      testPathIgnorePatterns: ['\\.int\\.test\\.ts$', '/dist/'],
    },
    {
      ...shared,
      displayName: 'int',
      testMatch: ['<rootDir>/packages/*/src/**/*.int.test.ts'],
      testPathIgnorePatterns: ['/dist/'],
    },
    {
      ...shared,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e.test.ts'],
    },
  ],
};
