// Runs every benchmark in bench/ (files named *_bench.ts), each in its own Node process so
// one benchmark's memory and JIT state do not colour the next. `npm run bench` builds first.

import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';

const filter = process.argv[2];
const benches = readdirSync('bench')
  .filter((f) => f.endsWith('_bench.ts') && (!filter || f.includes(filter)))
  .sort();
let failed = 0;
for (const f of benches) {
  console.log(`\n=== ${f} ===`);
  const r = spawnSync(process.execPath, ['--import', 'tsx', join('bench', f)], { stdio: 'inherit' });
  if (r.status !== 0) {
    failed++;
    console.error(`${f} exited with status ${r.status}`);
  }
}
process.exitCode = failed > 0 ? 1 : 0;
