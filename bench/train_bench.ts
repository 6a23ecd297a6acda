// Training throughput: samples per second of full training steps (forward, cross-entropy on
// logits, gradients, Adam, reading the loss back) for a small MLP (784-128-64-10) and the
// MNIST-style CNN (28x28x1 -> Conv2D(16,3,relu) -> MaxPool2D(2) -> Conv2D(32,3,relu) ->
// MaxPool2D(2) -> Flatten -> Dense(10)), batch 64, on our cpu and webgpu backends, next to
// TensorFlow.js measured in the same run on identical synthetic data: its cpu and wasm
// backends, and its webgpu backend on the same Dawn adapter as ours. Our models come from
// Netspec source through the checker, and each step is the training loop's own
// (BatchRunner.trainStep, with the batch gathered and uploaded as the loop does); tfjs runs
// the same layers with trainOnBatch, its batch uploaded each step too. Warm-up steps are
// excluded; each figure is the median of several timings of a few steps. Our wasm backend
// (WebAssembly SIMD) is compared with tfjs wasm and with ours on the cpu, and with PyTorch's
// CPU build on 1 and 2 threads (bench/torch_train.py, the same models and batch) when a
// local torch exists: NETSPEC_TORCH_PYTHON, else .cache/torch-venv/bin/python (see
// bench/README.md). Run alone with `node --import tsx bench/train_bench.ts` or through
// `bench/run.ts`.

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import type * as TF from '@tensorflow/tfjs';
import type { ModelIR } from '../engine/catalog/ir';
import type { TrainIR } from '../engine/catalog/train_ir';
import type { Backend } from '../engine/src/backend';
import { CpuBackend } from '../engine/src/cpu/backend';
import { Model } from '../engine/src/model';
import { Optimizer } from '../engine/src/optimizers';
import { setBackend } from '../engine/src/tensor';
import { objectiveOf } from '../engine/src/train/objective';
import { BatchRunner } from '../engine/src/train/pass';
import { loopSettings, train } from '../engine/src/train/run';
import type { Dataset } from '../engine/src/data/dataset';
import { WasmBackend } from '../engine/src/wasm/backend';
import { createWasmBackendThreaded } from '../engine/src/wasm/threads_node';
import { setUpPeers } from './peers';
import { checkText } from '../server/src/sema/check';
import { cpuPeakLine } from './cpu_peak';

const BATCH = 64;
const CLASSES = 10;
/** Distinct batches of synthetic data the steps cycle through. */
const BATCHES = 4;
/** Untimed steps first (the second and later also set the pace of the timings). */
const WARMUP_STEPS = 3;
/** About how long one timing lasts, and the bounds on how many timings make a median. */
const TIMING_MS = 250;
const MIN_TIMINGS = 5;
const MIN_SLOW_TIMINGS = 3;
const MAX_TIMINGS = 15;
const BUDGET_MS = 4000;
const LR = 0.001;

interface Workload {
  name: string;
  source: string;
  sampleShape: number[];
  tfLayers: (tf: typeof TF) => TF.layers.Layer[];
}

export const WORKLOADS: Workload[] = [
  {
    name: 'MLP 784-128-64-10',
    sampleShape: [784],
    source: `model Mlp {
  input x: [784]
  Dense(128, activation=relu)
  Dense(64, activation=relu)
  Dense(10)
}`,
    tfLayers: (tf) => [
      tf.layers.dense({ units: 128, activation: 'relu', inputShape: [784] }),
      tf.layers.dense({ units: 64, activation: 'relu' }),
      tf.layers.dense({ units: CLASSES }),
    ],
  },
  {
    name: 'CNN 28x28x1 c16-p-c32-p-d10',
    sampleShape: [28, 28, 1],
    source: `model Cnn {
  input x: [28, 28, 1]
  Conv2D(16, 3, activation=relu)
  MaxPool2D(2)
  Conv2D(32, 3, activation=relu)
  MaxPool2D(2)
  Flatten()
  Dense(10)
}`,
    tfLayers: (tf) => [
      tf.layers.conv2d({ filters: 16, kernelSize: 3, activation: 'relu', inputShape: [28, 28, 1] }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 32, kernelSize: 3, activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: CLASSES }),
    ],
  },
];

