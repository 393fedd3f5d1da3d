#!/usr/bin/env node
// The `winfix` command: loads the TypeScript sources through tsx, then hands over to cli/main.ts.
require('tsx/cjs');
require('../cli/main.ts')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
