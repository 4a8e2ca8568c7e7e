// Unit tests beside the code (src/**/*.spec.ts) and e2e tests (test/**/*.e2e-spec.ts), in one run.
module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  // The build's own copy of package.json (dist/package.json) is no module of the tests.
  modulePathIgnorePatterns: ['<rootDir>/dist/'],
  transform: { '^.+\\.ts$': ['@swc/jest'], '^.+\\.js$': ['@swc/jest'] },
  // otplib's default plugins load @scure/base and @noble/hashes, which ship only as ES modules; Jest on
  // Node 20 cannot require them (Node itself can), so those two are compiled to CommonJS like our sources.
  transformIgnorePatterns: ['/node_modules/(?!(@scure/base|@noble/hashes)/)'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  testTimeout: 60000,
  maxWorkers: 2,
};
