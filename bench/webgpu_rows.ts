// The WebGPU rows of train_bench.ts alone, repeated: TF.js webgpu, our step with a read per
// step (the kernels' view), and our whole training loop (what `netspec train --backend
// webgpu` reports per epoch) reading the device every step ("before") and every 50 steps
// (the loop's default on WebGPU, "after"), on the same Dawn adapter. Prints each run and the
// medians. `node --import tsx bench/webgpu_rows.ts [runs]` (default 3).

import { loadavg } from 'node:os';
import { setUpPeers } from './peers';
import { irOf, oursLoop, ours, syntheticData, tfjs, WORKLOADS } from './train_bench';

async function main(): Promise<void> {
  const runs = Number(process.argv[2] ?? 3);
  console.log(`load average at the start: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  const { gpu, tf, adapter } = await setUpPeers();
  console.log(adapter);
  if (!gpu) {
    console.error('no WebGPU adapter: nothing to measure');
    process.exit(1);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  for (const w of WORKLOADS) {
    const ir = irOf(w);
    const data = syntheticData(w.sampleShape, ir);
    const got: Record<string, number[]> = { tfjs: [], step: [], loop1: [], loopN: [] };
    // The CNN's step takes about half a second on a software adapter: 3 epochs of 20 steps.
    const [epochs, steps] = w.name.startsWith('CNN') ? [3, 20] : [5, 100];
    for (let r = 0; r < runs; r++) {
      got.tfjs.push(await tfjs(tf, 'webgpu', w, ir, data));
      got.step.push(await ours(gpu, ir, data));
      got.loop1.push(await oursLoop(gpu, ir, w, 1, epochs, steps));
      got.loopN.push(await oursLoop(gpu, ir, w, null, epochs, steps));
      console.log(`${w.name} run ${r + 1}: tfjs ${got.tfjs[r].toFixed(0)}, ours step ${got.step[r].toFixed(0)}, loop read each step ${got.loop1[r].toFixed(0)}, loop read every 50 ${got.loopN[r].toFixed(0)} (load ${loadavg()[0].toFixed(2)})`);
    }
    const t = median(got.tfjs);
    const row = (name: string, xs: number[]) => `${w.name} | ${name} | ${median(xs).toFixed(0)} | ${(median(xs) / t).toFixed(2)}`;
    console.log(`${w.name} | tfjs webgpu | ${t.toFixed(0)} | 1.00`);
    console.log(row('ours step, read each step', got.step));
    console.log(row('ours loop, read each step (before)', got.loop1));
    console.log(row('ours loop, read every 50 (after)', got.loopN));
  }
  console.log(`load average at the end: ${loadavg().map((x) => x.toFixed(2)).join(' ')}`);
  gpu.dispose();
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(e);
    process.exit(1);
  },
);
