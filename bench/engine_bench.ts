// Engine throughput: float32 matmul at n = 256, 512, 1024 and one typical CNN convolution
// (8x32x32x32 input, 3x3x32x64 filter, 'same'), in GFLOP/s, on our backends (cpu, webgpu)
// next to TensorFlow.js measured in the same run on the same machine: its cpu and wasm
// backends, and its webgpu backend on the same Dawn adapter as ours. Each time includes
// reading the result back, for ours and for tfjs alike. The header gives the CPU's
// theoretical fp32 peak (an estimate, cpu_peak.ts) for scale; our wasm backend (1 and 2
// threads) says what share of it, and of one core's share, it reaches. WebAssembly SIMD is
// 128 bits wide with no fused multiply-add, so one thread's ceiling is a fraction of a core
// whose peak counts AVX-512 FMAs. Run alone with
// `node --import tsx bench/engine_bench.ts` or through `bench/run.ts`.

import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { Backend, DeviceTensor, OpAttrs, OpName } from '../engine/src/backend';
import { sizeOf } from '../engine/src/backend';
import { outputShape } from '../engine/src/primitives/index';
import { CpuBackend } from '../engine/src/cpu/backend';
import { WasmBackend } from '../engine/src/wasm/backend';
import { createWasmBackendThreaded } from '../engine/src/wasm/threads_node';
import { setUpPeers } from './peers';
import { cpuPeak, cpuPeakLine } from './cpu_peak';

interface Work {
  name: string;
  flops: number;
  op: OpName;
  shapes: number[][];
  attrs: OpAttrs[OpName];
  tf: (tf: typeof import('@tensorflow/tfjs'), a: import('@tensorflow/tfjs').Tensor, b: import('@tensorflow/tfjs').Tensor) => import('@tensorflow/tfjs').Tensor;
}

const WORK: Work[] = [
  ...[256, 512, 1024].map((n): Work => ({
    name: `matmul n=${n}`,
    flops: 2 * n * n * n,
    op: 'matmul',
    shapes: [[n, n], [n, n]],
    attrs: { transA: false, transB: false, activation: 'linear' },
    tf: (tf, a, b) => tf.matMul(a as import('@tensorflow/tfjs').Tensor2D, b as import('@tensorflow/tfjs').Tensor2D),
  })),
  {
    name: 'conv2d 8x32x32x32 * 3x3x32x64 same',
    flops: 2 * 8 * 32 * 32 * 64 * 3 * 3 * 32,
    op: 'conv2d',
    shapes: [[8, 32, 32, 32], [3, 3, 32, 64]],
    attrs: { stride: [1, 1], padding: 'same' },
    tf: (tf, a, b) => tf.conv2d(a as import('@tensorflow/tfjs').Tensor4D, b as import('@tensorflow/tfjs').Tensor4D, 1, 'same'),
  },
];

/** Median ms of fn over repeated runs: one warm-up, then until `budgetMs` is spent (at least 2 runs). */
async function measure(fn: () => Promise<void>, budgetMs = 1500): Promise<number> {
  await fn();
  const times: number[] = [];
  const start = performance.now();
  while (times.length < 2 || (performance.now() - start < budgetMs && times.length < 30)) {
    const t0 = performance.now();
    await fn();
    times.push(performance.now() - t0);
  }
  times.sort((a, b) => a - b);
  return times[times.length >> 1];
}

function random(n: number): Float32Array {
  const a = new Float32Array(n);
  for (let i = 0; i < n; i++) a[i] = Math.random() * 2 - 1;
  return a;
}

async function ours(backend: Backend, w: Work): Promise<number> {
  const inputs: DeviceTensor[] = w.shapes.map((shape) => {
    const buffer = backend.alloc(sizeOf(shape) * 4, 'float32');
    backend.upload(buffer, random(sizeOf(shape)));
    return { buffer, shape, dtype: 'float32' };
  });
  const shape = outputShape(w.op, w.shapes, w.attrs);
  const out: DeviceTensor = { buffer: backend.alloc(sizeOf(shape) * 4, 'float32'), shape, dtype: 'float32' };
  const ms = await measure(async () => {
    backend.run(w.op, inputs, out, w.attrs);
    await backend.download(out.buffer);
  });
  for (const t of [...inputs, out]) backend.free(t.buffer);
  return ms;
}

async function tfjs(tf: typeof import('@tensorflow/tfjs'), w: Work): Promise<number> {
  const [a, b] = w.shapes.map((s) => tf.tensor(random(sizeOf(s)), s));
  const ms = await measure(async () => {
    const c = w.tf(tf, a, b);
    await c.data();
    c.dispose();
  });
  a.dispose();
  b.dispose();
  return ms;
}

