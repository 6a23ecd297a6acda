// Training samples/s of train_bench.ts's two workloads on our own backends alone (cpu, wasm
// on 1 and 2 threads), each measured RUNS times (default 3, alternating so load spikes spread
// over the rows), then the median and every value, with the load average before each run.
// For before/after comparisons of the engine's own overheads. Not run by `npm run bench`
// (its name has no _bench): `node --import tsx bench/train_rows.ts [RUNS] [cpu|wasm1|wasm2...]`.

import { loadavg } from 'node:os';
import type { Backend } from '../engine/src/backend';
import { CpuBackend } from '../engine/src/cpu/backend';
import { WasmBackend } from '../engine/src/wasm/backend';
import { createWasmBackendThreaded } from '../engine/src/wasm/threads_node';
import { irOf, ours, syntheticData, WORKLOADS } from './train_bench';

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 3);
  const only = process.argv.slice(3);
  const backends: [string, () => Backend][] = [
    ['wasm 1 thread', () => new WasmBackend()],
    ['wasm 2 threads', () => {
      const t = createWasmBackendThreaded(2);
      if (!t.ok) throw new Error(t.reason);
      return t.backend;
    }],
    ['cpu', () => new CpuBackend()],
  ];
  const keys: Record<string, string> = { 'wasm 1 thread': 'wasm1', 'wasm 2 threads': 'wasm2', cpu: 'cpu' };
  const chosen = backends.filter(([n]) => only.length === 0 || only.includes(keys[n])).map(([n, make]) => [n, make()] as const);
  const results = new Map<string, number[]>();
  const add = (k: string, v: number) => results.set(k, [...(results.get(k) ?? []), v]);
  for (let r = 0; r < runs; r++) {
    const load = loadavg()[0].toFixed(2);
    for (const [name, backend] of chosen) {
      for (const w of WORKLOADS) {
        const ir = irOf(w);
        add(`${w.name}, ${name}`, await ours(backend, ir, syntheticData(w.sampleShape, ir)));
      }
    }
    console.log(`run ${r + 1}/${runs}: load average before ${load}, after ${loadavg()[0].toFixed(2)}`);
  }
  const width = Math.max(...[...results.keys()].map((k) => k.length));
  for (const [k, v] of results) {
    const sorted = [...v].sort((x, y) => x - y);
    console.log(`${k.padEnd(width)}  median ${sorted[sorted.length >> 1].toFixed(0)}  all ${v.map((x) => x.toFixed(0)).join(' ')}`);
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
