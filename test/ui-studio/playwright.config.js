/**
 * The Studio stack's UI tests (README, "Studio stack"): JupyterLab 4.5 with
 * SageMaker's scheduler plugin, run by `make test-ui-studio` on Debian's
 * Chromium (no browser is ever downloaded). The web server is the demo's on
 * that stack (`demo/run.py --studio --galata`: local AWS in .venv's Python,
 * JupyterLab from the Studio venv) on UI_STUDIO_PORT (default 8890), so it
 * never meets the 4.6 suite's servers (UI_PORT and the next one, default
 * 8888 and 8889). Only what differs on this stack is tested here; the rest is
 * the 4.6 suite's (test/ui), whose fixtures and helpers these reuse.
 */
const path = require('path');
const { uiConfig } = require('../playwright.base');

const root = path.resolve(__dirname, '..', '..');
const PORT = Number(process.env.UI_STUDIO_PORT || 8890);

module.exports = uiConfig({
  port: PORT,
  // Wide enough that no notebook toolbar item is folded into its "more" menu.
  use: { viewport: { width: 1600, height: 1000 } },
  webServer: {
    command: `${path.join(root, '.venv', 'bin', 'python')} ${path.join(root, 'demo', 'run.py')} --studio --galata --port ${PORT}`,
    url: `http://127.0.0.1:${PORT}/lab`,
    timeout: 180000,
    reuseExistingServer: !process.env.CI,
    // Stopped as Ctrl-C would: the server puts back what it wrote under
    // /opt/ml (SageMaker's plugin reads Studio's metadata there).
    gracefulShutdown: { signal: 'SIGTERM', timeout: 30000 },
    // The server's output is in .demo/galata-studio/server.log.
    stdout: 'ignore',
    stderr: 'pipe'
  }
});
