// The adapter check and fp32 peak that bench/gpu.sh needs: exits 2 with the reason when Dawn
// finds no adapter or only a software one (lavapipe, SwiftShader, llvmpipe), else prints
// "DESCRIPTION<TAB>PEAK_GFLOPS". The peak is NETSPEC_GPU_PEAK_GFLOPS when set, else a
// datasheet figure for a few known GPUs (fp32, no tensor cores), else the script asks for it.

import { createWebGpuBackend } from '../engine/src/webgpu/backend';

/** Datasheet fp32 (non-tensor) peaks, GFLOP/s, by a pattern of the adapter's description. */
const KNOWN: [RegExp, number][] = [
  [/H200/i, 66_900],
  [/H100.*PCIe/i, 51_200],
  [/H100/i, 66_900],
  [/A100/i, 19_500],
  [/L40S/i, 91_600],
  [/A10\b/i, 31_200],
  [/RTX 4090/i, 82_600],
];

async function main(): Promise<void> {
  const r = await createWebGpuBackend();
  if (!r.ok) {
    console.error(`bench/gpu.sh: no WebGPU adapter: ${r.reason}`);
    process.exit(2);
  }
  const gpu = r.backend;
  const description = gpu.description;
  gpu.dispose();
  if (gpu.kernels.matmul === 'blocked' || /llvmpipe|lavapipe|swiftshader|software|warp/i.test(description)) {
    console.error(`bench/gpu.sh: the adapter is a software one (${description}); this script measures a hardware GPU only`);
    process.exit(2);
  }
  const given = Number(process.env.NETSPEC_GPU_PEAK_GFLOPS);
  const peak = given > 0 ? given : KNOWN.find(([re]) => re.test(description))?.[1];
  if (!peak) {
    console.error(`bench/gpu.sh: unknown fp32 peak for ${description}; set NETSPEC_GPU_PEAK_GFLOPS`);
    process.exit(2);
  }
  console.log(`${description}\t${peak}`);
}

main().then(
  () => process.exit(0),
  (e) => {
    console.error(`bench/gpu.sh: ${e instanceof Error ? e.message : String(e)}`);
    process.exit(2);
  },
);
