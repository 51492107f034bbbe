/**
 * The UI tests on JupyterLab 4.6 with jupyter-scheduler (`make test-ui`):
 * their servers and port are the `ui` row of test/playwright.base.js.
 */
module.exports = require('../playwright.base').playwrightConfig('ui');
