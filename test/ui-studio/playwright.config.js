/**
 * The Studio stack's UI tests (`make test-ui-studio`; README, "Studio
 * stack"): their server and port are the `ui-studio` row of
 * test/playwright.base.js. Only what differs on this stack is tested here;
 * the rest is the 4.6 suite's (test/ui), whose fixtures and helpers these
 * reuse.
 */
module.exports = require('../playwright.base').playwrightConfig('ui-studio');
