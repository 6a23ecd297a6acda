// The setup both engine benchmarks share: our WebGPU backend on Dawn, and TensorFlow.js with
// its cpu, wasm and webgpu backends, the last on the same Dawn adapter so the comparison is
// kernel against kernel on one device.
import { createWebGpuBackend, type WebGpuBackend } from '../engine/src/webgpu/backend';

export interface Peers {
  gpu: WebGpuBackend | null;
  tf: typeof import('@tensorflow/tfjs');
  /** The adapter line to print. */
  adapter: string;
}

export async function setUpPeers(): Promise<Peers> {
  const gpuResult = await createWebGpuBackend();
  const gpu: WebGpuBackend | null = gpuResult.ok ? gpuResult.backend : null;
  const adapter = `adapter: ${gpu ? `${gpu.description} (matmul kernel: ${gpu.kernels.matmul})` : gpuResult.ok ? '' : gpuResult.reason}`;
  // tfjs-backend-webgpu looks for navigator.gpu and the WebGPU globals; give it Dawn's.
  if (gpu) {
    const { create, globals } = (await import('webgpu')) as unknown as { create: (f: string[]) => GPU; globals: object };
    Object.assign(globalThis, globals);
    const g = globalThis as { navigator?: { gpu?: GPU } };
    if (!g.navigator) Object.defineProperty(globalThis, 'navigator', { value: { gpu: create([]) }, configurable: true });
    else if (!g.navigator.gpu) Object.defineProperty(g.navigator, 'gpu', { value: create([]), configurable: true });
  }
  const tf = await import('@tensorflow/tfjs');
  await import('@tensorflow/tfjs-backend-wasm');
  if (gpu) await import('@tensorflow/tfjs-backend-webgpu');
  tf.env().set('IS_TEST', false);
  return { gpu, tf, adapter };
}
