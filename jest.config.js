// Unit tests of the pure modules (src/core, src/admin): no browser, no JupyterLab.
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/unit'],
  testRegex: '\\.spec\\.ts$',
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }]
  }
};