const SETTINGS: TrainIR = {
  model: 'bench',
  data: null,
  validation: null,
  loss: 'cross_entropy',
  lossWeights: null,
  optimizer: { name: 'adam', args: { lr: LR } },
  regularizer: null,
  epochs: 1,
  batchSize: BATCH,
  metrics: [],
  seed: 1,
  earlyStopping: null,
};

export function irOf(w: Workload): ModelIR {
  const checked = checkText(w.source);
  const ir = checked.models[0]?.ir;
  if (!ir) throw new Error(`${w.name}: ${checked.diagnostics.map((d) => d.message).join('; ')}`);
  return ir;
}

/** Inputs uniform in [0, 1) like scaled pixels, class indices uniform; the same for every backend. */
export function syntheticData(sampleShape: number[], ir: ModelIR, count = BATCH * BATCHES): Dataset {
  const size = sampleShape.reduce((p, d) => p * d, 1);
  let s = 12345;
  const next = () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 4294967296;
  };
  const x = Float32Array.from({ length: count * size }, next);
  const y = Int32Array.from({ length: count }, () => Math.floor(next() * CLASSES));
  return { count, inputs: { [ir.inputs[0].name]: { data: x, sampleShape } }, targets: { [ir.outputs[0].name]: { data: y, sampleShape: [] } } };
}

function rowsOf(step: number): Int32Array {
  const k = step % BATCHES;
  return Int32Array.from({ length: BATCH }, (_v, i) => k * BATCH + i);
}

/**
 * Samples per second: WARMUP_STEPS untimed steps, then the median of timings of a few steps
 * each (as many as fill about TIMING_MS, from the warm-up's pace). Timings go on until
 * BUDGET_MS is spent, at least MIN_TIMINGS of them (MIN_SLOW_TIMINGS when a step takes
 * over a second, so tfjs's slowest cases stay within a minute).
 */
async function samplesPerSecond(step: (i: number) => Promise<void>): Promise<number> {
  let i = 0;
  let t0 = performance.now();
  for (; i < WARMUP_STEPS; i++) {
    if (i === 1) t0 = performance.now();
    await step(i);
  }
  const stepMs = (performance.now() - t0) / (WARMUP_STEPS - 1);
  const perTiming = Math.min(10, Math.max(1, Math.round(TIMING_MS / stepMs)));
  const minTimings = stepMs > 1000 ? MIN_SLOW_TIMINGS : MIN_TIMINGS;
  const times: number[] = [];
  const start = performance.now();
  while (times.length < minTimings || (performance.now() - start < BUDGET_MS && times.length < MAX_TIMINGS)) {
    const t = performance.now();
    for (let k = 0; k < perTiming; k++) await step(i++);
    times.push((performance.now() - t) / perTiming);
  }
  times.sort((a, b) => a - b);
  return BATCH / (times[times.length >> 1] / 1000);
}

/** Our engine: the training loop's step (gather, upload, forward, loss, backward, Adam, loss read back). */
export async function ours(backend: Backend, ir: ModelIR, data: Dataset): Promise<number> {
  setBackend(backend);
  const built = Model.build(ir, 1);
  if (!built.ok) throw new Error(built.error.message);
  const model = built.model;
  const objective = objectiveOf(ir, SETTINGS);
  if (!objective.ok) throw new Error(objective.message);
  const optimizer = new Optimizer({ name: 'adam', args: { lr: LR } });
  const runner = new BatchRunner(model, objective.outputs, null, optimizer, false);
  try {
    return await samplesPerSecond(async (i) => {
      const rows = rowsOf(i);
      const inputs = runner.inputsOf(data, rows);
      try {
        const r = await runner.trainStep(data, rows, inputs, i);
        if (!r.ok) throw new Error(r.message);
        if (!Number.isFinite(r.values.total)) throw new Error(`the loss is ${r.values.total}`);
      } finally {
        for (const t of Object.values(inputs)) t.dispose();
      }
    });
  } finally {
    optimizer.dispose();
    model.dispose();
  }
}

/** Steps per epoch of the loop rows (`oursLoop`). */
export const LOOP_STEPS = 100;

/**
 * Our training loop as `netspec train` runs it (shuffle, gather, steps, the reads, the
 * epoch's numbers): the median of the epochs' samples/s after the first, with the device
 * read every `readEvery` steps (null: the loop's default for the backend).
 */
