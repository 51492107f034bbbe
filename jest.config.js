// Unit tests of the pure modules (src/core, src/admin) and of the notebook
// edits on a real shared notebook model: no browser, no JupyterLab page.
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test/unit'],
  testRegex: '\\.spec\\.ts$',
  transform: {
    '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.test.json' }],
    // The shared notebook model ships as ES modules only.
    '^.+/node_modules/(@jupyter/ydoc|lib0|y-protocols)/.+\\.m?js$': [
      'ts-jest',
      { tsconfig: 'tsconfig.test.json' }
    ]
  },
  transformIgnorePatterns: [
    '/node_modules/(?!(@jupyter/ydoc|lib0|y-protocols)/)'
  ]
};
