// The entry point bundled to dist/cli.js (the `netspec` bin). It only wires the process
// to runCli; everything else is in cli.ts and the subcommand modules.

import { runCli } from './cli';
import { processIO } from './io';
import { reportPeakRssOnExit } from './peak_rss';

reportPeakRssOnExit();

runCli(process.argv.slice(2), processIO()).then((status) => {
  // Let stdout drain before exiting so piped JSON is never cut short.
  process.exitCode = status;
});
