/**
 * How the benchmarks start Chromium (as the UI tests do: test/chromium.js),
 * and the window size every page gets.
 */
'use strict';

const { LAUNCH } = require('../test/chromium');

const VIEWPORT = { width: 1366, height: 900 };

module.exports = { LAUNCH, VIEWPORT };
