/**
 * What the two UI suites (test/ui on JupyterLab 4.6, test/ui-studio on the
 * Studio stack) configure alike: Galata's defaults, one worker, no retries,
 * Debian's Chromium. Each suite's config gives its port, its web servers and
 * anything it adds to `use`.
 */
'use strict';

const baseConfig = require('@jupyterlab/galata/lib/playwright-config');
const { LAUNCH } = require('./chromium');

function uiConfig({ port, use = {}, webServer }) {
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

module.exports = { uiConfig };
