#!/usr/bin/env node
'use strict';

let cli;
try {
  cli = require('../lib/cli/admin/cli.js');
} catch (error) {
  if (error && error.code === 'MODULE_NOT_FOUND') {
    process.stderr.write(
      'emr-schedule-admin is not built: run "npm run build:lib" in the package.\n'
    );
    process.exit(1);
  }
  throw error;
}
cli.run();
