// The WebGPU backend: device buffers are GPUBuffers, each op becomes one or more compute
// dispatches from kernels/, recorded into a command encoder that is submitted in batches
// (before every download and upload, and every `batchOps` ops). Shapes and attributes
// travel as uniforms in a ring buffer, so a pipeline (cached by the kernel's key: op,
// WGSL-changing attributes, dtypes) serves every shape. Downloads copy into pooled staging
// buffers; errors the device reports surface as a rejected `download`, never a hang.

import type { Backend, DeviceBuffer, DeviceTensor, DType, OpAttrs, OpName, TypedArray } from '../backend';
import type { AcquiredDevice, DeviceOptions } from './device';
import { acquireDevice } from './device';
import { ErrorTracker, WebGpuError } from './errors';
import { PARAM_WORDS } from './kernels/common';
import type { Dispatch, KernelContext } from './kernels/common';
import { GPU_KERNELS } from './kernels/index';
import type { GpuKernel } from './kernels/index';

// GPUBufferUsage and GPUMapMode values, spelled out so nothing depends on globals Node lacks.
const MAP_READ = 0x0001;
const COPY_SRC = 0x0004;
const COPY_DST = 0x0008;
const UNIFORM = 0x0040;
const STORAGE = 0x0080;
const MAP_MODE_READ = 0x0001;
const COMPUTE_STAGE = 0x4;

const PARAM_BYTES = PARAM_WORDS * 4;
const MAX_GROUPS_X = 65535;

class GpuBuffer implements DeviceBuffer {
  constructor(
    readonly bytes: number,
    readonly dtype: DType,
    readonly gpu: GPUBuffer,
  ) {}
}

export interface WebGpuOptions extends DeviceOptions {
  /** The matmul kernel; by default 'blocked' on software adapters and 'tiled' on GPUs. */
  matmul?: KernelContext['matmul'];
  /** Ops recorded before the encoder is submitted. */
  batchOps?: number;
}

/** Counters for tests and benchmarks. */
export interface WebGpuStats {
  pipelines: number;
  dispatches: number;
  submits: number;
  buffersCreated: number;
  stagingBuffers: number;
}

export class WebGpuBackend implements Backend {
  readonly name = 'webgpu';
  readonly description: string;
  /** True on a software adapter (lavapipe, SwiftShader, WARP): a CPU emulating a GPU. */
  readonly software: boolean;
  readonly kernels: KernelContext;
  private readonly device: GPUDevice;
  private readonly errors: ErrorTracker;
  private readonly pipelines = new Map<string, GPUComputePipeline>();
  private readonly layouts = new Map<number, { group: GPUBindGroupLayout; pipeline: GPUPipelineLayout }>();
  private readonly staging = new Map<number, GPUBuffer[]>();
  private readonly batchOps: number;
  private readonly paramStride: number;
  private readonly ringSlots: number;
  private readonly ring: GPUBuffer;
  private readonly ringData: Uint32Array;
  private ringUsed = 0;
  private encoder: GPUCommandEncoder | null = null;
  /** The buffers the unsubmitted encoder reads or writes: only these force a submit before an upload or a destroy. */
  private readonly recorded = new Set<GPUBuffer>();
  private pass: GPUComputePassEncoder | null = null;
  private opsInBatch = 0;
  private readonly counters: WebGpuStats = { pipelines: 0, dispatches: 0, submits: 0, buffersCreated: 0, stagingBuffers: 0 };

  constructor(
    readonly acquired: AcquiredDevice,
    options: WebGpuOptions = {},
  ) {
    this.device = acquired.device;
    this.description = acquired.description;
    this.software = acquired.software;
    this.kernels = { matmul: options.matmul ?? (acquired.software ? 'blocked' : 'tiled') };
    this.batchOps = options.batchOps ?? 64;
    this.errors = new ErrorTracker(this.device);
    this.paramStride = Math.max(PARAM_BYTES, this.device.limits.minUniformBufferOffsetAlignment);
    this.ringSlots = 256;
    this.ring = this.device.createBuffer({ size: this.paramStride * this.ringSlots, usage: UNIFORM | COPY_DST });
    this.ringData = new Uint32Array((this.paramStride * this.ringSlots) / 4);
  }

  get stats(): WebGpuStats {
    return { ...this.counters, pipelines: this.pipelines.size };
  }