export async function oursLoop(backend: Backend, ir: ModelIR, w: Workload, readEvery: number | null, epochs = 5, steps = LOOP_STEPS): Promise<number> {
  setBackend(backend);
  const data = syntheticData(w.sampleShape, ir, BATCH * steps);
  const saved = { ...loopSettings };
  loopSettings.readEvery = readEvery;
  try {
    const r = await train(ir, { ...SETTINGS, epochs }, data, null);
    if (!r.ok) throw new Error(r.error.message);
    const rates = r.result.epochs.slice(1).map((e) => e.samplesPerSecond).sort((a, b) => a - b);
    return rates[rates.length >> 1];
  } finally {
    Object.assign(loopSettings, saved);
  }
}

/** TensorFlow.js on backend `name`: the same layers, Adam (Keras defaults), trainOnBatch per step. */
export async function tfjs(tf: typeof TF, name: string, w: Workload, ir: ModelIR, data: Dataset): Promise<number> {
  if (!(await tf.setBackend(name))) throw new Error('not available');
  await tf.ready();
  const model = tf.sequential({ layers: w.tfLayers(tf) });
  if (model.countParams() !== ir.params) throw new Error(`tfjs's model has ${model.countParams()} parameters, ours ${ir.params}`);
  const optimizer = tf.train.adam(LR, 0.9, 0.999, 1e-7);
  model.compile({ optimizer, loss: (yTrue: TF.Tensor, yPred: TF.Tensor) => tf.losses.softmaxCrossEntropy(yTrue, yPred) });
  const x = data.inputs[ir.inputs[0].name];
  const classes = data.targets[ir.outputs[0].name].data;
  const size = x.sampleShape.reduce((p, d) => p * d, 1);
  try {
    return await samplesPerSecond(async (i) => {
      const rows = rowsOf(i);
      // Rows are contiguous, so the batch is one slice of the data (ours gathers row by row).
      const xt = tf.tensor(x.data.subarray(rows[0] * size, (rows[0] + BATCH) * size), [BATCH, ...x.sampleShape]);
      const yt = tf.tidy(() => tf.oneHot(tf.tensor1d(Array.from(rows, (r) => classes[r]), 'int32'), CLASSES).toFloat());
      try {
        const loss = await model.trainOnBatch(xt, yt);
        const value = Array.isArray(loss) ? loss[0] : loss;
        if (!Number.isFinite(value)) throw new Error(`the loss is ${value}`);
      } finally {
        tf.dispose([xt, yt]);
      }
    });
  } finally {
    model.dispose();
    optimizer.dispose();
  }
}

/** PyTorch's samples/s per thread count and workload ('mlp', 'cnn'), or why there are none. */
function torchPeer(): { rates: Map<number, Record<string, number>>; note: string } {
  const python = process.env.NETSPEC_TORCH_PYTHON ?? '.cache/torch-venv/bin/python';
  const rates = new Map<number, Record<string, number>>();
  if (!existsSync(python)) return { rates, note: `no PyTorch: ${python} not found (bench/README.md says how to install it)` };
  const r = spawnSync(python, ['bench/torch_train.py', '1', '2'], { encoding: 'utf8', timeout: 300_000 });
  for (const line of (r.stdout ?? '').split('\n')) {
    if (!line.startsWith('{')) continue;
    const o = JSON.parse(line) as { threads: number; torch: string; mlp: number; cnn: number };
    rates.set(o.threads, { mlp: o.mlp, cnn: o.cnn });
  }
  const version = /"torch": "([^"]+)"/.exec(r.stdout ?? '')?.[1];
  return { rates, note: r.status === 0 ? `PyTorch ${version} (CPU), bench/torch_train.py` : `PyTorch failed: ${(r.stderr ?? '').trim().split('\n').pop()}` };
}

