// The wasm backend's key rows alone, repeated, for a machine whose load varies: training
// samples/s of train_bench.ts's two workloads and matmul GFLOP/s (n = 256, 512, 1024), on
// 1 and 2 threads, each measured RUNS times (default 5, alternating so load spikes spread
// over both), then the median and every value. Not run by `npm run bench` (its name has no
// _bench); run it with `node --import tsx bench/wasm_rows.ts [RUNS]`.

import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Backend, DeviceTensor } from '../engine/src/backend';
import { WasmBackend } from '../engine/src/wasm/backend';
import { createWasmBackendThreaded } from '../engine/src/wasm/threads_node';
import { irOf, ours, syntheticData, WORKLOADS } from './train_bench';

function matmulGflops(backend: Backend, n: number): number {
  const make = (): DeviceTensor => {
    const buffer = backend.alloc(n * n * 4, 'float32');
    backend.upload(buffer, Float32Array.from({ length: n * n }, () => Math.random() * 2 - 1));
    return { buffer, shape: [n, n], dtype: 'float32' };
  };
  const a = make();
  const b = make();
  const c = make();
  const attrs = { transA: false, transB: false, activation: 'linear' } as const;
  backend.run('matmul', [a, b], c, attrs);
  const times: number[] = [];
  const reps = Math.max(1, Math.round(2 ** 27 / (n * n * n)));
  for (let r = 0; r < 9; r++) {
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) backend.run('matmul', [a, b], c, attrs);
    backend.readSync!(c.buffer);
    times.push((performance.now() - t0) / reps);
  }
  for (const t of [a, b, c]) backend.free(t.buffer);
  times.sort((x, y) => x - y);
  return (2 * n * n * n) / (times[times.length >> 1] * 1e6);
}

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 5);
  const threaded = createWasmBackendThreaded(2);
  if (!threaded.ok) throw new Error(threaded.reason);
  const backends: [string, Backend][] = [['1 thread', new WasmBackend()], ['2 threads', threaded.backend]];
  const results = new Map<string, number[]>();
  const add = (k: string, v: number) => results.set(k, [...(results.get(k) ?? []), v]);
  for (let r = 0; r < runs; r++) {
    for (const [name, backend] of backends) {
      for (const w of WORKLOADS) {
        const ir = irOf(w);
        add(`${w.name}, wasm ${name} (samples/s)`, await ours(backend, ir, syntheticData(w.sampleShape, ir)));
      }
      for (const n of [256, 512, 1024]) add(`matmul n=${n}, wasm ${name} (GFLOP/s)`, matmulGflops(backend, n));
    }
    console.log(`run ${r + 1}/${runs} done, load average ${loadavg()[0].toFixed(2)}`);
  }
  const width = Math.max(...[...results.keys()].map((k) => k.length));
  for (const [k, v] of results) {
    const sorted = [...v].sort((x, y) => x - y);
    const fmt = (x: number) => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
    console.log(`${k.padEnd(width)}  median ${fmt(sorted[sorted.length >> 1])}  all ${v.map(fmt).join(' ')}`);
  }
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
