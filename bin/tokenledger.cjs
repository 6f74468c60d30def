#!/usr/bin/env node
'use strict';
// The `tokenledger` command: `tokenledger collect …` runs collector mode; `report`, `whatif` and `gate` read recorded
// runs (see docs/collector.md and docs/cost-lab.md). `tokenledger --help` lists the commands. The exit code is the
// command's (2 for a usage error); an error no command expected is 1.
require('../dist/cjs/cli/main.js')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  })
  .catch((error) => {
    console.error(`tokenledger: ${error.message}`);
    process.exitCode = 1;
  });
