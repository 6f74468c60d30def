#!/usr/bin/env node
'use strict';
// The `tokenledger` command: `tokenledger collect …` runs collector mode (see README, "Collector mode").
require('../dist/cjs/collector/cli.js')
  .main(process.argv.slice(2))
  .catch((error) => {
    console.error(`tokenledger: ${error.message}`);
    process.exitCode = 1;
  });
