/**
 * Galata on Debian's Chromium: no browser is ever downloaded.
 * The web server is the demo's stack (local AWS + JupyterLab + scheduler) on
 * UI_PORT (default 8888), and beside it the same stack with jupyter-scheduler
 * switched off (`demo/run.py --no-scheduler`) on the next port, for what the
 * panel says where no scheduler answers (tests/helpers.ts: NO_SCHEDULER_URL).
 */
const path = require('path');
const { uiConfig } = require('../playwright.base');

const root = path.resolve(__dirname, '..', '..');
const PORT = Number(process.env.UI_PORT || 8888);
const python = path.join(root, '.venv', 'bin', 'python');
const demo = path.join(root, 'demo', 'run.py');

module.exports = uiConfig({
  port: PORT,
  webServer: [
    {
      command: `${python} ${demo} --galata --port ${PORT}`,
      url: `http://127.0.0.1:${PORT}/lab`,
      timeout: 180000,
      reuseExistingServer: !process.env.CI,
      stdout: 'pipe',
      stderr: 'pipe'
    },
    {
      command: `${python} ${demo} --galata --no-scheduler --port ${PORT + 1}`,
      url: `http://127.0.0.1:${PORT + 1}/lab`,
      timeout: 180000,
      reuseExistingServer: !process.env.CI,
      // Its output is in .demo/galata-no-scheduler/server.log.
      stdout: 'ignore',
      stderr: 'pipe'
    }
  ]
});
