/**
 * The one Playwright configuration of the UI suites, and of the README's
 * screenshots: Galata's defaults, one worker, no retries, Debian's Chromium
 * (test/chromium.js; no browser is ever downloaded). What differs by stack is
 * a row of STACKS; each suite's playwright.config.js is
 * `module.exports = playwrightConfig('<row>')`.
 */
'use strict';

const path = require('path');
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');
const { LAUNCH } = require('./chromium');

const ROOT = path.resolve(__dirname, '..');
const PYTHON = path.join(ROOT, '.venv', 'bin', 'python');
const DEMO = path.join(ROOT, 'demo', 'run.py');

/**
 * Per stack: the variable that moves its port and the port without it, what
 * it adds to `use`, and its web servers: `demo/run.py` with `args` on the
 * port plus `portOffset`. A server whose output is `ignore`d keeps it in its
 * state directory (.demo/<name>/server.log). Ports 8888 to 8891 are the
 * defaults of the two suites, which may run at once.
 */
const STACKS = {
  // JupyterLab 4.6 with jupyter-scheduler (test/ui): the demo's stack, and
  // beside it the same stack with jupyter-scheduler switched off, for what
  // the panel says where no scheduler answers (tests/helpers.ts:
  // NO_SCHEDULER_URL).
  ui: {
    portVariable: 'UI_PORT',
    defaultPort: 8888,
    servers: [
      { args: ['--galata'], output: 'pipe' },
      {
        args: ['--galata', '--no-scheduler'],
        portOffset: 1,
        output: 'ignore' // .demo/galata-no-scheduler/server.log
      }
    ]
  },
  // The Studio stack (test/ui-studio; README, "Studio stack"): JupyterLab
  // 4.5 with SageMaker's scheduler plugin, from the venv `make studio-venv`
  // builds; local AWS in .venv's Python.
  'ui-studio': {
    portVariable: 'UI_STUDIO_PORT',
    defaultPort: 8890,
    // Wide enough that no notebook toolbar item is folded into its "more" menu.
    use: { viewport: { width: 1600, height: 1000 } },
    servers: [
      {
        args: ['--studio', '--galata'],
        output: 'ignore', // .demo/galata-studio/server.log
        // Ready once SageMaker's plugin answers its form's settings: its
        // first answer (the job bucket created, the AWS models read) can
        // miss the plugin's own 8 s limit; the tests start after it.
        readyPath: '/advanced_environments',
        // Stopped as Ctrl-C would: the server puts back what it wrote under
        // /opt/ml (SageMaker's plugin reads Studio's metadata there).
        gracefulShutdown: { signal: 'SIGTERM', timeout: 30000 }
      }
    ]
  },
  // The README's screenshots (test/screenshots): the demo as a newcomer
  // starts it (`demo/run.py`, a fresh state directory, a token), which the
  // spec itself starts, to read the address it prints.
  screenshots: {
    portVariable: 'SCREENSHOTS_PORT',
    defaultPort: 8892,
    servers: []
  }
};

/** The port `stack`'s first server listens on. */
function portOf(stack) {
  const { portVariable, defaultPort } = STACKS[stack];
  return Number(process.env[portVariable] || defaultPort);
}

function playwrightConfig(stack) {
  const { use = {}, servers } = STACKS[stack];
  const port = portOf(stack);
  const webServer = servers.map(server => {
    const serverPort = port + (server.portOffset ?? 0);
    return {
      command: [PYTHON, DEMO, ...server.args, '--port', serverPort].join(' '),
      url: `http://127.0.0.1:${serverPort}${server.readyPath ?? '/lab'}`,
      timeout: 180000,
      reuseExistingServer: !process.env.CI,
      stdout: server.output,
      stderr: 'pipe',
      ...(server.gracefulShutdown
        ? { gracefulShutdown: server.gracefulShutdown }
        : {})
    };
  });
  return {
    ...baseConfig,
    testDir: './tests',
    outputDir: './test-results',
    timeout: 120000,
    retries: 0,
    workers: 1,
    reporter: [['list']],
    use: {
      ...baseConfig.use,
      browserName: 'chromium',
      baseURL: `http://127.0.0.1:${port}`,
      launchOptions: LAUNCH,
      trace: 'off',
      video: 'off',
      ...use
    },
    webServer
  };
}

module.exports = { playwrightConfig, portOf, PYTHON, DEMO, ROOT };
