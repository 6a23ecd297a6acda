// The CSV reader on a large synthetic file (about 50 MB: eight numeric columns and a text
// label): the whole text parsed at once (the webview's case), the file streamed in 64 KiB
// chunks through the reader (what `netspec train` does before filling arrays), a streamed
// load into typed arrays, and the editor's data probe counting a column's classes. Each
// row is the median of RUNS timings (argv[2], default 3). A before/after tool, not a test.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeFiles } from '../cli/src/data/node_files';
import { csvRecordChunks, parseCsv } from '../engine/src/data/csv';
import { loadDataset } from '../engine/src/data/load';
import type { ModelIR } from '../engine/catalog/ir';
import { NodeDataProbe } from '../server/src/sema/train/data_probe';

const RUNS = Number(process.argv[2] ?? 3);
const dir = mkdtempSync(join(tmpdir(), 'netspec-csv-bench-'));
const path = join(dir, 'big.csv');
const labels = ['cat', 'dog', 'eel', 'fox'];
const lines = ['a,b,c,d,e,f,g,h,label'];
let size = 0;
for (let i = 0; size < 50e6; i++) {
  const line = `${i % 97},${(i * 0.37).toFixed(3)},${i % 13},${(i % 1000) / 7},${i % 5},${-i % 11},${(i % 31) * 1.5},"${i % 2}",${labels[i % 4]}`;
  lines.push(line);
  size += line.length + 1;
}
const text = lines.join('\n') + '\n';
writeFileSync(path, text);
lines.length = 0;

const ir = { inputs: [{ name: 'x', shape: [8], dtype: 'float32' }], nodes: [], outputs: [{ name: 'y', tensor: 'x' }] } as unknown as ModelIR;

/** Wall-clock and CPU milliseconds (CPU time is the steadier figure on a shared machine). */
async function time(fn: () => unknown | Promise<unknown>): Promise<{ wall: number; cpu: number }> {
  const t0 = performance.now();
  const c0 = process.cpuUsage();
  await fn();
  const c = process.cpuUsage(c0);
  return { wall: performance.now() - t0, cpu: (c.user + c.system) / 1000 };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const rows: [string, () => unknown | Promise<unknown>][] = [
  ['whole text (parseCsv)', () => {
    const r = parseCsv(text, path);
    if (!r.ok) throw new Error(r.error.message);
  }],
  ['streamed records, 64 KiB chunks', async () => {
    let n = 0;
    for await (const c of csvRecordChunks(nodeFiles.stream!(path), path)) {
      if (!c.ok) throw new Error(c.error.message);
      n += c.records.length;
    }
    if (n !== 1 + (text.match(/\n/g)?.length ?? 0) - 1) throw new Error(`records ${n}`);
  }],
  ['streamed load into arrays', async () => {
    const r = await loadDataset({ kind: 'csv', path, target: 'label' }, ir, { config: { loss: 'cross_entropy' }, targets: 'required', files: nodeFiles });
    if (!r.ok) throw new Error(r.error.message);
  }],
  ['editor probe, one column\'s classes', () => {
    const info = new NodeDataProbe().probe(path);
    if (!info.ok || info.column('label')?.distinct !== 4) throw new Error('probe');
  }],
];

async function main(): Promise<void> {
  console.log(`${(text.length / 1e6).toFixed(1)} MB CSV, median of ${RUNS}; load average ${loadavg()[0].toFixed(2)}`);
  for (const [name, fn] of rows) {
    await time(fn);
    const ts: { wall: number; cpu: number }[] = [];
    for (let r = 0; r < RUNS; r++) ts.push(await time(fn));
    const wall = median(ts.map((t) => t.wall));
    const cpu = median(ts.map((t) => t.cpu));
    console.log(`${name.padEnd(36)} ${wall.toFixed(0).padStart(6)} ms wall ${cpu.toFixed(0).padStart(6)} ms cpu  (wall ${ts.map((t) => t.wall.toFixed(0)).join(', ')})`);
  }
}

main().finally(() => rmSync(dir, { recursive: true, force: true }));
