/** Jest runs TypeScript through ts-jest in transpile-only mode; `npm test` type-checks the whole tree first. */
const transform = { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] };
const moduleNameMapper = {
  '^@app/paystory$': '<rootDir>/libs/paystory/src/index.ts',
  '^@app/paystory/(.*)$': '<rootDir>/libs/paystory/src/$1',
  '^@app/sandbox$': '<rootDir>/apps/sandbox/src/index.ts',
  '^@app/sandbox/(.*)$': '<rootDir>/apps/sandbox/src/$1',
};
const common = { transform, moduleNameMapper, testEnvironment: 'node', moduleFileExtensions: ['ts', 'js', 'json'] };

module.exports = {
  projects: [
    { ...common, displayName: 'unit', testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/apps/**/*.spec.ts'] },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'], testTimeout: 60000 },
  ],
};
