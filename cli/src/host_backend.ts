// The backend of a run in the extension host's child process (train_child.ts), by the
// CLI's rule (model_pick.ts chooseBackend): Dawn's WebGPU adapter when it is hardware, the
// WebAssembly SIMD kernels on every core otherwise, since a software adapter (lavapipe,
// SwiftShader, WARP) is a CPU emulating a GPU and slower than the CPU itself. The
// automatic choice's first try, `gpu-hardware`, declines instead of falling back, so that
// the extension can try the panel's adapter before the CPU.

import { CpuBackend } from '../../engine/src/cpu/backend';
import type { RunnerBackend } from '../../webview/protocol';
import type { GpuBackend, Picked } from '../../webview/src/worker_run';
import { wasmBackend } from './model_pick';

function cpuReference(reason?: string): Picked {
  return { backend: new CpuBackend(), info: { name: 'cpu', detail: reason ? `CPU (JavaScript); ${reason}` : 'CPU (JavaScript)', fallbackReason: reason } };
}

/** The wasm kernels on every core (at most 4), else the reference with why. */
function wasmOrReference(reason?: string): Picked {
  const wasm = wasmBackend();
  if (!wasm.ok) return cpuReference([reason, `no WebAssembly SIMD: ${wasm.reason}`].filter(Boolean).join('; '));
  const threads = wasm.backend.threads;
  const detail = `CPU (WebAssembly SIMD, ${threads} thread${threads === 1 ? '' : 's'})`;
  return { backend: wasm.backend, info: { name: 'cpu', detail: reason ? `${detail}; ${reason}` : detail, fallbackReason: reason } };
}

/** Dawn's adapter through the `webgpu` package, or why there is none (never throws). */
async function dawn(): Promise<{ ok: true; backend: GpuBackend } | { ok: false; reason: string }> {
  try {
    // Imported lazily: the WebGPU module loads the native Dawn binding.
    const mod = await import('../../engine/src/webgpu/backend');
    return await mod.createWebGpuBackend();
  } catch (e) {
    return { ok: false, reason: `the WebGPU backend could not be loaded (${e instanceof Error ? e.message : String(e)})` };
  }
}

/**
 * `cpu`: the reference; `wasm`: the kernels; `webgpu`: any adapter, a software one
 * included (declined when there is none); `gpu-hardware`: a hardware adapter or a decline;
 * `auto`: a hardware adapter, else the kernels.
 */
export async function pickHostBackend(choice: RunnerBackend, gpu: typeof dawn = dawn): Promise<Picked> {
  if (choice === 'cpu') return cpuReference();
  if (choice === 'wasm') return wasmOrReference();
  const made = await gpu();
  if (made.ok && (choice === 'webgpu' || !made.backend.software)) {
    return { backend: made.backend, info: { name: 'webgpu', detail: made.backend.description ?? 'WebGPU' } };
  }
  const reason = made.ok ? `the only WebGPU adapter (${made.backend.description}) is a software renderer, slower than the CPU` : made.reason;
  if (made.ok) made.backend.dispose?.();
  if (choice === 'auto') return wasmOrReference(reason);
  return { declined: reason };
}
