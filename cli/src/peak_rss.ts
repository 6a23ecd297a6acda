// A measuring hook for the memory tests: when NETSPEC_PEAK_RSS_FILE names a file, the
// process writes its peak resident set size (KiB, from the operating system's own account,
// process.resourceUsage().maxRSS) there as it exits, whatever exit path it takes. The tests
// read it to check that `netspec train` stays within its data budget; without the variable
// nothing happens.

import { writeFileSync } from 'node:fs';

/** Arms the hook when the variable is set; returns whether it did. */
export function reportPeakRssOnExit(env: NodeJS.ProcessEnv = process.env): boolean {
  const file = env.NETSPEC_PEAK_RSS_FILE;
  if (!file) return false;
  process.on('exit', () => {
    try {
      writeFileSync(file, `${process.resourceUsage().maxRSS}\n`);
    } catch {
      // A measuring aid must never change how the command ends.
    }
  });
  return true;
}