  alloc(bytes: number, dtype: DType): DeviceBuffer {
    const size = Math.max(4, Math.ceil(bytes / 4) * 4);
    this.counters.buffersCreated++;
    const gpu = this.device.createBuffer({ size, usage: STORAGE | COPY_SRC | COPY_DST });
    return new GpuBuffer(bytes, dtype, gpu);
  }

  free(buffer: DeviceBuffer): void {
    // A buffer destroyed while recorded in an unsubmitted encoder would invalidate it.
    if (this.encoder && this.recorded.has((buffer as GpuBuffer).gpu)) this.flush();
    (buffer as GpuBuffer).gpu.destroy();
  }

  upload(buffer: DeviceBuffer, data: TypedArray): void {
    const b = buffer as GpuBuffer;
    // Queue writes run before any still-unsubmitted work; submit first when that work uses
    // this buffer, so its earlier reads see the old values. A buffer the encoder does not
    // use (a step's fresh batch) is written without a submit, so a step submits once.
    if (this.encoder && this.recorded.has(b.gpu)) this.flush();
    let src: TypedArray = data;
    if (b.dtype === 'int32' && !(data instanceof Int32Array)) src = Int32Array.from(data);
    if (b.dtype === 'float32' && !(data instanceof Float32Array)) src = Float32Array.from(data);
    const bytes = Math.min(src.byteLength, b.gpu.size);
    if (bytes > 0) this.device.queue.writeBuffer(b.gpu, 0, src.buffer, src.byteOffset, bytes);
  }

  async download(buffer: DeviceBuffer): Promise<TypedArray> {
    const b = buffer as GpuBuffer;
    if (this.errors.lostReason) throw this.errors.lostReason;
    this.flush();
    const size = b.gpu.size;
    const staging = this.takeStaging(size);
    const encoder = this.device.createCommandEncoder();
    encoder.copyBufferToBuffer(b.gpu, 0, staging, 0, size);
    this.device.queue.submit([encoder.finish()]);
    this.counters.submits++;
    this.errors.cycle();
    let mapped = false;
    try {
      const map = staging.mapAsync(MAP_MODE_READ).then(
        () => (mapped = true),
        (e: unknown) => this.errors.record(new WebGpuError('validation', `WebGPU could not read a buffer back: ${e instanceof Error ? e.message : String(e)}`)),
      );
      await Promise.race([map, this.errors.lost]);
      const error = await this.errors.check();
      if (error) throw error;
      if (!mapped) throw new WebGpuError('internal', 'WebGPU could not read a buffer back');
      const copy = staging.getMappedRange(0, size).slice(0);
      const length = b.bytes / 4;
      return b.dtype === 'int32' ? new Int32Array(copy, 0, length) : new Float32Array(copy, 0, length);
    } finally {
      if (mapped) {
        staging.unmap();
        this.staging.get(size)?.push(staging);
      } else {
        staging.destroy();
      }
    }
  }

  run<K extends OpName>(op: K, inputs: readonly DeviceTensor[], output: DeviceTensor, attrs: OpAttrs[K]): void {
    const kernel = GPU_KERNELS[op] as GpuKernel<K>;
    const dispatches = kernel(inputs, output, attrs, this.kernels);
    if (dispatches.length > this.ringSlots) throw new Error(`webgpu: ${op} needs ${dispatches.length} dispatches`);
    if (this.ringUsed + dispatches.length > this.ringSlots) this.flush();
    for (const d of dispatches) this.encode(d);
    if (++this.opsInBatch >= this.batchOps) this.flush();
  }

  /** Submits everything recorded so far. */
  flush(): void {
    if (!this.encoder) return;
    this.pass?.end();
    this.pass = null;
    if (this.ringUsed > 0) this.device.queue.writeBuffer(this.ring, 0, this.ringData.buffer, 0, this.ringUsed * this.paramStride);
    this.device.queue.submit([this.encoder.finish()]);
    this.counters.submits++;
    this.encoder = null;
    this.recorded.clear();
    this.ringUsed = 0;
    this.opsInBatch = 0;
    this.errors.cycle();
  }

  /** Resolves once the device has finished all submitted work; rejects with any error it reported. */
  async sync(): Promise<void> {
    this.flush();
    await Promise.race([this.device.queue.onSubmittedWorkDone(), this.errors.lost]);
    const error = await this.errors.check();
    if (error) throw error;
  }