async function main(): Promise<void> {
  console.log(cpuPeakLine());
  console.log(`load average at the start: ${loadavg().map((x) => x.toFixed(2)).join(' ')} (a loaded machine lowers every row, threaded ones most)`);
  const torch = torchPeer();
  console.log(torch.note);
  const { gpu, tf, adapter } = await setUpPeers();
  console.log(adapter);

  const fmt = (x: number) => (Number.isFinite(x) ? x.toFixed(0) : 'n/a');
  const ratio = (a: number, b: number) => (Number.isFinite(a / b) ? (a / b).toFixed(2) : 'n/a');
  const rows: string[][] = [];
  const notes: string[] = [];
  const cpu = new CpuBackend();
  const wasm = new WasmBackend();
  const threaded = createWasmBackendThreaded(2);
  const wasm2 = threaded.ok ? threaded.backend : null;
  if (!threaded.ok) notes.push(`wasm, 2 threads: ${threaded.reason}`);
  for (const w of WORKLOADS) {
    const ir = irOf(w);
    const data = syntheticData(w.sampleShape, ir);
    const peer: Record<string, number> = {};
    for (const name of ['cpu', 'wasm', ...(gpu ? ['webgpu'] : [])]) {
      try {
        peer[name] = await tfjs(tf, name, w, ir, data);
      } catch (e) {
        notes.push(`tfjs ${name}, ${w.name}: ${e instanceof Error ? e.message : String(e)}`);
        peer[name] = NaN;
      }
    }
    const ourCpu = await ours(cpu, ir, data);
    rows.push([w.name, 'cpu', fmt(ourCpu), 'tfjs cpu', fmt(peer.cpu), ratio(ourCpu, peer.cpu), 'tfjs wasm', fmt(peer.wasm), ratio(ourCpu, peer.wasm)]);
    const ourWasm = await ours(wasm, ir, data);
    rows.push([w.name, 'wasm', fmt(ourWasm), 'tfjs wasm', fmt(peer.wasm), ratio(ourWasm, peer.wasm), 'ours cpu', fmt(ourCpu), ratio(ourWasm, ourCpu)]);
    const key = w.name.startsWith('MLP') ? 'mlp' : 'cnn';
    const t1 = torch.rates.get(1)?.[key] ?? Number.NaN;
    const t2 = torch.rates.get(2)?.[key] ?? Number.NaN;
    rows.push([w.name, 'wasm', fmt(ourWasm), 'torch 1 thread', fmt(t1), ratio(ourWasm, t1), '', '', '']);
    if (wasm2) {
      const ourWasm2 = await ours(wasm2, ir, data);
      rows.push([w.name, 'wasm 2 threads', fmt(ourWasm2), 'torch 2 threads', fmt(t2), ratio(ourWasm2, t2), 'ours wasm', fmt(ourWasm), ratio(ourWasm2, ourWasm)]);
    }
    if (gpu) {
      const ourGpu = await ours(gpu, ir, data);
      rows.push([w.name, 'webgpu', fmt(ourGpu), 'tfjs webgpu', fmt(peer.webgpu), ratio(ourGpu, peer.webgpu), '', '', '']);
      // The whole loop (what `netspec train --backend webgpu` reports): reading every step, then every 50.
      const loop1 = await oursLoop(gpu, ir, w, 1);
      const loopN = await oursLoop(gpu, ir, w, null);
      rows.push([w.name, 'webgpu loop, read each step', fmt(loop1), 'tfjs webgpu', fmt(peer.webgpu), ratio(loop1, peer.webgpu), '', '', '']);
      rows.push([w.name, 'webgpu loop, read every 50', fmt(loopN), 'tfjs webgpu', fmt(peer.webgpu), ratio(loopN, peer.webgpu), 'read each step', fmt(loop1), ratio(loopN, loop1)]);
    }
    console.log(`measured ${w.name}`);
  }
  const header = ['workload (batch 64, adam)', 'ours', 'samples/s', 'peer', 'samples/s', 'ratio', 'also', 'samples/s', 'ratio'];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
  const line = (c: string[]) => c.map((x, i) => x.padEnd(widths[i])).join('  ').trimEnd();
  console.log('\ntraining throughput (ratio = ours / peer on the same kind of device; above 1 is faster than the peer)');
  console.log(line(header));
  console.log(widths.map((n) => '-'.repeat(n)).join('  '));
  for (const r of rows) console.log(line(r));
  for (const n of notes) console.log(`n/a: ${n}`);
  gpu?.dispose();
}

// Run as a script (bench/run.ts, or directly); bench/wasm_rows.ts imports the pieces above.
if (/train_bench\.ts$/.test(process.argv[1] ?? '')) main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
