/**
 * How the benchmarks start Debian's Chromium (never a downloaded browser),
 * and the window size every page gets.
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
const VIEWPORT = { width: 1366, height: 900 };

module.exports = { LAUNCH, VIEWPORT };
