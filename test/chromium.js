/**
 * How every browser here is started, by the UI tests and the benchmarks:
 * Debian's Chromium (CHROMIUM_PATH overrides), never a downloaded browser.
 */
'use strict';

const LAUNCH = {
  executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium',
  args: [
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update'
  ]
};

module.exports = { LAUNCH };
