/**
 * The README's screenshots (docs/panel.png, docs/checks.png, docs/runs.png),
 * taken in a clean demo: `cd test/screenshots && npx playwright test`. The
 * `screenshots` row of test/playwright.base.js.
 */
module.exports = require('../playwright.base').playwrightConfig('screenshots');