  /** Releases the device; later downloads reject with a device-lost error. */
  dispose(): void {
    this.flush();
    for (const list of this.staging.values()) for (const b of list) b.destroy();
    this.staging.clear();
    this.device.destroy();
  }

  private takeStaging(size: number): GPUBuffer {
    let list = this.staging.get(size);
    if (!list) this.staging.set(size, (list = []));
    const reused = list.pop();
    if (reused) return reused;
    this.counters.stagingBuffers++;
    return this.device.createBuffer({ size, usage: MAP_READ | COPY_DST });
  }

  private layout(inputs: number): { group: GPUBindGroupLayout; pipeline: GPUPipelineLayout } {
    let l = this.layouts.get(inputs);
    if (!l) {
      const entries: GPUBindGroupLayoutEntry[] = [{ binding: 0, visibility: COMPUTE_STAGE, buffer: { type: 'uniform' } }];
      for (let k = 0; k < inputs; k++) entries.push({ binding: k + 1, visibility: COMPUTE_STAGE, buffer: { type: 'read-only-storage' } });
      entries.push({ binding: inputs + 1, visibility: COMPUTE_STAGE, buffer: { type: 'storage' } });
      const group = this.device.createBindGroupLayout({ entries });
      l = { group, pipeline: this.device.createPipelineLayout({ bindGroupLayouts: [group] }) };
      this.layouts.set(inputs, l);
    }
    return l;
  }

  private pipeline(d: Dispatch): GPUComputePipeline {
    const key = `${d.inputs.length}|${d.key}`;
    let p = this.pipelines.get(key);
    if (!p) {
      const module = this.device.createShaderModule({ code: d.wgsl(), label: d.key });
      p = this.device.createComputePipeline({ layout: this.layout(d.inputs.length).pipeline, compute: { module, entryPoint: 'main' }, label: d.key });
      this.pipelines.set(key, p);
    }
    return p;
  }

  private encode(d: Dispatch): void {
    const grid = typeof d.groups === 'number' ? flatGrid(d.groups) : d.groups;
    if (grid[0] === 0 || grid[1] === 0 || grid[2] === 0) return;
    const pipeline = this.pipeline(d);
    const slot = this.ringUsed++;
    this.ringData.set(d.params, (slot * this.paramStride) / 4);
    const entries: GPUBindGroupEntry[] = [{ binding: 0, resource: { buffer: this.ring, offset: slot * this.paramStride, size: PARAM_BYTES } }];
    d.inputs.forEach((t, k) => {
      const gpu = (t.buffer as GpuBuffer).gpu;
      this.recorded.add(gpu);
      entries.push({ binding: k + 1, resource: { buffer: gpu } });
    });
    const out = (d.output.buffer as GpuBuffer).gpu;
    this.recorded.add(out);
    entries.push({ binding: d.inputs.length + 1, resource: { buffer: out } });
    const group = this.device.createBindGroup({ layout: this.layout(d.inputs.length).group, entries });
    if (!this.encoder) this.encoder = this.device.createCommandEncoder();
    if (!this.pass) this.pass = this.encoder.beginComputePass();
    this.pass.setPipeline(pipeline);
    this.pass.setBindGroup(0, group);
    this.pass.dispatchWorkgroups(grid[0], grid[1], grid[2]);
    this.counters.dispatches++;
  }
}

/** Splits a flat workgroup count into an x by y grid within the per-dimension limit. */
function flatGrid(groups: number): [number, number, number] {
  if (groups <= MAX_GROUPS_X) return [groups, 1, 1];
  const x = MAX_GROUPS_X;
  return [x, Math.ceil(groups / x), 1];
}

export type WebGpuResult = { ok: true; backend: WebGpuBackend } | { ok: false; reason: string };

/** Acquires a device and wraps it in a backend; a missing adapter is a reason, not a throw. */
export async function createWebGpuBackend(options: WebGpuOptions = {}): Promise<WebGpuResult> {
  const acquired = await acquireDevice(options);
  if (!acquired.ok) return acquired;
  try {
    return { ok: true, backend: new WebGpuBackend(acquired.value, options) };
  } catch (e) {
    return { ok: false, reason: `WebGPU backend could not start: ${e instanceof Error ? e.message : String(e)}` };
  }
}