async function main(): Promise<void> {
  const { gpu, tf, adapter } = await setUpPeers();
  console.log(cpuPeakLine());
  console.log(`load average at the start: ${loadavg().map((x) => x.toFixed(2)).join(' ')} (a loaded machine lowers every row, threaded ones most)`);
  console.log(adapter);

  const rows: string[][] = [];
  const gflops = (w: Work, ms: number) => w.flops / (ms * 1e6);
  const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : 'n/a');
  const cpu = new CpuBackend();
  const wasm = new WasmBackend();
  const peak = cpuPeak();
  const threaded = peak.cores > 1 ? createWasmBackendThreaded(2) : null;
  const wasm2 = threaded?.ok ? threaded.backend : null;
  if (threaded && !threaded.ok) console.log(`wasm, 2 threads: ${threaded.reason}`);
  const wasmRows: string[][] = [];
  const pct = (x: number, of: number) => `${((100 * x) / of).toFixed(1)}%`;
  for (const w of WORK) {
    const tfRate: Record<string, number> = {};
    for (const name of ['cpu', 'wasm', ...(gpu ? ['webgpu'] : [])]) {
      try {
        if (!(await tf.setBackend(name))) throw new Error('not available');
        await tf.ready();
        tfRate[name] = gflops(w, await tfjs(tf, w));
      } catch (e) {
        console.log(`tfjs ${name}: ${e instanceof Error ? e.message : String(e)}`);
        tfRate[name] = NaN;
      }
    }
    const ourCpu = gflops(w, await ours(cpu, w));
    rows.push([w.name, 'cpu', fmt(ourCpu), 'tfjs cpu', fmt(tfRate.cpu), fmt(ourCpu / tfRate.cpu), 'tfjs wasm', fmt(tfRate.wasm), fmt(ourCpu / tfRate.wasm)]);
    const ourWasm = gflops(w, await ours(wasm, w));
    rows.push([w.name, 'wasm', fmt(ourWasm), 'tfjs wasm', fmt(tfRate.wasm), fmt(ourWasm / tfRate.wasm), 'ours cpu', fmt(ourCpu), fmt(ourWasm / ourCpu)]);
    wasmRows.push([w.name, 'wasm, 1 thread', fmt(ourWasm), pct(ourWasm, peak.gflops), pct(ourWasm, peak.gflops / peak.cores), fmt(tfRate.wasm)]);
    if (wasm2) {
      const ourWasm2 = gflops(w, await ours(wasm2, w));
      wasmRows.push([w.name, 'wasm, 2 threads', fmt(ourWasm2), pct(ourWasm2, peak.gflops), pct(ourWasm2, (2 * peak.gflops) / peak.cores), fmt(tfRate.wasm)]);
    }
    if (gpu) {
      const ourGpu = gflops(w, await ours(gpu, w));
      rows.push([w.name, 'webgpu', fmt(ourGpu), 'tfjs webgpu', fmt(tfRate.webgpu), fmt(ourGpu / tfRate.webgpu), 'tfjs wasm', fmt(tfRate.wasm), fmt(ourGpu / tfRate.wasm)]);
    }
  }
  const header = ['workload', 'ours', 'GFLOP/s', 'peer', 'GFLOP/s', 'ratio', 'also', 'GFLOP/s', 'ratio'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i])).join('  ');
  console.log('\nengine throughput (ratio = ours / peer; above 1 is faster than the peer)');
  console.log(line(header));
  console.log(widths.map((n) => '-'.repeat(n)).join('  '));
  for (const r of rows) console.log(line(r));
  const wHeader = ['workload', 'ours', 'GFLOP/s', '% of fp32 peak', '% of its cores\' peak', 'tfjs wasm GFLOP/s'];
  const wWidths = wHeader.map((h, i) => Math.max(h.length, ...wasmRows.map((r) => r[i].length)));
  const wLine = (c: string[]) => c.map((x, i) => x.padEnd(wWidths[i])).join('  ').trimEnd();
  console.log(`\nwasm backend against the machine's estimated fp32 peak (${peak.gflops.toFixed(0)} GFLOP/s, ${(peak.gflops / peak.cores).toFixed(0)} per core)`);
  console.log(wLine(wHeader));
  console.log(wWidths.map((n) => '-'.repeat(n)).join('  '));
  for (const r of wasmRows) console.log(wLine(r));
  gpu?.dispose();
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
