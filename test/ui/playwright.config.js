/**
 * Galata on Debian's Chromium: no browser is ever downloaded.
 * The web server is the demo's stack (local AWS + JupyterLab + scheduler).
 */
const path = require('path');
const baseConfig = require('@jupyterlab/galata/lib/playwright-config');

const root = path.resolve(__dirname, '..', '..');
// The server's port: 8888 unless UI_PORT says otherwise (to run the suite
// beside another server on 8888).
const port = process.env.UI_PORT || '8888';

module.exports = {
  ...baseConfig,
  testDir: './tests',
  outputDir: './test-results',
  timeout: 120000,
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  reporter: [['list']],
  use: {
    ...baseConfig.use,
    browserName: 'chromium',
    baseURL: `http://127.0.0.1:${port}`,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update'
      ]
    },
    trace: 'off',
    video: 'off'
  },
  webServer: {
    command: `${path.join(root, '.venv', 'bin', 'python')} ${path.join(root, 'demo', 'run.py')} --galata --port ${port}`,
    url: `http://127.0.0.1:${port}/lab`,
    timeout: 180000,
    reuseExistingServer: !process.env.CI,
    stdout: 'pipe',
    stderr: 'pipe'
  }
};
