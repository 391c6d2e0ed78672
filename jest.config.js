/**
 * NestJS 12 ships as ES modules only, so Jest runs in its native ESM mode
 * (`--experimental-vm-modules`, set by the npm scripts) with ts-jest emitting ESM.
 * Source files therefore use neither `__dirname` nor `import.meta`: they run as CommonJS in production.
 * `npm test` type-checks the whole tree before Jest runs.
 */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.jest.json', useESM: true }] };
const moduleNameMapper = {
  '^@app/paystory$': '<rootDir>/libs/paystory/src/index.ts',
  '^@app/paystory/(.*)$': '<rootDir>/libs/paystory/src/$1',
  '^@app/html$': '<rootDir>/libs/html/src/index.ts',
  '^@app/payments-client$': '<rootDir>/libs/payments-client/src/index.ts',
  '^@app/sandbox$': '<rootDir>/apps/sandbox/src/index.ts',
  '^@app/sandbox/(.*)$': '<rootDir>/apps/sandbox/src/$1',
};
const common = {
  transform,
  moduleNameMapper,
  extensionsToTreatAsEsm: ['.ts'],
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
};

module.exports = {
  // A global option in Jest: end-to-end tests boot the service and the sandbox over real sockets.
  testTimeout: 60000,
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
